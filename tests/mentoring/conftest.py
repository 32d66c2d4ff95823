# The shared browser fixtures (Chromium, phone-sized page, log in through the form).
from tests.browser.conftest import browser, log_in_as, page, phone  # noqa: F401
