"""Headers every answer carries: nothing personal is cached (issue 8, logins and headers)."""

import pytest
from django.urls import reverse

from tests.factories.mentoring import MentorshipFactory

pytestmark = pytest.mark.django_db


def test_every_page_for_a_signed_in_officer_is_private_and_not_stored(client, login, officer):
    login(officer)
    for path in ("/", reverse("lessons:my_courses"), reverse("assessments:index"), reverse("password_change")):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response["Cache-Control"] == "private, no-store", path


def test_a_training_record_pdf_is_not_stored(client, login):
    mentorship = MentorshipFactory()
    login(mentorship.mentor)
    response = client.get(reverse("mentoring:record_pdf", args=[mentorship.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"


def test_the_wagtail_admin_keeps_its_own_never_cache(client, login):
    from officers.roles import Role
    from tests.factories.officers import OfficerFactory

    login(OfficerFactory(roles=[Role.TRAINER]))
    response = client.get("/admin/")
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_static_files_stay_cacheable(client, login, officer):
    login(officer)
    response = client.get("/static/css/site.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


def test_every_page_carries_the_content_security_policy(client, login, officer):
    for path in ("/accounts/login/", "/"):
        if path == "/":
            login(officer)
        policy = client.get(path)["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "object-src 'none'" in policy
        assert "http:" not in policy and "https:" not in policy  # nothing from elsewhere
        assert "'unsafe-inline'" not in policy.split("style-src-attr")[0]  # no inline scripts
