"""An officer sits a test in a real browser: answers, reloads, flags, goes back, submits."""

import re

import pytest
from playwright.sync_api import expect

from assessments.models import Sitting, SittingStatus
from tests.factories.assessments import (
    BlueprintRowFactory,
    CategoryFactory,
    QuestionFactory,
    QuizFactory,
)
from tests.factories.officers import OfficerFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _answer(page, index, option=0):
    with page.expect_response(lambda r: "/answer/" in r.url and r.status == 200):
        page.locator(f"#q{index} .option").nth(option).click()


def test_officer_sits_reloads_flags_goes_back_and_submits(page, live_server, log_in_as):
    category = CategoryFactory(name="刑事诉讼")
    for i in range(8):
        QuestionFactory(category=category, stem=f"第{i}题：拘留后应当在多少小时以内送看守所羁押？")
    quiz = QuizFactory(title="浏览器抽测", time_limit_minutes=20, audience_tiers=["mid_level"])
    BlueprintRowFactory(quiz=quiz, category=category, count=5, points=2)
    officer = OfficerFactory(tier="mid_level", name="赵所长")

    log_in_as(page, live_server, officer)
    page.goto(f"{live_server.url}/assessments/")
    page.get_by_role("link", name="浏览器抽测").first.click()
    page.get_by_role("button", name="开始答题").click()
    page.wait_for_selector("#q0")
    # The countdown is filled in by the page's script once it has run; wait for it.
    expect(page.locator("[data-countdown]")).to_have_text(re.compile(r"^(19|20):\d\d$"))

    _answer(page, 0, 1)
    page.locator("#q0 .next").click()
    _answer(page, 1, 2)
    page.locator("#q1 .flag").click()
    page.locator("#q1 .next").click()
    _answer(page, 2, 0)
    expect(page.locator("#q2")).to_be_visible()
    expect(page.locator("#q0")).to_be_hidden()

    page.reload()
    page.wait_for_selector("#q0", state="attached")
    for index, option in ((0, 1), (1, 2), (2, 0)):
        expect(page.locator(f"#q{index} .option input").nth(option)).to_be_checked()
    expect(page.locator(".nav-q.is-answered[data-goto]")).to_have_count(3)
    expect(page.locator(".nav-q[data-goto='1']")).to_have_class(re.compile(r"\bis-flagged\b"))
    expect(page.locator("#q2")).to_be_visible()  # the reload returns to the question being answered

    page.locator(".nav-q[data-goto='1']").click()  # back to the flagged question
    expect(page.locator("#q1")).to_be_visible()
    _answer(page, 1, 3)
    page.locator("#q1 .flag").click()

    page.on("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="交卷").click()
    page.wait_for_url("**/result/")
    assert "结果" in page.content() and "按法律门类" in page.content()
    sitting = Sitting.objects.get(officer=officer)
    assert sitting.status == SittingStatus.FINAL
    answers = {item.position: item.choice for item in sitting.paper.all()}
    items = {item.position: item for item in sitting.paper.all()}
    assert answers[1] == [items[1].option_order[3]]
    assert answers[3] == [] and not items[1].flagged
