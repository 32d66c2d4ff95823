"""In a real browser: a station head audits assigned files on a phone and on a desktop and
submits; a legal affairs reviewer confirms the proposed matches; after the close the
result (formula worked through) and the key appear."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from assessments.case_review.models import CaseReview, ReviewRound, ReviewState
from officers.roles import Role, Tier
from tests.factories.case_review import (
    CaseDocumentFactory,
    CaseFileFactory,
    DefectTypeFactory,
    KeyDefectFactory,
    released_round,
)
from tests.factories.officers import (
    LegalAffairsUnitFactory,
    OfficerFactory,
    UnitFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _audit(page, live_server, title):
    page.goto(f"{live_server.url}/case-review/")
    page.locator(".cr-item", has_text=title).get_by_role("link", name="审核案卷").click()
    page.wait_for_selector(".cr-page img")
    expect(page.locator(".cr-page img").first).to_have_js_property("complete", True)
    page.get_by_role("button", name="添加问题").click()
    finding = page.locator(".cr-finding").last
    finding.locator("[data-field=defect_type]").select_option(label="单人讯问")
    finding.locator("[data-field=document]").select_option(label="讯问笔录")
    finding.locator("[data-field=page]").fill("2")
    finding.locator("[data-field=provision]").fill("《刑事诉讼法》第一百一十八条")
    with page.expect_response(lambda r: "/save/" in r.url and r.status == 200):
        finding.locator("[data-field=description]").fill("讯问只有一名侦查员")
    page.get_by_text("退回补正").click()
    with page.expect_response(lambda r: "/save/" in r.url and r.status == 200):
        page.locator("#reasons").fill("讯问程序违法，应退回补正")
    expect(page.locator("#save-state")).to_have_text("已保存")
    page.reload()  # the draft is on the server
    expect(page.locator(".cr-finding [data-field=description]")).to_have_value("讯问只有一名侦查员")
    expect(page.locator("input[name=conclusion][value=return]")).to_be_checked()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="提交审核意见").click()
    page.wait_for_url("**/result/")
    assert "已提交" in page.content()


def test_audit_on_phone_and_desktop_then_grading_then_result_and_key(browser, page, phone, live_server, log_in_as):
    types = {name: DefectTypeFactory(name=name) for name in ("单人讯问", "超时限办案")}
    home, origin = UnitFactory(name="东城派出所"), UnitFactory(name="南城派出所")
    files = []
    for title in ("张某某盗窃案", "王某某殴打他人案"):
        case_file = CaseFileFactory(title=title, unit=origin)
        document = CaseDocumentFactory(case_file=case_file, title="讯问笔录", page_count=3)
        KeyDefectFactory(case_file=case_file, document=document, defect_type=types["单人讯问"], page=2,
                         weight=Decimal(3), description="讯问由一名侦查人员进行", explanation="讯问时侦查人员不得少于二人。")
        KeyDefectFactory(case_file=case_file, document=document, defect_type=types["超时限办案"], page=3,
                         weight=Decimal(1), description="延长期限未经审批")
        files.append(case_file)
    head = OfficerFactory(police_number="500001", name="赵所长", unit=home, tier=Tier.MID_LEVEL)
    grader = OfficerFactory(police_number="100002", name="周审核", unit=LegalAffairsUnitFactory(), tier=Tier.MID_LEVEL,
                            roles=[Role.LEGAL_REVIEWER])
    round = released_round(reviewers=[head], files=files, per_reviewer=2, by=grader,
                           opens_at=timezone.now() - dt.timedelta(hours=1))

    log_in_as(phone, live_server, head)
    _audit(phone, live_server, "张某某盗窃案")
    log_in_as(page, live_server, head)
    _audit(page, live_server, "王某某殴打他人案")
    assert CaseReview.objects.filter(round=round, state=ReviewState.SUBMITTED).count() == 2

    ReviewRound.objects.filter(pk=round.pk).update(closes_at=timezone.now() - dt.timedelta(minutes=1))
    grading = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900}).new_page()
    log_in_as(grading, live_server, grader)
    for _file in files:
        grading.goto(f"{live_server.url}/case-review/manage/rounds/{round.pk}/grading/")
        grading.get_by_role("link", name="评分", exact=True).first.click()
        expect(grading.locator("select[name^=decision] option[selected]")).to_contain_text("★")
        grading.get_by_role("button", name="确认并计分").click()
        grading.wait_for_url("**/grading/")
    assert {r.score for r in CaseReview.objects.filter(round=round)} == {Decimal("80.00")}  # 3 ÷ 4 × 80 + 20

    page.goto(f"{live_server.url}/case-review/")
    page.locator(".cr-item", has_text="张某某盗窃案").get_by_role("link", name="成绩与标准答案").click()
    expect(page.locator(".score-big")).to_have_text(re.compile(r"80\s*分"))
    expect(page.locator(".formula")).to_contain_text("3 ÷ 4 × 80 = 60")
    expect(page.get_by_text("讯问时侦查人员不得少于二人。")).to_be_visible()
    expect(page.get_by_text("延长期限未经审批")).to_be_visible()


def test_a_page_left_open_on_another_device_never_overwrites_the_newer_draft(browser, page, phone, live_server,
                                                                              log_in_as):
    """Phone and desktop open the file at the same draft; the phone records a finding; the desktop,
    still showing the old draft, is told its typing is not saved, and the phone's finding stays."""
    DefectTypeFactory(name="单人讯问")
    case_file = CaseFileFactory(title="张某某盗窃案", unit=UnitFactory(name="南城派出所"))
    CaseDocumentFactory(case_file=case_file, title="讯问笔录", page_count=2)
    KeyDefectFactory(case_file=case_file)
    head = OfficerFactory(police_number="500001", name="赵所长", unit=UnitFactory(name="东城派出所"), tier=Tier.MID_LEVEL)
    round = released_round(reviewers=[head], files=[case_file], per_reviewer=1,
                           opens_at=timezone.now() - dt.timedelta(hours=1))
    review = CaseReview.objects.get(round=round)
    log_in_as(phone, live_server, head)
    log_in_as(page, live_server, head)
    phone.goto(f"{live_server.url}/case-review/reviews/{review.pk}/")
    page.goto(f"{live_server.url}/case-review/reviews/{review.pk}/")

    phone.get_by_role("button", name="添加问题").click()
    with phone.expect_response(lambda r: "/save/" in r.url):
        phone.locator(".cr-finding [data-field=description]").fill("手机上记的问题")
    expect(phone.locator("#save-state")).to_have_text("已保存")

    for reasons in ("桌面旧页面上打的字", "桌面旧页面上又打的字"):
        with page.expect_response(lambda r: "/save/" in r.url):
            page.locator("#reasons").fill(reasons)
        expect(page.locator("#save-state")).to_contain_text("未保存")
    review.refresh_from_db()
    assert review.conclusion_reasons == ""
    assert list(review.findings.values_list("description", flat=True)) == ["手机上记的问题"]
