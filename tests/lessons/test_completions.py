"""Completions that mean something (issue 14): time on the page measured by the
server, most of a video played, a paused and reshuffled retry, late completion."""

import datetime as dt
import io
import json

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from lessons import services
from lessons.models import (
    CourseCompletion,
    KnowledgeCheckAttempt,
    LessonCompletion,
    LessonStudy,
)
from lessons.selectors import lesson_state
from lessons.study import required_seconds
from tests.factories.lessons import (
    LessonPageFactory,
    check_answers,
    knowledge_check,
    rich_text,
    studied,
)

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC)


def _ping(client, lesson, visible=True, media=None):
    response = client.post(
        reverse("lessons:lesson_study_ping", args=[lesson.pk]),
        json.dumps({"visible": visible, "media": media or {}}), content_type="application/json",
    )
    assert response.status_code == 200
    return response.json()


def _complete(client, lesson):
    return client.post(reverse("lessons:lesson_complete", args=[lesson.pk]), follow=True).content.decode()


@pytest.fixture
def video(db):
    from django.core.files.base import ContentFile
    from wagtail.documents.models import Document

    return Document.objects.create(title="现场执法录像", file=ContentFile(b"\x1a\x45\xdf\xa3" * 64, name="scene.webm"))


def test_the_minimum_follows_the_lessons_minutes_within_a_floor_and_ceiling(course, lessons):
    lesson = lessons[0]
    for minutes, expected in [(20, 600), (1, 60), (0, 60), (90, 1200)]:
        lesson.minutes = minutes
        assert required_seconds(lesson) == expected


def test_a_lesson_opened_and_clicked_at_once_is_not_completed(client, login, legal_officer, lessons):
    """Before: one click on 'mark complete' completed a lesson (a course in 2.7 s)."""
    login(legal_officer)
    with time_machine.travel(START, tick=False):
        page = client.get(lessons[0].url).content.decode()
        assert "至少 10 分钟" in page  # a 20-minute lesson: 10 minutes on the page
        _ping(client, lessons[0])
        html = _complete(client, lessons[0])
    assert "还需 10 分钟" in html
    assert not LessonCompletion.objects.exists()


def test_time_is_counted_by_the_servers_clock_between_visible_pings(client, login, legal_officer, lessons):
    lesson = lessons[0]  # 20 minutes: 600 s needed
    login(legal_officer)
    with time_machine.travel(START, tick=False) as clock:
        _ping(client, lesson)  # starts the clock, credits nothing
        clock.shift(15)
        assert _ping(client, lesson)["seconds"] == 15
        clock.shift(20 * 60)  # the laptop slept for 20 minutes: one ping earns at most 30 s
        assert _ping(client, lesson)["seconds"] == 45
        clock.shift(15)
        assert _ping(client, lesson, visible=False)["seconds"] == 45  # another tab was in front
        for _ in range(37):
            clock.shift(15)
            progress = _ping(client, lesson)
        assert progress["seconds"] == 600 and progress["seconds_left"] == 0 and progress["done"]
        html = _complete(client, lesson)
    assert "本讲已完成" in html
    assert LessonCompletion.objects.get(officer=legal_officer, lesson=lesson).study_seconds == 600


def test_pings_sent_quickly_cannot_add_time_that_did_not_pass(client, login, legal_officer, lessons):
    login(legal_officer)
    with time_machine.travel(START, tick=False) as clock:
        for _ in range(50):  # a script hammering the endpoint
            _ping(client, lessons[0])
        clock.shift(1)
        assert _ping(client, lessons[0])["seconds"] == 1
    assert LessonStudy.objects.get().seconds_visible == 1


