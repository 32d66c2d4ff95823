"""The two-minute log on a phone (390×844), measured in taps.

Every Playwright click is one tap; every fill is one tap (to focus the box) and one
typed field. Targets (issue 12): a typical log in at most 12 taps from the mentor's
landing page, all 13 ratings in at most 14 taps. The figures are printed (run with -s)
and written to /tmp/mentoring-taps.txt for the report.
"""

import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from mentoring.curriculum import curriculum_seed
from mentoring.models import Competency, LogActivity, ShadowingLog
from tests.factories.mentoring import (
    MentorFactory,
    MentorshipFactory,
    RecruitFactory,
    ShadowingLogFactory,
)
from tests.factories.officers import UnitFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FIGURES = Path("/tmp/mentoring-taps.txt")


class Taps:
    """Counts what a mentor's thumb does: taps (clicks, and focusing a box) and typed fields."""

    def __init__(self, page):
        self.page, self.taps, self.typed = page, 0, 0

    def tap(self, locator):
        locator.click()
        self.taps += 1

    def type(self, locator, text):
        locator.fill(text)
        self.taps += 1
        self.typed += 1

    def rate(self, competency, value):
        """One tap on the competency's button row."""
        row = self.page.locator(f"#rating-row-{competency.pk}")
        self.tap(row.locator(".rating-scale__option", has_text=str(value)).first)


def _record(line):
    print(line)
    with FIGURES.open("a", encoding="utf-8") as out:
        out.write(line + "\n")


@pytest.fixture
def pair():
    curriculum_seed()
    station = UnitFactory(name="东城派出所")
    mentor = MentorFactory(police_number="300001", name="刘师傅", unit=station)
    recruit = RecruitFactory(police_number="400001", name="李新警", unit=station)
    mentorship = MentorshipFactory(mentor=mentor, recruit=recruit, started_on=timezone.localdate() - dt.timedelta(days=20))
    # Yesterday's shift: today's form starts with its times.
    ShadowingLogFactory(mentorship=mentorship, date=timezone.localdate() - dt.timedelta(days=1),
                        start_time=dt.time(8, 30), end_time=dt.time(17, 30))
    return mentorship


def test_a_typical_log_takes_at_most_12_taps_from_the_landing_page(live_server, phone, log_in_as, pair):
    log_in_as(phone, live_server, pair.mentor)
    phone.goto(f"{live_server.url}/mentoring/")
    names = ["接处警", "询问讯问与笔录制作", "受案立案", "法律基础知识"]
    competencies = {c.name: c for c in Competency.objects.filter(name__in=names)}

    taps = Taps(phone)
    taps.tap(phone.get_by_role("link", name="记录今天与李新警的班次"))
    assert phone.get_by_label("日期").input_value() == timezone.localdate().isoformat()
    assert phone.get_by_label("开始").input_value() == "08:30"  # yesterday's hours
    taps.tap(phone.locator("label.chip", has_text="接处警").first)
    taps.tap(phone.locator("label.chip", has_text="协助").first)
    for name, value in zip(names, (5, 4, 4, 3), strict=True):
        taps.rate(competencies[name], value)
    taps.type(phone.get_by_label("表现最好的方面"), "接警后询问报警人要素齐全")
    taps.type(phone.get_by_label("有待改进的方面"), "受案登记缺少报警人联系方式")
    taps.type(phone.get_by_label("下一班次计划"), "练习受案登记和回执")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    taps.tap(phone.get_by_role("button", name="提交记录"))
    phone.wait_for_url(f"{live_server.url}/mentoring/logs/*/")

    _record(f"typical log (4 ratings, 1 incident, 3 narrative fields): {taps.taps} taps, {taps.typed} typed fields")
    assert taps.taps <= 12
    log = ShadowingLog.objects.get(mentorship=pair, date=timezone.localdate())
    assert {r.competency.name: r.rating for r in log.ratings.all()} == dict(zip(names, (5, 4, 4, 3), strict=True))
    assert LogActivity.objects.get(log=log).get_kind_display() == "接处警"
    # Back on the landing page, today's log is done.
    phone.goto(f"{live_server.url}/mentoring/")
    expect(phone.get_by_role("link", name="今天已记录：李新警")).to_be_visible()


