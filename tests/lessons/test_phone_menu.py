"""The header menu on a 390 px phone (issue 14), for every role: before, one row was
cut mid-word (专题培训与送教上) with no hint that it scrolled, and a trainer's
课程学习统计 and 管理后台 were off screen."""

import pytest
from django.test import Client

from tests.access.world import build_people
from tests.factories.lessons import LectureHallPageFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROLES = ["recruit", "officer", "mid_level", "legal_officer", "mentor", "trainer", "legal_reviewer", "administrator"]


def _sign_in(context, live_server, officer):
    client = Client()
    client.force_login(officer, backend="django.contrib.auth.backends.ModelBackend")
    cookie = client.cookies["sessionid"]
    context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])


def test_every_menu_item_is_reachable_and_readable_on_a_phone(live_server, browser):
    LectureHallPageFactory()
    world = build_people()
    seen = {}
    for role in ROLES:
        context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
        page = context.new_page()
        page.set_default_timeout(15_000)
        _sign_in(context, live_server, world.people[role])
        page.goto(f"{live_server.url}/lessons/")
        nav = page.get_by_role("navigation", name="主导航")
        toggle = nav.get_by_role("button", name="菜单")
        assert toggle.is_visible(), role
        assert "我的课程" in toggle.inner_text()  # the page one is on
        links = nav.get_by_role("link")
        assert not links.first.is_visible()  # closed: one line, nothing cut
        toggle.click()
        assert toggle.get_attribute("aria-expanded") == "true"
        labels = []
        for index in range(links.count()):
            link = links.nth(index)
            assert link.is_visible(), (role, index)
            box = link.bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= 390, (role, link.inner_text())
            # The whole label shows: nothing clipped or hidden by an ellipsis.
            assert link.evaluate("a => a.scrollWidth <= a.clientWidth"), (role, link.inner_text())
            labels.append(link.inner_text().strip())
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, role
        seen[role] = labels
        page.keyboard.press("Escape")
        assert toggle.get_attribute("aria-expanded") == "false"
        toggle.click()
        nav.get_by_role("link", name="专题培训与送教上门").click()
        page.wait_for_url(f"{live_server.url}/lessons/sessions/")
        assert "专题培训与送教上门" in nav.get_by_role("button", name="菜单").inner_text()
        context.close()
    assert {"专题培训与送教上门", "课程学习统计", "管理后台"} <= set(seen["trainer"])
    assert "管理后台" in seen["administrator"]


def test_the_menu_is_a_row_on_a_desktop(live_server, page):
    world = build_people()
    _sign_in(page.context, live_server, world.people["trainer"])
    page.goto(f"{live_server.url}/lessons/")
    nav = page.get_by_role("navigation", name="主导航")
    assert not nav.get_by_role("button", name="菜单").is_visible()
    for name in ("我的课程", "专题培训与送教上门", "课程学习统计", "管理后台"):
        link = nav.get_by_role("link", name=name)
        assert link.is_visible()
        assert link.bounding_box()["x"] + link.bounding_box()["width"] <= 1280