def test_a_video_lesson_needs_most_of_the_video_played(client, login, legal_officer, course, video):
    lesson = LessonPageFactory(parent=course, title="第三讲 现场执法", minutes=2, body=[
        rich_text(), {"type": "media", "value": {"file": video.pk, "play_as": "auto", "caption": "", "transcript": ""}, "id": "v1"},
    ])
    login(legal_officer)
    with time_machine.travel(START, tick=False) as clock:
        assert "视频已播放：0%" in client.get(lesson.url).content.decode()
        _ping(client, lesson, media={"v1": {"duration": 300, "played": []}})
        for _ in range(4):  # 60 s on the page, the time needed; the video barely started
            clock.shift(15)
            progress = _ping(client, lesson, media={"v1": {"duration": 300, "played": [[0, 15]]}})
        assert progress["seconds_left"] == 0 and not progress["done"]
        assert "需播放 80%" in _complete(client, lesson)
        assert not LessonCompletion.objects.exists()
        # The page claims the whole video after 15 s more: at most 2× the time passed is believed.
        clock.shift(15)
        progress = _ping(client, lesson, media={"v1": {"duration": 30, "played": [[0, 300]]}})
        assert progress["videos"][0]["percent"] == 15  # 45 of 300 s: the first duration stays
        for _ in range(10):
            clock.shift(15)
            progress = _ping(client, lesson, media={"v1": {"duration": 300, "played": [[0, 300]]}})
        assert progress["videos"][0]["watched"] and progress["done"]
        assert "本讲已完成" in _complete(client, lesson)


def test_a_forged_short_first_duration_cannot_make_a_long_video_count_as_watched(
    client, login, legal_officer, course
):
    """The first duration a page reports was trusted: a script claiming a 300 MB lecture
    lasts 10 s had it "80 % played" in 8 s. The file's size sets its least length."""
    from django.core.files.base import ContentFile
    from wagtail.documents.models import Document

    from lessons.study import MAX_VIDEO_BITS_PER_SECOND

    lecture = Document.objects.create(
        title="讲座录像", file=ContentFile(b"\x1a\x45\xdf\xa3" * 64, name="lecture.webm"), file_size=300_000_000
    )
    least = 300_000_000 * 8 / MAX_VIDEO_BITS_PER_SECOND  # 300 s
    lesson = LessonPageFactory(parent=course, title="第三讲 讲座", minutes=2, body=[
        rich_text(), {"type": "media", "value": {"file": lecture.pk, "play_as": "auto", "caption": "", "transcript": ""}, "id": "v1"},
    ])
    login(legal_officer)
    with time_machine.travel(START, tick=False) as clock:
        _ping(client, lesson, media={"v1": {"duration": 10, "played": []}})
        for _ in range(6):
            clock.shift(15)
            progress = _ping(client, lesson, media={"v1": {"duration": 10, "played": [[0, 10]]}})
        assert progress["seconds_left"] == 0
        assert not progress["videos"][0]["watched"] and not progress["done"]
        assert progress["videos"][0]["percent"] == int(100 * 10 / least)
        assert LessonStudy.objects.get().media["v1"]["duration"] == least
    assert not LessonCompletion.objects.exists()


def test_a_failed_check_says_how_many_not_which_and_reopens_after_a_pause_reshuffled(
    client, login, legal_officer, course
):
    lesson = LessonPageFactory(parent=course, title="第三讲", body=[rich_text(), knowledge_check()])
    block_id, wrong = check_answers(lesson, right=False)
    _, right = check_answers(lesson)
    url = reverse("lessons:knowledge_check", args=[lesson.pk, block_id])
    login(legal_officer)
    with time_machine.travel(START, tick=False) as clock:
        html = client.post(url, {f"q-{k}": v for k, v in wrong.items()}, follow=True).content.decode()
        assert "共 2 题，答对 0 题" in html
        assert "回答错误" not in html and "option--correct" not in html and "checked" not in html
        assert "17:02:00" in html  # when the next attempt opens (09:00 UTC is 17:00 in Beijing)
        clock.shift(60)
        html = client.post(url, {f"q-{k}": v for k, v in right.items()}, follow=True).content.decode()
        assert "下一次作答" in html
        assert KnowledgeCheckAttempt.objects.count() == 1
        clock.shift(61)
        client.post(url, {f"q-{k}": v for k, v in right.items()})
    assert KnowledgeCheckAttempt.objects.filter(passed=True).count() == 1


