"""Exam day in a real browser: the network drops, the clock runs out, the login expires.

Each journey ends by reading the database: every answer the officer gave is there
(or the page named the question it could not save, and why).
"""

import datetime as dt
import json
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from assessments import services
from assessments.models import Sitting, SittingStatus
from assessments.services import DEADLINE_GRACE, answer_save, sitting_submit
from assessments.tasks import sitting_autosubmit
from tests.factories.assessments import (
    BlueprintRowFactory,
    CategoryFactory,
    EssayQuestionFactory,
    QuestionFactory,
    QuizFactory,
)
from tests.factories.officers import TEST_PASSWORD, OfficerFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SAVES = re.compile(r"/sittings/\d+/answers?/$")
FLAGS = re.compile(r"/sittings/\d+/flag/$")
ON = re.compile(r"\bis-on\b")


def _test(title, *, count=5, essays=0):
    category = CategoryFactory(name=f"{title}门类")
    for i in range(count + 3):
        QuestionFactory(category=category, stem=f"{title}第{i}题：下列说法正确的是？")
    quiz = QuizFactory(title=title, time_limit_minutes=20)
    BlueprintRowFactory(quiz=quiz, category=category, count=count, points=2)
    if essays:
        written = CategoryFactory(name=f"{title}简答")
        for i in range(essays + 1):
            EssayQuestionFactory(category=written, stem=f"{title}简答{i}：简述盘查的法定条件。")
        BlueprintRowFactory(quiz=quiz, category=written, count=essays, points=10)
    return quiz


def _start(page, live_server, log_in_as, officer, quiz):
    log_in_as(page, live_server, officer)
    page.goto(f"{live_server.url}/assessments/tests/{quiz.pk}/")
    page.get_by_role("button", name="开始答题").click()
    page.wait_for_selector("#q0")
    expect(page.locator("[data-countdown]").first).not_to_have_text("--:--")
    return Sitting.objects.get(quiz=quiz, officer=officer)


def _go(page, index):
    page.locator(f".nav-q[data-goto='{index}']").click()
    expect(page.locator(f"#q{index}")).to_be_visible()


def _choose(page, index, option):
    _go(page, index)
    page.locator(f"#q{index} .option").nth(option).click()


def _choices(sitting):
    """Each question's saved answer as the positions the page showed (what the officer clicked)."""
    return {
        item.position: sorted(item.option_order.index(c) for c in item.choice)
        for item in sitting.paper.all()
    }