def test_rating_all_13_competencies_takes_13_taps(live_server, phone, log_in_as, pair):
    log_in_as(phone, live_server, pair.mentor)
    phone.goto(f"{live_server.url}/mentoring/mentorships/{pair.pk}/logs/new/")
    competencies = list(Competency.objects.filter(is_active=True))
    assert len(competencies) == 13
    taps = Taps(phone)
    for i, competency in enumerate(competencies):
        taps.rate(competency, 3 + i % 4)  # 3–6: no comment needed
    rating_taps = taps.taps
    for label, text in (("表现最好的方面", "现场控制到位"), ("有待改进的方面", "笔录要素缺失"), ("下一班次计划", "练习笔录")):
        taps.type(phone.get_by_label(label), text)
    taps.tap(phone.get_by_role("button", name="提交记录"))
    phone.wait_for_url(f"{live_server.url}/mentoring/logs/*/")
    _record(f"all 13 ratings: {rating_taps} taps; the whole log with them: {taps.taps} taps, {taps.typed} typed fields")
    assert rating_taps + 1 <= 14  # the 13 ratings and the submit
    log = ShadowingLog.objects.get(mentorship=pair, date=timezone.localdate())
    assert log.ratings.count() == 13 and not log.ratings.filter(rating__isnull=True).exists()


def test_comments_only_when_needed_errors_scroll_to_their_field_and_a_long_shift_is_confirmed(
    live_server, phone, log_in_as, pair
):
    log_in_as(phone, live_server, pair.mentor)
    phone.goto(f"{live_server.url}/mentoring/mentorships/{pair.pk}/logs/new/")
    low = Competency.objects.get(name="现场处置与取证")
    row = phone.locator(f"#rating-row-{low.pk}")
    comment = phone.locator(f"#id_comment_{low.pk}")
    expect(comment).to_be_hidden()  # no box until a rating needs one
    row.locator(".rating-scale__option", has_text="2").first.click()
    expect(comment).to_be_visible()
    row.locator(".rating-scale__option", has_text="未观察").click()
    expect(comment).to_be_hidden()
    row.locator(".rating-scale__option", has_text="2").first.click()

    # 17:00–08:00 typed for 08:00–17:00: asked about before saving.
    phone.get_by_label("开始").fill("17:00")
    phone.get_by_label("结束").fill("08:00")
    phone.get_by_label("结束").dispatch_event("change")
    expect(phone.locator(".long-shift")).to_be_visible()
    phone.get_by_label("表现最好的方面").fill("现场控制到位")
    phone.get_by_label("下一班次计划").fill("练习现场拍照")
    phone.get_by_role("button", name="提交记录").click()
    # Refused: the page opens at the first field to correct, nothing typed is lost.
    first_error = phone.locator(".field--error").first
    expect(first_error).to_be_in_viewport()
    main = phone.locator("main").inner_text()
    assert "这个班次长达15.0小时（17:00至次日08:00）" in main
    assert "须写明观察到的具体表现" in main
    assert phone.get_by_label("表现最好的方面").input_value() == "现场控制到位"
    assert not ShadowingLog.objects.filter(mentorship=pair, date=timezone.localdate()).exists()

    phone.get_by_label("结束").fill("08:00")
    phone.get_by_text("确认：这个班次确实超过12小时").click()
    comment.fill("现场照片漏拍两处")
    phone.get_by_label("有待改进的方面").fill("现场照片不全")
    phone.get_by_role("button", name="提交记录").click()
    phone.wait_for_url(f"{live_server.url}/mentoring/logs/*/")
    log = ShadowingLog.objects.get(mentorship=pair, date=timezone.localdate())
    assert log.duration_minutes == 15 * 60


def test_the_progress_table_fits_a_phone_with_latest_rating_and_trend(live_server, phone, log_in_as, pair):
    competency = Competency.objects.get(name="接处警")
    for days, rating in ((6, 3), (5, 3), (4, 4), (3, 5), (2, 5)):
        log = ShadowingLogFactory(mentorship=pair, date=timezone.localdate() - dt.timedelta(days=days))
        log.ratings.create(competency=competency, rating=rating)
    log_in_as(phone, live_server, pair.mentor)
    phone.goto(f"{live_server.url}/mentoring/mentorships/{pair.pk}/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    row = phone.locator(".competency-table tr", has_text="接处警").first
    latest = row.locator(".competency-table__latest")
    row.scroll_into_view_if_needed()
    box = latest.bounding_box()
    trend = row.locator(".trend .tag").bounding_box()
    assert box["x"] + box["width"] <= 390 and trend["x"] + trend["width"] <= 390
    assert latest.inner_text().strip() == "5"
    assert "上升" in row.inner_text()
    assert "练习5次，评分5次" in row.inner_text()  # counts in words, no hover needed
