import pytest

from tests.factories.officers import TEST_PASSWORD, OfficerFactory

# Chromium fixtures (browser, page, phone, log_in_as) for every app's journeys.
pytest_plugins = ["tests.browser_fixtures"]


@pytest.fixture
def officer(db):
    return OfficerFactory()


@pytest.fixture
def login(client):
    """Log a given officer into the test client: `login(officer)`."""

    def _login(officer):
        client.force_login(officer, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return _login


@pytest.fixture
def password():
    return TEST_PASSWORD
