"""In a real browser: an officer finds their row and objects on a phone; the legal affairs
unit accepts on a desktop and issues the new version, which lists the difference."""

import pytest
from playwright.sync_api import expect

from publications.services import publication_publish
from tests.factories.officers import OfficerFactory

from .conftest import FACTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_objection_accepted_and_a_new_version_issued(phone, page, live_server, log_in_as, subject, reviewer):
    officers = [OfficerFactory(unit=subject) for _ in range(130)]
    FACTS[subject.pk] = {o.pk: 200 - i for i, o in enumerate(officers)}
    me = officers[120]
    publication = publication_publish(subject=subject, kind="sample", by=reviewer)

    log_in_as(phone, live_server, me)
    phone.goto(f"{live_server.url}/publications/")
    phone.get_by_role("link", name=publication.title).click()
    phone.get_by_role("link", name="找到我的位置").click()
    row = phone.locator("tr.is-me")
    expect(row).to_be_visible()
    expect(row).to_contain_text(f"民警{me.pk}")
    phone.get_by_label("异议理由").fill("漏记了执法技能比武的加分")
    phone.get_by_role("button", name="提出异议").click()
    expect(phone.get_by_text("异议已提交")).to_be_visible()
    expect(phone.locator(".my-position")).to_contain_text("待处理")

    log_in_as(page, live_server, reviewer)
    page.goto(f"{live_server.url}/publications/objections/")
    page.get_by_role("link", name="处理", exact=True).click()
    page.get_by_label("采纳：更正事实后发布新版本").check()
    page.get_by_label("答复").fill("经核实，补记比武加分。")
    page.get_by_role("button", name="保存处理决定").click()
    expect(page.get_by_text("下一步")).to_be_visible()
    FACTS[subject.pk][me.pk] = 500  # the fact corrected at its source
    page.get_by_role("button", name="发布新版本").click()
    expect(page.get_by_text("第2版已发布")).to_be_visible()
    expect(page.locator(".changes")).to_contain_text(f"民警{me.pk}")
    expect(page.locator(".changes")).to_contain_text("80 → 500")

    phone.goto(f"{live_server.url}/publications/")
    phone.get_by_role("link", name=publication.title).click()
    expect(phone.locator(".my-position")).to_contain_text("经核实，补记比武加分。")
    expect(phone.locator(".my-position")).to_contain_text("已在第2版中更正")
    expect(phone.locator("tr.is-me")).to_contain_text("500")
