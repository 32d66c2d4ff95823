"""Notices: read state, the pages, and e-mail only when the bureau configured it and the officer chose it."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from notices import services
from notices.models import DigestDay, EmailMode, Notice, NoticeKind
from tests.factories.officers import OfficerFactory

pytestmark = pytest.mark.django_db


def send(recipient, **kwargs):
    values = {"recipients": [recipient], "kind": NoticeKind.RESULTS_PUBLISHED, "title": "已公示：第12期抽测成绩",
              "url": "/publications/"}
    values.update(kwargs)
    return services.notice_send(**values)


@pytest.fixture
def officer():
    return OfficerFactory(email="sun@gat.yk")


def test_unread_count_in_the_header_and_opening_marks_read(client, officer):
    [notice] = send(officer)
    client.force_login(officer, backend="django.contrib.auth.backends.ModelBackend")
    page = client.get(reverse("notices:list")).content.decode()
    assert "已公示：第12期抽测成绩" in page
    assert client.get(reverse("notices:counts")).json()["unread"] == 1  # the header's number
    response = client.get(reverse("notices:open", args=[notice.pk]))
    assert response.status_code == 302 and response["Location"] == "/publications/"
    notice.refresh_from_db()
    assert notice.read_at is not None
    assert client.get(reverse("notices:counts")).json()["unread"] == 0


def test_a_link_off_the_site_is_never_followed(client, officer):
    [notice] = send(officer, url="https://evil.example.com/")
    client.force_login(officer, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get(reverse("notices:open", args=[notice.pk]))["Location"] == reverse("notices:list")


def test_mark_all_read(client, officer):
    send(officer)
    send(officer, title="异议已答复")
    client.force_login(officer, backend="django.contrib.auth.backends.ModelBackend")
    client.post(reverse("notices:read_all"))
    assert not Notice.objects.filter(recipient=officer, read_at__isnull=True).exists()


def test_the_actor_and_duplicates_are_not_told(officer):
    actor = OfficerFactory()
    notices = services.notice_send(recipients=[officer, officer.pk, actor], kind=NoticeKind.RESULTS_PUBLISHED,
                                   title="t", actor=actor)
    assert [n.recipient_id for n in notices] == [officer.pk]


def test_preferences_are_kept_and_the_page_says_when_mail_is_off(client, officer):
    client.force_login(officer, backend="django.contrib.auth.backends.ModelBackend")
    page = client.get(reverse("notices:preferences")).content.decode()
    assert "本局尚未配置内网邮件" in page or "has not set up intranet e-mail" in page
    client.post(reverse("notices:preferences"), {"email_kinds": ["results_published", "log_corrected"], "email_mode": "immediate"})
    officer.notice_preference.refresh_from_db()
    assert officer.notice_preference.email_kinds == ["log_corrected", "results_published"]
    assert officer.notice_preference.email_mode == EmailMode.IMMEDIATE


def test_nothing_is_mailed_when_the_bureau_has_no_mail(settings, officer, django_capture_on_commit_callbacks):
    settings.NOTICES_EMAIL_ENABLED = False
    services.preference_save(officer=officer, email_kinds=["results_published"], email_mode=EmailMode.IMMEDIATE)
    with django_capture_on_commit_callbacks(execute=True):
        send(officer)
    assert mail.outbox == []


def test_mail_goes_at_once_only_for_the_kinds_chosen(settings, officer, django_capture_on_commit_callbacks):
    settings.NOTICES_EMAIL_ENABLED = True
    services.preference_save(officer=officer, email_kinds=["results_published"], email_mode=EmailMode.IMMEDIATE)
    with django_capture_on_commit_callbacks(execute=True):
        send(officer)
        send(officer, kind=NoticeKind.LOG_CORRECTED, title="师傅更正了跟班记录")
    [message] = mail.outbox
    assert message.to == ["sun@gat.yk"]
    assert "已公示：第12期抽测成绩" in message.subject
    assert Notice.objects.get(kind=NoticeKind.RESULTS_PUBLISHED).emailed_at is not None
    assert Notice.objects.get(kind=NoticeKind.LOG_CORRECTED).emailed_at is None


def test_an_officer_who_chose_nothing_gets_no_mail(settings, officer, django_capture_on_commit_callbacks):
    settings.NOTICES_EMAIL_ENABLED = True
    with django_capture_on_commit_callbacks(execute=True):
        send(officer)
    assert mail.outbox == []


def test_only_the_bureaus_own_mail_domains(settings, django_capture_on_commit_callbacks):
    settings.NOTICES_EMAIL_ENABLED = True
    settings.NOTICES_EMAIL_DOMAINS = ["gat.yk"]
    outside = OfficerFactory(email="someone@qq.com")
    services.preference_save(officer=outside, email_kinds=["results_published"], email_mode=EmailMode.IMMEDIATE)
    with django_capture_on_commit_callbacks(execute=True):
        send(outside)
    assert mail.outbox == []


def test_the_daily_digest_sends_each_officer_one_mail_once(settings, officer, django_capture_on_commit_callbacks):
    settings.NOTICES_EMAIL_ENABLED = True
    services.preference_save(officer=officer, email_kinds=["results_published", "objection_answered"],
                             email_mode=EmailMode.DIGEST)
    with django_capture_on_commit_callbacks(execute=True):
        send(officer)
        send(officer, kind=NoticeKind.OBJECTION_ANSWERED, title="您的异议未被采纳")
    assert mail.outbox == []  # not at once
    day = DigestDay.objects.get()  # scheduled once, for the next digest time
    assert day.day == services.digest_next_time().date()
    assert services.digest_send(day=day.day) == 1
    [message] = mail.outbox
    assert "已公示：第12期抽测成绩" in message.body and "您的异议未被采纳" in message.body
    assert services.digest_send(day=day.day) == 0  # the same day again sends nothing
    assert len(mail.outbox) == 1


def test_the_digest_time_is_the_next_one(settings):
    settings.NOTICES_DIGEST_TIME = "07:30"
    local = timezone.get_current_timezone()
    morning = dt.datetime(2026, 12, 1, 6, 0, tzinfo=local)
    evening = dt.datetime(2026, 12, 1, 20, 0, tzinfo=local)
    assert timezone.localtime(services.digest_next_time(morning)).strftime("%m-%d %H:%M") == "12-01 07:30"
    assert timezone.localtime(services.digest_next_time(evening)).strftime("%m-%d %H:%M") == "12-02 07:30"
