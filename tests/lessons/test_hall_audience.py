"""The hall list shows 必修 and the due date only to officers in the course's audience
(issue 14): before, every visitor read “必修 · 截止 2026-12-31” on a course not meant for them."""

import pytest

from tests.factories.officers import OfficerFactory

pytestmark = pytest.mark.django_db


def test_required_and_due_date_only_for_the_courses_audience(client, login, hall, course, legal_officer):
    login(legal_officer)
    html = client.get(hall.url).content.decode()
    assert "刑事强制措施" in html and "必修" in html and "截止 2026-12-31" in html

    login(OfficerFactory(name="孙民警", police_number="600009"))  # no role: not in the audience
    html = client.get(hall.url).content.decode()
    assert "刑事强制措施" in html
    assert "必修" not in html and "2026-12-31" not in html
