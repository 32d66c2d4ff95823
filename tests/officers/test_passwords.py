"""First login, password change and the initial password given at import."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook

from officers.models import Officer
from officers.roles import Role
from officers.services import officers_import
from tests.factories.officers import TEST_PASSWORD, OfficerFactory, UnitFactory

pytestmark = pytest.mark.django_db

INITIAL = "Dongcheng#2026"
OWN = "Qianqi@Secret9"


def _log_in(client, police_number, password):
    return client.post(reverse("login"), {"username": police_number, "password": password})


def _change(client, old, new1, new2=None):
    return client.post(
        reverse("password_change"),
        {"old_password": old, "new_password1": new1, "new_password2": new2 or new1},
    )


def _sheet(*rows):
    workbook = Workbook()
    workbook.active.append(["警号", "姓名", "所队", "层级", "角色"])
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    out.name = "officers.xlsx"
    out.seek(0)
    return out


def test_officer_changes_their_own_password(client):
    officer = OfficerFactory()
    _log_in(client, officer.police_number, TEST_PASSWORD)
    page = client.get(reverse("password_change"))
    assert "修改密码" in page.content.decode()

    response = _change(client, TEST_PASSWORD, OWN)
    assert response.status_code == 302 and response.url == reverse("home")
    assert "密码已修改" in client.get(reverse("home")).content.decode()  # still logged in
    officer.refresh_from_db()
    assert officer.check_password(OWN)


def test_password_change_errors_are_chinese_and_nothing_changes(client):
    officer = OfficerFactory()
    _log_in(client, officer.police_number, TEST_PASSWORD)

    wrong_old = _change(client, "not-my-password", OWN).content.decode()
    same = _change(client, TEST_PASSWORD, TEST_PASSWORD).content.decode()
    weak = _change(client, TEST_PASSWORD, "12345678").content.decode()
    mismatch = _change(client, TEST_PASSWORD, OWN, OWN + "x").content.decode()

    assert "原密码不正确" in wrong_old or "旧密码不正确" in wrong_old
    assert "新密码不能与当前密码相同" in same
    assert "密码" in weak and ("常见" in weak or "纯数字" in weak or "全是数字" in weak)
    assert "不一致" in mismatch or "不匹配" in mismatch
    officer.refresh_from_db()
    assert officer.check_password(TEST_PASSWORD)


def test_an_administrator_set_password_must_be_replaced_before_anything_else(client):
    officer = OfficerFactory(must_change_password=True)
    response = _log_in(client, officer.police_number, TEST_PASSWORD)
    assert response.status_code == 302

    for path in ("/", "/lessons/", "/assessments/", "/admin/"):
        page = client.get(path)
        assert page.status_code == 302 and page.url == reverse("password_change"), path
    assert "您的密码由管理员设置" in client.get(reverse("password_change")).content.decode()

    _change(client, TEST_PASSWORD, OWN)
    officer.refresh_from_db()
    assert not officer.must_change_password
    assert client.get("/").status_code == 200


def test_logout_and_language_switch_work_before_the_change(client):
    officer = OfficerFactory(must_change_password=True)
    _log_in(client, officer.police_number, TEST_PASSWORD)
    switched = client.post(reverse("set_language"), {"language": "en", "next": reverse("password_change")})
    assert switched.status_code == 302
    assert client.post(reverse("logout")).status_code == 302
    assert client.get("/").url.startswith(reverse("login"))


def test_imported_officers_log_in_with_the_initial_password_then_choose_their_own(client):
    UnitFactory(name="东城派出所")
    existing = OfficerFactory(police_number="000778", unit__name="西城派出所")
    data = _sheet(["000777", "钱七", "东城派出所", "民警", "法制员"], ["000778", "孙八", "东城派出所", "民警", ""])

    result = officers_import(data=data.getvalue(), filename="officers.xlsx", initial_password=INITIAL)

    assert (result.created, result.updated, result.without_password) == (1, 1, 0)
    new = Officer.objects.get(police_number="000777")
    assert new.check_password(INITIAL) and new.must_change_password
    existing.refresh_from_db()  # a re-imported officer keeps their own password
    assert existing.check_password(TEST_PASSWORD) and not existing.must_change_password

    _log_in(client, "000777", INITIAL)
    assert client.get("/").url == reverse("password_change")
    _change(client, INITIAL, OWN)
    assert client.get("/").status_code == 200


def test_admin_import_form_takes_an_initial_password_and_checks_it(client, login):
    UnitFactory(name="东城派出所")
    login(OfficerFactory(roles=[Role.ADMINISTRATOR]))

    weak = client.post(
        reverse("officers_import"), {"sheet": _sheet(["000777", "钱七", "东城派出所", "民警", ""]), "initial_password": "123"}
    )
    assert weak.status_code == 200 and "密码" in weak.content.decode()
    assert 'value="123"' in weak.content.decode()  # what was typed is kept
    assert not Officer.objects.filter(police_number="000777").exists()

    good = client.post(
        reverse("officers_import"), {"sheet": _sheet(["000777", "钱七", "东城派出所", "民警", ""]), "initial_password": INITIAL}
    )
    assert "已导入 1 名民警" in good.content.decode()
    assert Officer.objects.get(police_number="000777").check_password(INITIAL)


def test_admin_import_without_a_password_warns_who_cannot_log_in(client, login):
    UnitFactory(name="东城派出所")
    login(OfficerFactory(roles=[Role.ADMINISTRATOR]))
    response = client.post(reverse("officers_import"), {"sheet": _sheet(["000777", "钱七", "东城派出所", "民警", ""])})
    assert "1 名新民警尚无密码" in response.content.decode()
    assert not Officer.objects.get(police_number="000777").has_usable_password()


def test_import_command_reads_the_initial_password_from_the_environment(tmp_path, monkeypatch, capsys):
    UnitFactory(name="东城派出所")
    sheet = tmp_path / "officers.csv"
    sheet.write_text("警号,姓名,所队,层级\n000123,张三,东城派出所,民警\n", encoding="utf-8")

    with pytest.raises(CommandError, match="未设置"):
        call_command("import_officers", str(sheet), "--initial-password-env", "NO_SUCH_VARIABLE")
    monkeypatch.setenv("IMPORT_PASSWORD", "123")
    with pytest.raises(CommandError, match="初始密码不符合要求"):
        call_command("import_officers", str(sheet), "--initial-password-env", "IMPORT_PASSWORD")
    assert not Officer.objects.exists()

    monkeypatch.setenv("IMPORT_PASSWORD", INITIAL)
    call_command("import_officers", str(sheet), "--initial-password-env", "IMPORT_PASSWORD")
    officer = Officer.objects.get(police_number="000123")
    assert officer.check_password(INITIAL) and officer.must_change_password


def test_a_password_set_in_the_admin_is_temporary(client, login):
    login(OfficerFactory(roles=[Role.ADMINISTRATOR]))
    officer = OfficerFactory(name="周八")
    url = reverse("wagtailusers_users:edit", args=[officer.pk])
    form = client.get(url).context["form"]
    data = {
        name: value
        for name, value in form.initial.items()
        if name in form.fields and value is not None and name not in ("groups", "password1", "password2")
    }
    data.update(unit=officer.unit_id, groups=[], password1=INITIAL, password2=INITIAL, is_active="on")
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    officer.refresh_from_db()
    assert officer.check_password(INITIAL) and officer.must_change_password


def test_a_too_short_password_is_refused_in_chinese(client):
    officer = OfficerFactory()
    _log_in(client, officer.police_number, TEST_PASSWORD)
    html = _change(client, TEST_PASSWORD, "Ab3$").content.decode()
    assert "密码太短，至少须包含 8 个字符" in html and "too short" not in html


def test_passwords_set_in_the_django_admin_are_temporary_too(client, login):
    admin_user = OfficerFactory(is_staff=True, is_superuser=True)
    login(admin_user)
    officer = OfficerFactory()
    response = client.post(
        f"/django-admin/officers/officer/{officer.pk}/password/",
        {"password1": INITIAL, "password2": INITIAL, "usable_password": "true"},
    )
    assert response.status_code == 302
    officer.refresh_from_db()
    assert officer.check_password(INITIAL) and officer.must_change_password
