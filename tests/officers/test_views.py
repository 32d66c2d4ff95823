import datetime as dt
import io

import pytest
import time_machine
from django.urls import reverse
from openpyxl import Workbook

from officers.models import Officer
from officers.roles import Role, Tier
from tests.factories.officers import TEST_PASSWORD, OfficerFactory, UnitFactory

LOGIN = "/accounts/login/"


def log_in(client, police_number, password=TEST_PASSWORD):
    return client.post(LOGIN, {"username": police_number, "password": password})


@pytest.mark.django_db
def test_anonymous_visitor_is_sent_to_the_login_page(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response.url.startswith(LOGIN)


@pytest.mark.django_db
def test_login_page_is_chinese(client):
    response = client.get(LOGIN)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'lang="zh-Hans"' in html
    assert "警号" in html and "登录" in html


@pytest.mark.django_db
def test_officer_logs_in_with_police_number_and_sees_who_they_are(client):
    officer = OfficerFactory(
        police_number="200001", name="王法制", unit=UnitFactory(name="东城派出所"),
        tier=Tier.OFFICER, roles=[Role.LEGAL_OFFICER, Role.MENTOR],
    )
    response = log_in(client, officer.police_number)
    assert response.status_code == 302 and response.url == "/"

    html = client.get("/").content.decode()
    assert "王法制" in html
    assert "东城派出所" in html
    assert "民警" in html
    assert "法制员" in html and "师傅" in html


@pytest.mark.django_db
def test_wrong_password_gives_a_chinese_error_and_keeps_the_police_number(client):
    OfficerFactory(police_number="200001")
    response = log_in(client, "200001", "wrong-password")
    html = response.content.decode()
    assert response.status_code == 200
    assert "警号或密码错误" in html
    assert 'value="200001"' in html


@pytest.mark.django_db
def test_inactive_officer_cannot_log_in(client):
    OfficerFactory(police_number="200002", is_active=False)
    response = log_in(client, "200002")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_repeated_failures_lock_the_police_number(client):
    OfficerFactory(police_number="200003")
    for _ in range(5):
        log_in(client, "200003", "wrong-password")
    response = log_in(client, "200003")  # even the right password is refused now
    assert response.status_code == 429
    assert "账号已锁定" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_logout_ends_the_session(client, officer, login):
    login(officer)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get("/").status_code == 302


@pytest.mark.django_db
def test_session_expires_after_30_minutes_of_inactivity(client):
    OfficerFactory(police_number="200009")
    with time_machine.travel("2026-11-25 09:00 +0800", tick=False) as traveller:
        log_in(client, "200009")
        traveller.shift(dt.timedelta(minutes=25))
        assert client.get("/").status_code == 200  # activity restarts the 30 minutes
        traveller.shift(dt.timedelta(minutes=25))
        assert client.get("/").status_code == 200
        traveller.shift(dt.timedelta(minutes=31))
        response = client.get("/")
        assert response.status_code == 302 and response.url.startswith(LOGIN)


@pytest.mark.django_db
def test_language_switch_to_english_and_back(client, officer, login):
    login(officer)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get("/").content.decode()
    assert "Police number" in html and 'lang="en"' in html
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    assert "警号" in client.get("/").content.decode()


@pytest.mark.django_db
def test_browser_language_does_not_override_chinese(client, officer, login):
    login(officer)
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "警号" in html


def _sheet():
    workbook = Workbook()
    workbook.active.append(["警号", "姓名", "所队", "层级", "角色"])
    workbook.active.append(["000777", "钱七", "东城派出所", "民警", "法制员"])
    workbook.active.append(["000778", "孙八", "不存在", "民警", ""])
    out = io.BytesIO()
    workbook.save(out)
    out.name = "officers.xlsx"
    out.seek(0)
    return out


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("roles", "expected"),
    # Wagtail answers a refusal inside its admin with a redirect and a message:
    # officers without admin access go to the login page, trainers (who may use
    # the admin but not import officers) to the admin's home.
    [
        ([], "/accounts/login/"),
        ([Role.LEGAL_OFFICER], "/accounts/login/"),
        ([Role.MENTOR], "/accounts/login/"),
        ([Role.TRAINER], "/admin/"),
        ([Role.ADMINISTRATOR], None),
    ],
)
def test_only_administrators_may_import_officers(client, login, roles, expected):
    login(OfficerFactory(roles=roles))
    for url in (reverse("officers_import"), reverse("officers_import_template")):
        response = client.get(url)
        if expected is None:
            assert response.status_code == 200
        else:
            assert response.status_code == 302 and response.url.startswith(expected)
    if expected is not None:
        response = client.post(reverse("officers_import"), {"sheet": _sheet()})
        assert response.status_code == 302
        assert not Officer.objects.filter(police_number="000777").exists()


@pytest.mark.django_db
def test_admin_import_lists_every_error_and_saves_nothing(client, login):
    UnitFactory(name="东城派出所")
    login(OfficerFactory(roles=[Role.ADMINISTRATOR]))
    response = client.post(reverse("officers_import"), {"sheet": _sheet()})
    html = response.content.decode()
    assert response.status_code == 400
    assert "未知所队" in html and "不存在" in html
    assert not Officer.objects.filter(police_number__in=["000777", "000778"]).exists()


@pytest.mark.django_db
def test_admin_import_of_a_good_sheet(client, login):
    UnitFactory(name="东城派出所")
    login(OfficerFactory(roles=[Role.ADMINISTRATOR]))
    sheet = _sheet()
    workbook = Workbook()
    workbook.active.append(["警号", "姓名", "所队", "层级", "角色"])
    workbook.active.append(["000777", "钱七", "东城派出所", "民警", "法制员"])
    sheet = io.BytesIO()
    workbook.save(sheet)
    sheet.name = "officers.xlsx"
    sheet.seek(0)
    response = client.post(reverse("officers_import"), {"sheet": sheet})
    assert response.status_code == 200
    assert "已导入 1 名民警" in response.content.decode()
    assert Officer.objects.get(police_number="000777").role_codes == {Role.LEGAL_OFFICER}


@pytest.mark.django_db
def test_template_download_is_an_xlsx(client, login):
    login(OfficerFactory(roles=[Role.ADMINISTRATOR]))
    response = client.get(reverse("officers_import_template"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response.content[:2] == b"PK"


@pytest.mark.django_db
def test_the_admin_login_pages_lead_to_the_platforms_own(client):
    for path in ("/admin/login/?next=/admin/", "/django-admin/login/?next=/django-admin/"):
        response = client.get(path)
        assert response.status_code in (301, 302) and response.url.startswith("/accounts/login/?next=")


@pytest.mark.django_db
def test_requests_within_a_minute_do_not_rewrite_the_session(client):
    """Exam day: an answer save must not also write the session row."""
    from django.contrib.sessions.models import Session

    OfficerFactory(police_number="200010")
    with time_machine.travel("2026-11-25 09:00 +0800", tick=False) as traveller:
        log_in(client, "200010")
        key = client.session.session_key
        first = Session.objects.get(session_key=key).expire_date
        traveller.shift(dt.timedelta(seconds=30))
        assert client.get("/").status_code == 200
        traveller.shift(dt.timedelta(seconds=20))
        assert client.get("/").status_code == 200
        assert Session.objects.get(session_key=key).expire_date == first
        traveller.shift(dt.timedelta(seconds=15))  # more than a minute since the last write
        assert client.get("/").status_code == 200
        assert Session.objects.get(session_key=key).expire_date == first + dt.timedelta(seconds=65)