def test_each_attempt_asks_in_a_new_order_and_a_reload_keeps_it(legal_officer, course):
    lesson = LessonPageFactory(parent=course, title="第三讲", body=[rich_text(), knowledge_check()])
    block_id, wrong = check_answers(lesson, right=False)

    def order():
        section = next(s for s in lesson_state(lesson=lesson, officer=legal_officer)["sections"] if s["check"])
        return [(q["id"], tuple(o["index"] for o in q["options"])) for q in section["check"]["questions"]]

    orders = set()
    for day in range(6):
        assert order() == order()  # a reload asks in the same order
        orders.add(tuple(order()))
        with time_machine.travel(START + dt.timedelta(days=day)):
            services.knowledge_check_submit(officer=legal_officer, lesson=lesson, block_id=block_id, answers=wrong)
    assert len(orders) > 1


def test_a_late_completion_is_recorded_and_shown_on_the_dashboard_and_export(
    client, login, legal_officer, course, studied_lessons
):
    lessons = studied_lessons  # due 2026-12-31
    block_id, right = check_answers(lessons[1])
    with time_machine.travel(dt.datetime(2027, 1, 5, 9, tzinfo=dt.UTC)):
        services.lesson_complete(officer=legal_officer, lesson=lessons[0])
        services.knowledge_check_submit(officer=legal_officer, lesson=lessons[1], block_id=block_id, answers=right)
        services.lesson_complete(officer=legal_officer, lesson=lessons[1])
        completion = CourseCompletion.objects.get()
        assert completion.is_late and completion.due_on == dt.date(2026, 12, 31)
        assert completion.study_seconds == sum(required_seconds(lesson) for lesson in lessons)
        assert completion.checks_passed == 1 and completion.lesson_count == 2
        trainer = _trainer()
        login(trainer)
        html = client.get(
            reverse("lessons:dashboard_course", args=[course.pk]), {"unit": legal_officer.unit_id}
        ).content.decode()
        sheet = client.get(reverse("lessons:dashboard_export", args=[course.pk])).content
    assert "逾期完成" in html
    book = load_workbook(io.BytesIO(sheet))
    values = [cell for row in book.worksheets[0].iter_rows(values_only=True) for cell in row]
    assert "逾期完成" in values


def test_an_in_time_completion_is_not_late(legal_officer, course, studied_lessons):
    lessons = studied_lessons
    block_id, right = check_answers(lessons[1])
    with time_machine.travel(dt.datetime(2026, 12, 31, 15, tzinfo=dt.UTC)):  # 23:00 in Beijing, the due day
        services.lesson_complete(officer=legal_officer, lesson=lessons[0])
        services.knowledge_check_submit(officer=legal_officer, lesson=lessons[1], block_id=block_id, answers=right)
        services.lesson_complete(officer=legal_officer, lesson=lessons[1])
    assert not CourseCompletion.objects.get().is_late


def test_the_lesson_page_reports_what_is_still_needed(client, login, legal_officer, lessons):
    login(legal_officer)
    studied(legal_officer, lessons[0], seconds=120)
    html = client.get(lessons[0].url).content.decode()
    assert "目前已学 2 分钟" in html and "data-study-complete disabled" in html
    studied(legal_officer, lessons[0])
    html = client.get(lessons[0].url).content.decode()
    assert "学习时长已满足" in html and "data-study-complete disabled" not in html


def _trainer():
    from officers.roles import Role
    from tests.factories.officers import LegalAffairsUnitFactory, OfficerFactory

    return OfficerFactory(unit=LegalAffairsUnitFactory(), roles=[Role.TRAINER])