def _shoot(page, name):
    """The page as it stands, on a desktop (1280×800) and on a phone (390×844)."""
    size = page.viewport_size
    for label, width, height in (("desktop", 1280, 800), ("phone", 390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=f"/tmp/examui/{name}-{label}.png")
    page.set_viewport_size(size)


def _flags(sitting):
    return {item.position: item.flagged for item in Sitting.objects.get(pk=sitting.pk).paper.all()}


def _flag(page, index):
    _go(page, index)
    page.locator(f"#q{index} .flag").click()


def _relogin(page, officer):
    page.locator("#paper-alert").get_by_role("link", name="重新登录").click()
    page.wait_for_url(re.compile(r"/accounts/login/\?next="))
    page.get_by_label("警号").fill(officer.police_number)
    page.get_by_label("密码").fill(TEST_PASSWORD)
    page.get_by_role("button", name="登录").click()


def _queued(page, sitting):
    stored = page.evaluate(f"localStorage.getItem('paper-answers:{sitting.pk}')")
    return json.loads(stored) if stored else {}


def test_offline_mid_sitting_keeps_answering_then_sends_everything_and_names_what_was_refused(
    page, live_server, log_in_as,
):
    quiz = _test("断网抽测", count=6)
    officer = OfficerFactory(name="冯警官")
    sitting = _start(page, live_server, log_in_as, officer, quiz)
    state, alert = page.locator("#save-state"), page.locator("#paper-alert")
    _choose(page, 0, 1)
    expect(state).to_have_text("已保存")

    page.context.set_offline(True)
    for index, option in ((1, 2), (2, 0), (3, 3), (4, 1)):
        _choose(page, index, option)
    _choose(page, 1, 3)  # a change of mind while offline: the newest answer is the one sent
    expect(alert).to_be_visible()
    expect(alert).to_contain_text("网络已断开，答案保存在本机，恢复后自动提交。")
    expect(alert).to_contain_text("待提交：第 2、3、4、5 题。")
    expect(state).to_have_class(re.compile(r"\bis-warn\b"))
    expect(page.locator(".nav-q.is-pending")).to_have_count(4)
    # Nothing reached the server; all of it waits on the device, even if the tab crashes now.
    assert _choices(Sitting.objects.get(pk=sitting.pk))[1] == []
    assert sorted(_queued(page, sitting)) == ["1", "2", "3", "4"]
    page.screenshot(path="/tmp/examui/offline-desktop.png")

    # Meanwhile the officer answered question 5 on another device: that newer answer must win.
    answer_save(sitting_id=sitting.pk, officer=officer, position=4, revision=50, choice=[2])

    with page.expect_response(lambda r: SAVES.search(r.url) is not None):
        page.context.set_offline(False)
    # Named, with the reason: a newer answer came from another window or device.
    expect(alert).to_contain_text("第 5 题：未保存：此题已在其他窗口或设备上保存了较新的答案")
    expect(state).to_have_text("部分答案未保存")
    expect(page.locator(".nav-q.is-problem")).to_have_count(1)
    expect(page.locator(".nav-q.is-pending")).to_have_count(0)
    answers = _choices(Sitting.objects.get(pk=sitting.pk))
    assert answers[0] == [1] and answers[1] == [3] and answers[2] == [0] and answers[3] == [3]
    assert answers[4] == [2]  # the other device's newer answer stands
    assert _queued(page, sitting) == {}

    # As the page says, a reload shows the other device's answer; changing it then saves.
    page.reload()
    page.wait_for_selector("#q0", state="attached")
    _go(page, 4)
    expect(page.locator("#q4 .option input").nth(2)).to_be_checked()
    _choose(page, 4, 1)
    expect(state).to_have_text("已保存")
    expect(page.locator(".nav-q.is-problem")).to_have_count(0)
    assert _choices(Sitting.objects.get(pk=sitting.pk))[4] == [1]


def test_offline_answers_survive_a_reload_and_are_sent_when_the_page_comes_back(page, live_server, log_in_as):
    quiz = _test("重载抽测", count=3, essays=1)
    officer = OfficerFactory(name="蒋警官")
    sitting = _start(page, live_server, log_in_as, officer, quiz)
    essay = page.locator(".question[data-type='essay']")
    essay_index = int(essay.get_attribute("id")[1:])
    choice_index = 0 if essay_index else 1

    page.context.set_offline(True)
    _choose(page, choice_index, 2)
    _go(page, essay_index)
    essay.locator("textarea").fill("盘查须有违法犯罪嫌疑，并出示工作证件。")
    expect(page.locator("#paper-alert")).to_contain_text("网络已断开")
    # The tab dies with the network still down; the officer opens the paper again later.
    page.route(SAVES, lambda route: route.abort())  # the first load still cannot reach the save
    page.context.set_offline(False)
    page.reload()
    page.wait_for_selector("#q0", state="attached")
    expect(page.locator(f"#q{choice_index} .option input").nth(2)).to_be_checked()
    page.unroute(SAVES)
    _go(page, essay_index)
    expect(essay.locator("textarea")).to_have_value("盘查须有违法犯罪嫌疑，并出示工作证件。")
    expect(page.locator("#save-state")).to_have_text("已保存", timeout=20_000)
    paper = {item.position: item for item in Sitting.objects.get(pk=sitting.pk).paper.all()}
    assert paper[essay_index].text == "盘查须有违法犯罪嫌疑，并出示工作证件。"
    assert _choices(Sitting.objects.get(pk=sitting.pk))[choice_index] == [2]


def _run_out_the_clock(page, sitting, seconds):
    """The sitting's deadline `seconds` from now on the server; the page reloaded to count down to it."""
    Sitting.objects.filter(pk=sitting.pk).update(deadline=timezone.now() + dt.timedelta(seconds=seconds))
    page.reload()
    page.wait_for_selector("#q0")


def test_countdown_reaching_zero_hands_the_paper_in_as_time_up(page, live_server, log_in_as):
    quiz = _test("到时抽测", count=3)
    officer = OfficerFactory(name="韩警官")
    sitting = _start(page, live_server, log_in_as, officer, quiz)
    _run_out_the_clock(page, sitting, 6)
    _choose(page, 0, 2)
    expect(page.locator("#save-state")).to_have_text("已保存")
    expect(page.locator("#countdown")).to_have_class(re.compile(r"\bis-low\b"))
    expect(page.locator("#paper-alert")).to_contain_text("时间到，正在交卷", timeout=10_000)
    page.screenshot(path="/tmp/examui/timeup-desktop.png")
    page.wait_for_url("**/result/", timeout=15_000)
    # The confirmation says what happened: the system handed the paper in at time-up.
    expect(page.locator(".messages")).to_have_text("时间到，系统已自动交卷。")
    expect(page.locator("body")).not_to_contain_text("您已交卷")
    expect(page.locator("body")).to_contain_text("时间到自动交卷")
    _shoot(page, "timeup-result")
    sitting.refresh_from_db()
    assert sitting.status != SittingStatus.IN_PROGRESS
    assert sitting.auto_submitted, "handed in at time-up, not by the officer"
    assert sitting.submitted_at >= sitting.deadline
    assert _choices(sitting)[0] == [2]


def test_the_server_hands_in_while_the_page_is_offline_at_zero(page, live_server, log_in_as):
    quiz = _test("断网到时抽测", count=3)
    officer = OfficerFactory(name="杨警官")
    sitting = _start(page, live_server, log_in_as, officer, quiz)
    _run_out_the_clock(page, sitting, 5)
    _choose(page, 0, 1)
    expect(page.locator("#save-state")).to_have_text("已保存")
    page.context.set_offline(True)
    _choose(page, 1, 3)  # never reaches the server in time
    expect(page.locator("#paper-alert")).to_contain_text("时间到。网络已断开，恢复后自动交卷。", timeout=15_000)
    page.screenshot(path="/tmp/examui/timeup-offline-desktop.png")

    # The task worker hands the paper in after the deadline and its grace.
    Sitting.objects.filter(pk=sitting.pk).update(deadline=timezone.now() - DEADLINE_GRACE - dt.timedelta(seconds=1))
    sitting_autosubmit.enqueue(sitting_id=sitting.pk)
    sitting.refresh_from_db()
    assert sitting.status != SittingStatus.IN_PROGRESS and sitting.auto_submitted

    page.context.set_offline(False)
    page.wait_for_url("**/result/", timeout=15_000)
    # The page's own hand-in after the server's agrees with the record: at time-up, by the system.
    expect(page.locator(".messages")).to_have_text("时间到，系统已自动交卷。")
    expect(page.locator("body")).not_to_contain_text("您已交卷")
    expect(page.locator("body")).to_contain_text("时间到自动交卷")
    sitting.refresh_from_db()
    assert sitting.auto_submitted
    answers = _choices(sitting)
    assert answers[0] == [1] and answers[1] == []  # the late one was refused by the server, as it must be


def test_expired_login_mid_sitting_says_so_keeps_everything_and_carries_on_after_logging_in(
    page, live_server, log_in_as,
):
    quiz = _test("过期抽测", count=3, essays=1)
    officer = OfficerFactory(name="朱警官")
    sitting = _start(page, live_server, log_in_as, officer, quiz)
    state, alert = page.locator("#save-state"), page.locator("#paper-alert")
    essay = page.locator(".question[data-type='essay']")
    essay_index = int(essay.get_attribute("id")[1:])
    choices = [i for i in range(4) if i != essay_index]
    _choose(page, choices[0], 0)
    expect(state).to_have_text("已保存")

    # 30 minutes idle, or logged out elsewhere: the session is gone.
    page.context.clear_cookies(name="sessionid")
    with page.expect_response(lambda r: SAVES.search(r.url) is not None and r.status == 401):
        _choose(page, choices[1], 3)
    _go(page, essay_index)
    essay.locator("textarea").fill("应当表明执法身份，告知盘查理由。")
    expect(state).to_have_text("登录已过期")
    expect(alert).to_contain_text("登录已过期。已作答的内容保存在本机，重新登录后自动提交。")
    expect(alert).not_to_contain_text("其他窗口或设备")  # never "saved from another device"
    relogin = alert.get_by_role("link", name="重新登录")
    expect(relogin).to_be_visible()
    page.screenshot(path="/tmp/examui/expired-desktop.png")

    relogin.click()
    page.wait_for_url(re.compile(r"/accounts/login/\?next="))
    page.get_by_label("警号").fill(officer.police_number)
    page.get_by_label("密码").fill(TEST_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(rf"/assessments/sittings/{sitting.pk}/#q{essay_index}$"))
    expect(essay).to_be_visible()  # back at the question being answered
    expect(essay.locator("textarea")).to_have_value("应当表明执法身份，告知盘查理由。")
    expect(page.locator(f"#q{choices[1]} .option input").nth(3)).to_be_checked()
    expect(state).to_have_text("已保存")
    expect(page.locator("body")).not_to_contain_text("其他窗口或设备")
    paper = {item.position: item for item in Sitting.objects.get(pk=sitting.pk).paper.all()}
    assert paper[essay_index].text == "应当表明执法身份，告知盘查理由。"
    answers = _choices(Sitting.objects.get(pk=sitting.pk))
    assert answers[choices[0]] == [0] and answers[choices[1]] == [3]

    # Handing in after logging in again works (a fresh CSRF token, no 405 page).
    page.on("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="交卷").click()
    page.wait_for_url("**/result/")
    sitting.refresh_from_db()
    assert sitting.status != SittingStatus.IN_PROGRESS and not sitting.auto_submitted


def test_flags_changed_offline_wait_on_the_device_and_are_sent_after_reconnecting(page, live_server, log_in_as):
    quiz = _test("标记断网抽测", count=4)
    officer = OfficerFactory(name="秦警官")
    sitting = _start(page, live_server, log_in_as, officer, quiz)
    state, alert = page.locator("#save-state"), page.locator("#paper-alert")
    with page.expect_response(lambda r: FLAGS.search(r.url) is not None and r.status == 200):
        _flag(page, 0)
    assert _flags(sitting)[0]

    page.context.set_offline(True)
    _flag(page, 1)
    _flag(page, 2)
    _flag(page, 0)  # taken off again
    _flag(page, 2)
    _flag(page, 2)  # off and on again: the latest state is the one sent
    _choose(page, 3, 1)
    expect(alert).to_contain_text("网络已断开")
    expect(alert).to_contain_text("待提交：第 4 题。")
    expect(alert).to_contain_text("待提交的标记：第 1、2、3 题。")
    expect(page.locator(".nav-q.is-pending")).to_have_count(4)
    assert _flags(sitting) == {0: True, 1: False, 2: False, 3: False}
    _shoot(page, "flags-offline")

    # The tab is reloaded before the server can be reached: the flags wait on the device too.
    page.route(FLAGS, lambda route: route.abort())
    page.route(SAVES, lambda route: route.abort())
    page.context.set_offline(False)
    page.reload()
    page.wait_for_selector("#q0", state="attached")
    expect(page.locator("#q1 .flag")).to_have_class(ON)
    expect(page.locator("#q2 .flag")).to_have_class(ON)
    expect(page.locator("#q0 .flag")).not_to_have_class(ON)
    expect(page.locator(".nav-q[data-goto='0']")).not_to_have_class(re.compile(r"\bis-flagged\b"))
    expect(page.locator(".nav-q[data-goto='1']")).to_have_class(re.compile(r"\bis-flagged\b"))
    page.unroute(FLAGS)
    page.unroute(SAVES)
    expect(state).to_have_text("已保存", timeout=20_000)
    expect(alert).to_contain_text("连接已恢复")
    assert _flags(sitting) == {0: False, 1: True, 2: True, 3: False}
    assert _choices(Sitting.objects.get(pk=sitting.pk))[3] == [1]
    assert page.evaluate(f"localStorage.getItem('paper-flags:{sitting.pk}')") is None


def test_flags_the_server_could_not_take_are_named(page, live_server, log_in_as):
    quiz = _test("标记交卷抽测", count=3)
    officer = OfficerFactory(name="尤警官")
    sitting = _start(page, live_server, log_in_as, officer, quiz)
    alert = page.locator("#paper-alert")
    page.context.set_offline(True)
    _flag(page, 1)
    expect(alert).to_contain_text("待提交的标记：第 2 题。")
    # Meanwhile the paper was handed in on another device.
    sitting_submit(sitting=Sitting.objects.get(pk=sitting.pk))

    page.context.set_offline(False)
    expect(alert).to_contain_text("该答卷已交卷", timeout=10_000)
    expect(alert).to_contain_text("标记未能保存：第 2 题。")
    expect(alert.get_by_role("link", name="查看结果")).to_be_visible()
    _shoot(page, "flags-unsaved")
    assert not _flags(sitting)[1]


def _expire_at_zero(page, sitting, *, pending):
    """The login runs out in the sitting's last seconds; `pending` answers question 2 after it has."""
    state, alert = page.locator("#save-state"), page.locator("#paper-alert")
    _run_out_the_clock(page, sitting, 8)
    _choose(page, 0, 2)
    expect(state).to_have_text("已保存")
    page.context.clear_cookies(name="sessionid")
    if pending:
        with page.expect_response(lambda r: SAVES.search(r.url) is not None and r.status == 401):
            _choose(page, 1, 3)
    expect(alert).to_contain_text("时间到，但登录已过期", timeout=15_000)
    expect(state).to_have_text("登录已过期")
    # Still the paper: no login page reached by a form, no 405, nothing "from another device".
    expect(page).to_have_url(re.compile(rf"/assessments/sittings/{sitting.pk}/(#q\d+)?$"))
    expect(alert).not_to_contain_text("其他窗口或设备")
    expect(alert.get_by_role("link", name="重新登录")).to_be_visible()
    if pending:
        expect(alert).to_contain_text("待提交：第 2 题。")
        assert sorted(_queued(page, sitting)) == ["1"]


def _the_server_hands_in(sitting):
    Sitting.objects.filter(pk=sitting.pk).update(deadline=timezone.now() - DEADLINE_GRACE - dt.timedelta(seconds=1))
    sitting_autosubmit.enqueue(sitting_id=sitting.pk)


def test_login_expiring_at_time_up_says_so_and_after_logging_in_shows_the_time_up_hand_in(
    page, live_server, log_in_as,
):
    quiz = _test("到时过期抽测", count=3)
    officer = OfficerFactory(name="许警官")
    sitting = _start(page, live_server, log_in_as, officer, quiz)
    _expire_at_zero(page, sitting, pending=False)
    _shoot(page, "timeup-expired")
    _the_server_hands_in(sitting)

    _relogin(page, officer)
    page.wait_for_url(re.compile(rf"/assessments/sittings/{sitting.pk}/result/(#q\d+)?$"))
    expect(page.locator(".messages")).to_have_text("时间到，系统已自动交卷。")
    expect(page.locator("body")).to_contain_text("时间到自动交卷")
    expect(page.locator("#paper-leftover")).to_be_hidden()
    sitting.refresh_from_db()
    assert sitting.auto_submitted and sitting.status != SittingStatus.IN_PROGRESS
    assert _choices(sitting)[0] == [2]  # acknowledged before the login ran out


def test_login_expiring_at_time_up_names_the_answers_the_closed_sitting_could_not_take(
    page, live_server, log_in_as,
):
    quiz = _test("到时过期未存抽测", count=3)
    officer = OfficerFactory(name="何警官")
    sitting = _start(page, live_server, log_in_as, officer, quiz)
    _expire_at_zero(page, sitting, pending=True)
    _the_server_hands_in(sitting)

    _relogin(page, officer)
    page.wait_for_url(re.compile(rf"/assessments/sittings/{sitting.pk}/result/(#q\d+)?$"))
    expect(page.locator(".messages")).to_have_text("时间到，系统已自动交卷。")
    expect(page.locator("#paper-leftover")).to_contain_text("考试已结束，以下题目的答案未能保存：第 2 题。")
    _shoot(page, "timeup-expired-result")
    sitting.refresh_from_db()
    assert sitting.auto_submitted
    answers = _choices(sitting)
    assert answers[0] == [2] and answers[1] == []
    assert _queued(page, sitting) == {}  # named once, then off the device


def test_login_expiring_at_time_up_sends_what_waited_if_the_sitting_still_takes_it(
    page, live_server, log_in_as, monkeypatch,
):
    # A long grace: the officer is back before the server closes the sitting.
    monkeypatch.setattr(services, "DEADLINE_GRACE", dt.timedelta(minutes=2))
    quiz = _test("到时过期补交抽测", count=3)
    officer = OfficerFactory(name="吕警官")
    sitting = _start(page, live_server, log_in_as, officer, quiz)
    _expire_at_zero(page, sitting, pending=True)

    _relogin(page, officer)
    page.wait_for_url(re.compile(rf"/assessments/sittings/{sitting.pk}/result/(#q\d+)?$"), timeout=20_000)
    expect(page.locator(".messages")).to_have_text("时间到，系统已自动交卷。")
    expect(page.locator("#paper-leftover")).to_be_hidden()
    sitting.refresh_from_db()
    assert sitting.auto_submitted and sitting.submitted_at >= sitting.deadline
    answers = _choices(sitting)
    assert answers[0] == [2] and answers[1] == [3]
    assert _queued(page, sitting) == {}
