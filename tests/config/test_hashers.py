"""Passwords are stored with Argon2id at OWASP's cost, and old PBKDF2 ones are upgraded."""

import time

import pytest
from django.contrib.auth.hashers import check_password, identify_hasher, make_password
from django.test import override_settings
from django.urls import reverse

from config.settings import base
from tests.factories.officers import OfficerFactory

PRODUCTION_HASHERS = base.PASSWORD_HASHERS


@override_settings(PASSWORD_HASHERS=PRODUCTION_HASHERS)
def test_new_passwords_are_argon2id_at_owasp_cost():
    encoded = make_password("警号123456!")
    assert encoded.startswith("argon2$argon2id$")
    assert "m=7168,t=5,p=1" in encoded
    assert check_password("警号123456!", encoded)
    assert not check_password("警号123456?", encoded)


@override_settings(PASSWORD_HASHERS=PRODUCTION_HASHERS)
def test_a_login_costs_a_small_share_of_a_core():
    """Exam day: hundreds log in at once. PBKDF2's 1,000,000 rounds cost ~0.5 s of CPU each."""
    encoded = make_password("警号123456!")
    started = time.process_time()
    for _ in range(5):
        check_password("警号123456!", encoded)
    assert (time.process_time() - started) / 5 < 0.2


@pytest.mark.django_db
@override_settings(PASSWORD_HASHERS=PRODUCTION_HASHERS)
def test_a_pbkdf2_password_is_upgraded_at_the_next_login(client):
    officer = OfficerFactory()
    officer.password = make_password("旧密码Abc12345", hasher="pbkdf2_sha256")
    officer.save(update_fields=["password"])
    response = client.post(
        reverse("login"), {"username": officer.police_number, "password": "旧密码Abc12345"}
    )
    assert response.status_code == 302
    officer.refresh_from_db()
    assert identify_hasher(officer.password).algorithm == "argon2"
