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
    # The page sends its queue of answers to the batched endpoint (answers/).
    with page.expect_response(lambda r: re.search(r"/answers?/$", r.url) and r.status == 200):
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


def _start(page, live_server, log_in_as, officer, quiz):
    log_in_as(page, live_server, officer)
    page.goto(f"{live_server.url}/assessments/tests/{quiz.pk}/")
    page.get_by_role("button", name="开始答题").click()
    page.wait_for_selector("#q0")
    expect(page.locator("[data-countdown]").first).not_to_have_text("--:--")


def _small_test(title, count=5, **quiz_fields):
    category = CategoryFactory(name=f"{title}门类")
    for i in range(8):
        QuestionFactory(category=category, stem=f"{title}第{i}题：下列说法正确的是？")
    quiz = QuizFactory(title=title, time_limit_minutes=20, **quiz_fields)
    BlueprintRowFactory(quiz=quiz, category=category, count=count, points=2)
    return quiz


def test_a_slow_device_clock_loses_nothing_and_failed_saves_are_retried(page, live_server, log_in_as):
    quiz = _small_test("时钟抽测")
    officer = OfficerFactory(name="钱警官")
    _start(page, live_server, log_in_as, officer, quiz)
    _answer(page, 0, 1)
    state = page.locator("#save-state")
    expect(state).to_have_text("已保存")

    # The phone's clock is years behind: revisions come from the server, so the change still lands.
    page.add_init_script("Date.now = function () { return 1000; };")
    page.reload()
    page.wait_for_selector("#q0")
    _answer(page, 0, 2)
    expect(state).to_have_text("已保存")
    item = Sitting.objects.get(officer=officer).paper.get(position=0)
    assert item.choice == [item.option_order[2]] and item.revision == 2

    # The network drops the save: the page says so (calmly: the answer waits on the device),
    # then retries by itself.
    page.route("**/answer*/", lambda route: route.abort())
    page.locator("#q0 .next").click()
    page.locator("#q1 .option").nth(3).click()
    expect(state).to_have_text(re.compile("网络已断开"))
    expect(state).to_have_class(re.compile(r"\bis-warn\b"))
    page.unroute("**/answer*/")
    expect(state).to_have_text("已保存", timeout=10_000)
    item = Sitting.objects.get(officer=officer).paper.get(position=1)
    assert item.choice == [item.option_order[3]]


def test_a_refused_save_is_shown_and_hand_in_waits_for_pending_saves(page, live_server, log_in_as):
    quiz = _small_test("拒存抽测")
    officer = OfficerFactory(name="孙警官")
    _start(page, live_server, log_in_as, officer, quiz)
    state = page.locator("#save-state")

    # The server keeps a newer answer (another device): never shown as 已保存.
    page.route("**/answers/", lambda route: route.fulfill(
        status=200, content_type="application/json",
        body='{"results": [{"position": 0, "saved": false, "revision": 7}]}'))
    page.locator("#q0 .option").nth(1).click()
    expect(state).to_have_text(re.compile("未保存"))
    expect(state).to_have_class(re.compile(r"\bis-bad\b"))
    expect(page.locator(".nav-q[data-goto='0']")).to_have_class(re.compile(r"\bis-problem\b"))
    page.unroute("**/answers/")

    # A save lost on the network just before 交卷 is sent again before the paper goes in.
    page.locator("#q0 .next").click()
    page.route("**/answer*/", lambda route: route.abort())
    page.locator("#q1 .option").nth(2).click()
    expect(state).to_have_text(re.compile("网络已断开"))
    page.unroute("**/answer*/")
    page.on("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="交卷").click()
    page.wait_for_url("**/result/")
    item = Sitting.objects.get(officer=officer).paper.get(position=1)
    assert item.choice == [item.option_order[2]]


def test_sequential_paper_reopens_at_the_furthest_question(page, live_server, log_in_as):
    quiz = _small_test("顺序抽测", navigation="sequential")
    officer = OfficerFactory(name="李警官")
    _start(page, live_server, log_in_as, officer, quiz)
    with page.expect_response(lambda r: "/position/" in r.url and r.status == 200):
        page.locator(".nav-q[data-goto='3']").click()  # skips ahead without answering
    page.goto(page.url.split("#")[0])  # a reload without the #q3 in the address
    page.wait_for_selector("#q3")
    expect(page.locator("#q3")).to_be_visible()
    expect(page.locator("#q0")).to_be_hidden()
    expect(page.locator(".nav-q[data-goto='0']")).to_be_disabled()
    assert Sitting.objects.get(officer=officer).furthest_position == 3


def test_sequential_paper_fetches_each_question_as_the_officer_moves_on(page, live_server, log_in_as):
    quiz = _small_test("单向抽测", count=3, navigation="sequential")
    officer = OfficerFactory(name="郑警官")
    _start(page, live_server, log_in_as, officer, quiz)
    expect(page.locator(".question")).to_have_count(1)  # the next questions are not in the page
    _answer(page, 0, 1)
    with page.expect_response(lambda r: "/position/" in r.url and r.status == 200):
        page.locator("#q0 .next").click()
    expect(page.locator("#q1")).to_be_visible()
    expect(page.locator("#q0")).to_be_hidden()
    expect(page.locator("#q2")).to_have_count(0)
    _answer(page, 1, 2)
    with page.expect_response(lambda r: "/position/" in r.url and r.status == 200):
        page.locator("#q1 .next").click()
    _answer(page, 2, 0)
    expect(page.locator(".nav-q.is-answered[data-goto]")).to_have_count(3)
    page.on("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="交卷").click()
    page.wait_for_url("**/result/")
    sitting = Sitting.objects.get(officer=officer)
    assert sitting.status != SittingStatus.IN_PROGRESS
    assert [bool(item.choice) for item in sitting.paper.order_by("position")] == [True, True, True]


def test_phone_keeps_the_countdown_in_view(phone, live_server, log_in_as):
    quiz = _small_test("手机抽测", count=6)
    officer = OfficerFactory(name="周警官")
    _start(phone, live_server, log_in_as, officer, quiz)
    phone.locator("#mode").select_option("all")
    phone.locator("#q5").scroll_into_view_if_needed()
    countdown = phone.locator("#countdown")
    expect(countdown).to_be_in_viewport()
    box = countdown.bounding_box()
    assert box["y"] >= 0 and box["y"] < 200


def test_phone_results_table_keeps_names_and_units_whole(phone, live_server, log_in_as):
    from assessments.services import quiz_publish, sitting_start, sitting_submit
    from tests.factories.officers import UnitFactory

    quiz = _small_test("公示抽测")
    unit = UnitFactory(name="城关派出所治安巡逻防控中队")
    for name in ("欧阳振华", "司马长风"):
        sitting_submit(sitting=sitting_start(quiz=quiz, officer=OfficerFactory(name=name, unit=unit)))
    quiz_publish(quiz=quiz, by=None)
    log_in_as(phone, live_server, OfficerFactory(name="吴警官"))
    phone.goto(f"{live_server.url}/assessments/tests/{quiz.pk}/results/")
    cell = phone.locator("td", has_text="城关派出所治安巡逻防控中队").first
    expect(cell).to_be_visible()
    assert cell.evaluate("c => getComputedStyle(c).whiteSpace") == "nowrap"
    lines = "c => { const r = document.createRange(); r.selectNodeContents(c); return r.getClientRects().length; }"
    assert cell.evaluate(lines) == 1  # one line: the table scrolls sideways instead
    assert phone.locator("td", has_text="欧阳振华").first.evaluate(lines) == 1
