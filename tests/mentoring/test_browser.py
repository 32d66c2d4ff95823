"""On a phone: the mentor logs a shift, the recruit acknowledges it, the progress page shows it."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from mentoring.curriculum import curriculum_seed
from mentoring.models import Competency, LogDraft, LogStatus, ShadowingLog
from officers.roles import Tier
from tests.factories.mentoring import MentorFactory, MentorshipFactory, RecruitFactory
from tests.factories.officers import UnitFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_mentor_logs_a_shift_on_a_phone_and_the_recruit_acknowledges(live_server, phone, log_in_as):
    curriculum_seed()
    station = UnitFactory(name="东城派出所")
    mentor = MentorFactory(police_number="300001", name="刘师傅", unit=station)
    recruit = RecruitFactory(police_number="400001", name="李新警", unit=station, tier=Tier.RECRUIT)
    mentorship = MentorshipFactory(
        mentor=mentor, recruit=recruit, started_on=timezone.localdate() - dt.timedelta(days=20)
    )
    first = Competency.objects.get(name="接处警")
    low = Competency.objects.get(name="受案立案")

    log_in_as(phone, live_server, mentor)
    phone.get_by_role("link", name="跟班培训").first.click()
    phone.locator(".mentorship-cards").get_by_role("link", name="李新警").click()
    phone.get_by_role("link", name="填写带教记录").click()
    assert phone.get_by_label("日期").input_value() == timezone.localdate().isoformat()
    assert "李新警" in phone.locator("main").inner_text()

    # The draft is kept on the server while typing, and comes back after a reload.
    phone.get_by_label("表现最好的方面").fill("接警后询问报警人要素齐全")
    # (expect, not wait_for_function: the Content-Security-Policy refuses the eval that one needs)
    expect(phone.locator(".draft-status")).to_contain_text("草稿已保存")
    phone.reload()
    assert phone.get_by_label("表现最好的方面").input_value() == "接警后询问报警人要素齐全"

    # Every choice is a row of buttons: one tap each (see test_browser_taps.py for the counts).
    phone.locator("label.chip", has_text="接处警").first.click()
    phone.locator("label.chip", has_text="协助").first.click()
    phone.locator(f"#rating-row-{first.pk} .rating-scale__option", has_text="5").click()
    phone.locator(f"#rating-row-{low.pk} .rating-scale__option", has_text="2").click()
    assert phone.locator(f"#id_comment_{low.pk}").evaluate("el => el.required")  # asked for at once
    phone.get_by_label("有待改进的方面").fill("受案登记缺少报警人联系方式")
    phone.get_by_label("下一班次计划").fill("练习受案登记和回执")
    phone.get_by_role("button", name="提交记录").click()
    # A rating of 2 needs a comment: the form says so and keeps what was typed.
    assert "须写明观察到的具体表现" in phone.locator("main").inner_text()
    phone.locator(f"#id_comment_{low.pk}").fill("两次遗漏报警人联系方式")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.get_by_role("button", name="提交记录").click()
    phone.wait_for_url(f"{live_server.url}/mentoring/logs/*/")
    assert "待新警确认" in phone.locator("main").inner_text()
    log = ShadowingLog.objects.get(mentorship=mentorship)
    assert log.ratings.get(competency=low).comment == "两次遗漏报警人联系方式"
    # The page's last autosave, sent as it unloaded, must not bring the sent log back as a draft.
    phone.goto(f"{live_server.url}/mentoring/mentorships/{mentorship.pk}/logs/new/")
    assert phone.get_by_label("表现最好的方面").input_value() == ""
    assert not LogDraft.objects.filter(mentorship=mentorship).exists()

    phone.get_by_role("button", name="退出登录").click()
    log_in_as(phone, live_server, recruit)
    phone.get_by_role("link", name="跟班培训").first.click()
    phone.get_by_role("link", name=timezone.localdate().isoformat(), exact=False).first.click()
    phone.get_by_label("您的意见（选填）").fill("明白，下次注意登记联系方式")
    phone.get_by_role("button", name="我已阅读此记录").click()
    assert "已确认并锁定" in phone.locator("main").inner_text()
    log.refresh_from_db()
    assert log.status == LogStatus.ACKNOWLEDGED

    phone.get_by_role("link", name="李新警 的培训进度").click()
    main = phone.locator("main")
    assert main.locator(".stat-shifts").inner_text() == "1"
    assert main.locator("svg.ratings-chart circle").count() == 1
    assert "已确认" in main.locator(".log-list").inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
