import pytest

from officers.roles import Role, Tier
from tests.factories.officers import OfficerFactory, UnitFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_officer_logs_in_and_sees_the_chinese_home_page(live_server, page, log_in_as):
    officer = OfficerFactory(
        police_number="200001", name="王法制", unit=UnitFactory(name="东城派出所"),
        tier=Tier.OFFICER, roles=[Role.LEGAL_OFFICER],
    )
    log_in_as(page, live_server, officer)

    # The home page is 我的待办, headed by who they are.
    assert page.get_by_role("heading", level=1).inner_text() == "我的待办"
    body = page.locator("main").inner_text()
    assert "王法制" in body and "东城派出所" in body and "民警" in body and "法制员" in body

    page.get_by_role("button", name="退出登录").click()
    page.wait_for_url(f"{live_server.url}/accounts/login/")


def test_home_page_reads_on_a_phone(live_server, phone, log_in_as):
    officer = OfficerFactory(name="李新警", tier=Tier.RECRUIT)
    log_in_as(phone, live_server, officer)
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "the page must not scroll sideways on a phone"
