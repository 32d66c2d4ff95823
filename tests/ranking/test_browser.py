"""In a real browser: an officer finds their row in the published ranking, opens their
breakdown and objects; the legal affairs unit accepts, corrects the facts and publishes
the new version."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from playwright.sync_api import expect

from officers.roles import Role, Tier
from ranking.models import ManualEntry, Track
from ranking.periods import PeriodKind, period_containing
from ranking.services import (
    manual_entry_create,
    manual_entry_decide,
    points_post,
    ranking_get_or_create,
    ranking_publish,
)
from tests.factories.officers import (
    LegalAffairsUnitFactory,
    OfficerFactory,
    UnitFactory,
)
from tests.factories.ranking import RuleBookFactory, RuleBookVersionFactory
from tests.ranking.conftest import officer_rules

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_officer_objects_and_the_legal_affairs_unit_publishes_a_corrected_version(page, phone, live_server, log_in_as):
    legal = LegalAffairsUnitFactory()
    reviewer = OfficerFactory(police_number="100002", name="周审核", unit=legal, tier=Tier.MID_LEVEL, roles=[Role.LEGAL_REVIEWER])
    admin = OfficerFactory(police_number="000001", name="系统管理员", unit=legal, tier=Tier.MID_LEVEL, roles=[Role.LEGAL_REVIEWER])
    west = UnitFactory(name="西城派出所")
    sun = OfficerFactory(police_number="600001", name="孙民警", unit=west)
    others = [OfficerFactory(unit=west, name=name) for name in ("钱一", "吴二", "郑三")]
    version = RuleBookVersionFactory(rule_book=RuleBookFactory(track=Track.OFFICER), number=1, approved_by=reviewer)
    officer_rules(version)
    period = period_containing(timezone.localdate() - dt.timedelta(days=1), PeriodKind.QUARTER)
    for officer, points in ((sun, 2), (others[0], 8), (others[1], 5), (others[2], 3)):
        entry = manual_entry_create(officer=officer, rule_code="award", points=Decimal(points), occurred_on=period.start,
                                    reason=f"所内执法技能比武 {officer.name}",
                                    evidence=ContentFile(b"%PDF-1.4", name="证书.pdf"), by=admin)
        manual_entry_decide(entry=entry, by=reviewer, approve=True)
    points_post()
    ranking = ranking_get_or_create(track=Track.OFFICER, period_code=period.code)
    ranking_publish(ranking=ranking, by=reviewer, note="季度通报")

    # The officer, on a phone: the published ranking, their row, their breakdown, an objection.
    log_in_as(phone, live_server, sun)
    phone.goto(f"{live_server.url}/ranking/")
    phone.locator("li", has_text=period.label).get_by_role("link", name="已公示").click()
    phone.get_by_role("link", name="找到我的位置").click()
    mine = phone.locator("tr#me")
    expect(mine).to_contain_text("孙民警")
    expect(mine).to_contain_text("4")  # 8, 5, 3 … and his 2 points: fourth
    mine.get_by_role("link", name="明细").click()
    expect(phone.get_by_role("heading", level=1)).to_contain_text("孙民警")
    expect(phone.locator("table.ledger")).to_contain_text("技能比武获奖")
    phone.go_back()
    phone.locator("textarea[name=reason]").fill("我在本季度全市执法技能比武中获个人三等奖（6分），明细中没有计入。")
    phone.get_by_role("button", name="提出异议").click()
    expect(phone.locator("body")).to_contain_text("全市执法技能比武中获个人三等奖")

    # The correction's evidence is entered by another reviewer; 周审核 accepts, approves it and publishes.
    award = manual_entry_create(officer=sun, rule_code="award", points=Decimal(6), occurred_on=period.start,
                                reason="全市执法技能比武个人三等奖（异议复核后补录）",
                                evidence=ContentFile(b"%PDF-1.4", name="获奖证书.pdf"), by=admin)
    log_in_as(page, live_server, reviewer)
    page.goto(f"{live_server.url}/publications/objections/")
    page.locator("tr", has_text="孙民警").get_by_role("link", name="处理").click()
    page.get_by_label("采纳：更正事实后发布新版本").check()
    page.locator("textarea[name=response]").fill("经核实属实，补录6分后发布新版本。")
    page.get_by_role("button", name="保存处理决定").click()
    page.goto(f"{live_server.url}/ranking/manual/{award.pk}/")
    page.get_by_role("button", name="同意").click()
    expect(page.locator(".messages")).to_contain_text("已批准")
    page.goto(f"{live_server.url}/ranking/{Track.OFFICER}/{period.code}/")
    page.locator("textarea[name=note], input[name=note]").first.fill("根据孙民警异议补录技能比武加分")
    page.get_by_role("button", name="公示新版本").click()
    if period.end >= timezone.localdate():
        # The quarter is still running: the page asks first, and the version says so plainly.
        expect(page.locator(".message--warning")).to_contain_text("尚未结束")
        page.get_by_role("button", name="仍然公布").click()
        expect(page.locator("body")).to_contain_text("公示时本期尚未结束")
    expect(page.locator(".changes")).to_contain_text("孙民警")
    expect(page.locator("tr", has_text="孙民警").first).to_contain_text("8")
    assert ManualEntry.objects.get(pk=award.pk).status == "approved"


def test_the_navigation_shows_every_item_on_a_desktop_and_scrolls_on_a_phone(page, phone, live_server, log_in_as):
    """The legal affairs reviewer has the most items: on a desktop they wrap, none hidden off the
    edge; on a phone the 菜单 button opens them all and the page itself never gets wider than the screen."""
    reviewer = OfficerFactory(unit=LegalAffairsUnitFactory(), tier=Tier.MID_LEVEL,
                              roles=[Role.LEGAL_REVIEWER, Role.TRAINER, Role.LEGAL_OFFICER])
    log_in_as(page, live_server, reviewer)
    page.goto(f"{live_server.url}/ranking/")
    links = page.locator(".site-nav a")
    assert links.count() >= 10
    width = page.viewport_size["width"]
    for i in range(links.count()):
        box = links.nth(i).bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width, links.nth(i).inner_text()
    expect(page.locator(".site-nav").get_by_role("link", name="公示")).to_be_visible()
    log_in_as(phone, live_server, reviewer)
    phone.goto(f"{live_server.url}/ranking/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= phone.viewport_size["width"]
    # On a phone one 菜单 button opens every item, each on its own line.
    phone.locator(".site-nav__toggle").click()
    last = phone.locator(".site-nav a").last
    last.scroll_into_view_if_needed()
    expect(last).to_be_in_viewport()
