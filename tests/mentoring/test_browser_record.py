"""Issue 12 in a browser, on phones: a stale acknowledgement refused with the changes shown,
two phones on one draft, and a session that ends while a log is being written."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from mentoring import services
from mentoring.curriculum import curriculum_seed
from mentoring.models import Competency, LogDraft, LogStatus, ShadowingLog
from mentoring.services import LogEntry, RatingEntry
from tests.factories.mentoring import MentorFactory, MentorshipFactory, RecruitFactory
from tests.factories.officers import TEST_PASSWORD, UnitFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def pair():
    curriculum_seed()
    station = UnitFactory(name="东城派出所")
    mentor = MentorFactory(police_number="300001", name="刘师傅", unit=station)
    recruit = RecruitFactory(police_number="400001", name="李新警", unit=station)
    mentorship = MentorshipFactory(mentor=mentor, recruit=recruit, started_on=timezone.localdate() - dt.timedelta(days=20))
    return mentorship


def _phone(browser):
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def _entry(competency, *, start, end, rating, best="夜班处置冷静"):
    return LogEntry(
        date=timezone.localdate() - dt.timedelta(days=3), start_time=start, end_time=end,
        best=best, worst="照片不全", next_plan="练习笔录", long_shift_confirmed=True,
        ratings={competency.pk: RatingEntry(rating=rating)},
    )


def test_a_stale_acknowledgement_is_refused_with_the_changes_and_the_comment_kept(live_server, phone, log_in_as, pair):
    competency = Competency.objects.get(name="接处警")
    log = services.shadowing_log_submit(
        mentorship=pair, author=pair.mentor, entry=_entry(competency, start=dt.time(17), end=dt.time(8), rating=5)
    )
    log_in_as(phone, live_server, pair.recruit)
    phone.goto(f"{live_server.url}/mentoring/logs/{log.pk}/")
    assert "17:00–08:00" in phone.locator("main").inner_text()
    # Meanwhile the mentor corrects it: 08:30–12:30, the rating from 5 to 3.
    services.shadowing_log_update(
        log=log, author=pair.mentor, base_version=1,
        entry=_entry(competency, start=dt.time(8, 30), end=dt.time(12, 30), rating=3),
    )
    phone.get_by_label("您的意见（选填）").fill("夜班时我一直在场")
    phone.get_by_role("button", name="我已阅读此记录").click()
    main = phone.locator("main")
    expect(main.locator("#stale")).to_contain_text("带教民警在您打开后更正了这条记录")
    stale = main.locator("#stale").inner_text()
    assert "17:00–08:00" in stale and "08:30–12:30" in stale and "评分：接处警" in stale
    assert phone.get_by_label("您的意见（选填）").input_value() == "夜班时我一直在场"
    log.refresh_from_db()
    assert log.status == LogStatus.SUBMITTED
    phone.screenshot(path="/tmp/mrecord/stale-ack-phone.png", full_page=True)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.get_by_role("button", name="我已阅读此记录").click()
    expect(main).to_contain_text("已确认并锁定")
    log.refresh_from_db()
    assert log.status == LogStatus.ACKNOWLEDGED and log.acknowledged_version == 2


def test_two_phones_on_one_draft_see_both_texts_and_lose_neither(live_server, browser, log_in_as, pair):
    first, second = _phone(browser), _phone(browser)
    url = f"{live_server.url}/mentoring/mentorships/{pair.pk}/logs/new/"
    for page in (first, second):
        log_in_as(page, live_server, pair.mentor)
        page.goto(url)
    first.get_by_label("表现最好的方面").fill("甲手机：询问要素齐全")
    expect(first.locator(".draft-status")).to_contain_text("草稿已保存")
    second.get_by_label("表现最好的方面").fill("乙手机：现场秩序维护得好")
    conflict = second.locator(".draft-conflict")
    expect(conflict).to_be_visible()
    boxes = conflict.locator("textarea")
    texts = [boxes.nth(i).input_value() for i in range(boxes.count())]
    assert "甲手机：询问要素齐全" in texts and "乙手机：现场秩序维护得好" in texts
    assert LogDraft.objects.get(mentorship=pair).data["best"] == "甲手机：询问要素齐全"  # not overwritten
    second.screenshot(path="/tmp/mrecord/draft-conflict-phone.png", full_page=True)
    second.get_by_role("button", name="保留本机填写的内容").click()
    expect(second.locator(".draft-status")).to_contain_text("草稿已保存")
    assert LogDraft.objects.get(mentorship=pair).data["best"] == "乙手机：现场秩序维护得好"
    # The first phone types on: it is told, and takes the second phone's draft.
    first.get_by_label("有待改进的方面").fill("照片不全")
    expect(first.locator(".draft-conflict")).to_be_visible()
    first.get_by_role("button", name="使用另一台设备的草稿").click()
    assert first.get_by_label("表现最好的方面").input_value() == "乙手机：现场秩序维护得好"
    expect(first.locator(".draft-status")).to_contain_text("草稿已保存")
    for page in (first, second):
        page.context.close()


def test_a_session_ending_while_writing_keeps_the_text_and_carries_on_after_logging_in(
    live_server, phone, log_in_as, pair
):
    from django.contrib.sessions.models import Session

    competency = Competency.objects.get(name="接处警")
    log_in_as(phone, live_server, pair.mentor)
    url = f"{live_server.url}/mentoring/mentorships/{pair.pk}/logs/new/"
    phone.goto(url)
    phone.get_by_label("表现最好的方面").fill("接警后询问报警人要素齐全")
    expect(phone.locator(".draft-status")).to_contain_text("草稿已保存")
    Session.objects.all().delete()  # 30 minutes idle: the session is gone
    phone.get_by_label("有待改进的方面").fill("受案登记缺少报警人联系方式")
    expired = phone.locator(".session-expired")
    expect(expired).to_be_visible()
    assert "登录已过期" in expired.inner_text()
    phone.screenshot(path="/tmp/mrecord/session-expired-phone.png", full_page=True)
    phone.get_by_role("link", name="重新登录").click()
    phone.get_by_label("警号").fill(pair.mentor.police_number)
    phone.get_by_label("密码").fill(TEST_PASSWORD)
    phone.get_by_role("button", name="登录").click()
    phone.wait_for_url(url)  # back to the form, not to the draft endpoint (no 405)
    assert phone.get_by_label("表现最好的方面").input_value() == "接警后询问报警人要素齐全"
    assert phone.get_by_label("有待改进的方面").input_value() == "受案登记缺少报警人联系方式"
    expect(phone.locator(".draft-status")).to_contain_text("草稿已保存")
    assert phone.locator(".draft-conflict").is_hidden()  # not "saved from another device"
    assert LogDraft.objects.get(mentorship=pair).data["worst"] == "受案登记缺少报警人联系方式"
    # It carries on to a submitted log.
    phone.locator(f"input[name=rating_{competency.pk}][value='5']").check(force=True)
    phone.get_by_label("下一班次计划").fill("练习受案登记")
    phone.get_by_role("button", name="提交记录").click()
    phone.wait_for_url(f"{live_server.url}/mentoring/logs/*/")
    log = ShadowingLog.objects.get(mentorship=pair)
    assert log.worst == "受案登记缺少报警人联系方式"
