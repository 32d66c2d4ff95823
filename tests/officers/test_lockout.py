"""The log-in lockout: wrong old passwords count, and nobody can lock a station or the
administrators out (issue 8, logins and headers)."""

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from officers.roles import Role
from officers.security import client_ip
from tests.factories.officers import TEST_PASSWORD, OfficerFactory

pytestmark = pytest.mark.django_db

STATION_NAT = "10.20.30.40"
ATTACKER = "10.99.0.7"


def log_in(client, police_number, password=TEST_PASSWORD, address="127.0.0.1"):
    return client.post(reverse("login"), {"username": police_number, "password": password}, REMOTE_ADDR=address)


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_wrong_old_passwords_on_the_password_page_count_toward_the_lockout(client):
    officer = OfficerFactory(police_number="300101")
    log_in(client, "300101")
    for _ in range(4):
        response = client.post(
            reverse("password_change"),
            {"old_password": "wrong", "new_password1": "Xk29-long-pass", "new_password2": "Xk29-long-pass"},
            REMOTE_ADDR="127.0.0.1",
        )
        assert response.status_code == 200 and "旧密码" in response.content.decode()
    response = client.post(
        reverse("password_change"),
        {"old_password": "wrong", "new_password1": "Xk29-long-pass", "new_password2": "Xk29-long-pass"},
        REMOTE_ADDR="127.0.0.1",
    )
    assert response.status_code == 429 and "账号已锁定" in response.content.decode()
    assert not signed_in(client)  # the stolen session is over
    assert log_in(Client(), "300101").status_code == 429  # and the right password is refused here
    officer.refresh_from_db()
    assert officer.check_password(TEST_PASSWORD)


def test_an_attacker_cannot_lock_the_administrator_out():
    OfficerFactory(police_number="000009", roles=[Role.ADMINISTRATOR])
    attacker = Client()
    for _ in range(6):
        log_in(attacker, "000009", "guess", address=ATTACKER)
    assert log_in(attacker, "000009", address=ATTACKER).status_code == 429  # guessing stops there
    administrator = Client()
    log_in(administrator, "000009", address="10.0.0.5")
    assert signed_in(administrator)


def test_one_officers_typos_do_not_lock_their_station_out():
    OfficerFactory(police_number="300201")
    OfficerFactory(police_number="300202")
    for _ in range(6):
        log_in(Client(), "300201", "typo", address=STATION_NAT)
    colleague = Client()
    log_in(colleague, "300202", address=STATION_NAT)  # same NAT address, another police number
    assert signed_in(colleague)


def test_the_clients_address_behind_nginx_is_the_one_nginx_saw(settings):
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 10.20.30.40")
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request) == "10.0.0.1"
    settings.TRUSTED_PROXY_COUNT = 1  # the forged 1.2.3.4 is ignored
    assert client_ip(request) == "10.20.30.40"
