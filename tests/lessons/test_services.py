"""Completion rules, certificates, attendance, the export."""

import datetime as dt
import io

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import translation
from openpyxl import load_workbook

from lessons import services
from lessons.models import (
    Attendance,
    AttendanceMethod,
    CourseCompletion,
    KnowledgeCheckAttempt,
    LessonCompletion,
)
from lessons.selectors import course_dashboard, my_courses, session_year_figures
from officers.roles import Role, Tier
from tests.factories.lessons import (
    CoursePageFactory,
    LessonPageFactory,
    TrainingSessionFactory,
    check_answers,
)
from tests.factories.officers import OfficerFactory, UnitFactory
from tests.pdf import pdf_fonts, pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """Messages are matched by their English msgids here; the pages test the Chinese."""
    from django.utils import translation

    with translation.override("en"):
        yield


def test_a_lesson_without_check_completes_once_with_its_time(legal_officer, lessons, studied_lessons):
    with time_machine.travel(dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC), tick=False):
        first = services.lesson_complete(officer=legal_officer, lesson=lessons[0])
    with time_machine.travel(dt.datetime(2026, 11, 21, 9, 0, tzinfo=dt.UTC), tick=False):
        again = services.lesson_complete(officer=legal_officer, lesson=lessons[0])
    assert first.pk == again.pk
    assert LessonCompletion.objects.get().completed_at == dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC)


def test_a_lesson_with_a_check_needs_the_check_passed(legal_officer, lessons, studied_lessons):
    with pytest.raises(ValidationError):
        services.lesson_complete(officer=legal_officer, lesson=lessons[1])
    block_id, wrong = check_answers(lessons[1], right=False)
    attempt = services.knowledge_check_submit(officer=legal_officer, lesson=lessons[1], block_id=block_id, answers=wrong)
    assert not attempt.passed and attempt.correct == 0 and attempt.total == 2
    assert not LessonCompletion.objects.exists()
    _, right = check_answers(lessons[1])
    with time_machine.travel(dt.timedelta(minutes=3)):  # after the pause a failed check imposes
        attempt = services.knowledge_check_submit(officer=legal_officer, lesson=lessons[1], block_id=block_id, answers=right)
    assert attempt.passed and attempt.correct == 2
    # The check may stand mid-lesson: passing it is not reaching the end.
    assert not LessonCompletion.objects.exists()
    services.lesson_complete(officer=legal_officer, lesson=lessons[1])
    assert LessonCompletion.objects.filter(officer=legal_officer, lesson=lessons[1]).exists()


def test_a_multiple_choice_question_needs_every_right_option(legal_officer, lessons):
    block_id, right = check_answers(lessons[1])
    multiple = next(k for k, v in right.items() if len(v) == 2)
    partial = {**right, multiple: right[multiple][:1]}
    attempt = services.knowledge_check_submit(officer=legal_officer, lesson=lessons[1], block_id=block_id, answers=partial)
    assert attempt.correct == 1 and not attempt.passed


def test_finishing_every_lesson_completes_the_course_with_a_certificate(legal_officer, course, lessons, studied_lessons):
    services.lesson_complete(officer=legal_officer, lesson=lessons[0])
    assert not CourseCompletion.objects.exists()
    block_id, right = check_answers(lessons[1])
    services.knowledge_check_submit(officer=legal_officer, lesson=lessons[1], block_id=block_id, answers=right)
    assert not CourseCompletion.objects.exists()
    services.lesson_complete(officer=legal_officer, lesson=lessons[1])
    completion = CourseCompletion.objects.get(officer=legal_officer, course=course)
    assert completion.certificate_number.startswith("YJ-")
    # Re-opening and re-submitting changes nothing.
    services.lesson_complete(officer=legal_officer, lesson=lessons[0])
    services.knowledge_check_submit(officer=legal_officer, lesson=lessons[1], block_id=block_id, answers=right)
    assert CourseCompletion.objects.get().completed_at == completion.completed_at
    assert LessonCompletion.objects.count() == 2


def test_an_officer_outside_the_audience_reads_but_nothing_counts(station, lessons):
    outsider = OfficerFactory(unit=station)  # no legal_officer role
    assert services.lesson_complete(officer=outsider, lesson=lessons[0]) is None
    assert not LessonCompletion.objects.exists()
    assert my_courses(officer=outsider) == []


def test_a_lesson_of_an_unpublished_course_cannot_be_completed(legal_officer, course, lessons):
    course.unpublish()
    with pytest.raises(ValidationError, match="not published"):
        services.lesson_complete(officer=legal_officer, lesson=lessons[0])


def test_an_unpublished_lesson_cannot_be_completed(legal_officer, course):
    draft = LessonPageFactory(parent=course, live=False)
    with pytest.raises(ValidationError):
        services.lesson_complete(officer=legal_officer, lesson=draft)


def test_audience_by_tier_role_and_unit(hall, station):
    other = UnitFactory(name="西城派出所")
    course = CoursePageFactory(parent=hall, audience_tiers=[Tier.RECRUIT], audience_units=[station])
    LessonPageFactory(parent=course)
    recruit_here = OfficerFactory(unit=station, tier=Tier.RECRUIT)
    recruit_there = OfficerFactory(unit=other, tier=Tier.RECRUIT)
    officer_here = OfficerFactory(unit=station, tier=Tier.OFFICER)
    assert [r.course.pk for r in my_courses(officer=recruit_here)] == [course.pk]
    assert my_courses(officer=recruit_there) == []
    assert my_courses(officer=officer_here) == []


def test_my_courses_puts_required_first_and_marks_overdue(hall, station):
    officer = OfficerFactory(unit=station)
    optional = CoursePageFactory(parent=hall, title="选修")
    late = CoursePageFactory(parent=hall, title="逾期必修", is_required=True, due_on=dt.date(2026, 11, 1))
    soon = CoursePageFactory(parent=hall, title="必修", is_required=True, due_on=dt.date(2026, 12, 31))
    for c in (optional, late, soon):
        LessonPageFactory(parent=c)
    with time_machine.travel(dt.datetime(2026, 11, 20, tzinfo=dt.UTC)):
        rows = my_courses(officer=officer)
    assert [r.course.title for r in rows] == ["逾期必修", "必修", "选修"]
    assert [r.overdue for r in rows] == [True, False, False]


def test_the_certificate_pdf_is_chinese_with_an_embedded_cjk_font(legal_officer, course):
    completion = CourseCompletion.objects.create(officer=legal_officer, course=course)
    pdf = services.certificate_render_pdf(completion=completion)
    text = "".join(pdf_text(pdf).split())  # letter-spacing and wrapping add blanks
    assert "结业证书" in text and "王法制" in text and "刑事强制措施" in text
    assert completion.certificate_number in text
    assert any("CJK" in font or "Noto" in font for font in pdf_fonts(pdf))


# --- attendance -----------------------------------------------------------


@pytest.fixture
def session(station):
    trainer = OfficerFactory(name="陈教官", roles=[Role.TRAINER])
    # The fixed code (the venue's rotating code is tested in test_sessions_checkin.py).
    return TrainingSessionFactory(trainer=trainer, invited_units=[station], code_rotates=False)


def test_attendance_by_the_trainers_list(session, legal_officer):
    rows = services.attendance_record_by_list(session=session, officer_ids=[legal_officer.pk], recorded_by=session.trainer)
    assert [(a.officer, a.method) for a in rows] == [(legal_officer, AttendanceMethod.LIST)]
    with pytest.raises(ValidationError, match="already recorded"):
        services.attendance_record_by_list(session=session, officer_ids=[legal_officer.pk], recorded_by=session.trainer)
    assert Attendance.objects.count() == 1


def test_the_list_takes_only_invited_officers(session):
    stranger = OfficerFactory(unit=UnitFactory(name="南城派出所"))
    with pytest.raises(ValidationError):
        services.attendance_record_by_list(session=session, officer_ids=[stranger.pk], recorded_by=session.trainer)


def test_no_attendance_before_the_session_starts(session, legal_officer):
    with time_machine.travel(session.starts_at - dt.timedelta(hours=1)):
        with pytest.raises(ValidationError, match="not started"):
            services.attendance_record_by_list(session=session, officer_ids=[legal_officer.pk], recorded_by=session.trainer)
        with pytest.raises(ValidationError, match="does not check you in"):
            services.attendance_record_by_code(officer=legal_officer, code=session.code)
    assert not Attendance.objects.exists()


def test_attendance_by_code_once(session, legal_officer):
    attendance = services.attendance_record_by_code(officer=legal_officer, code=session.code)
    assert attendance.method == AttendanceMethod.CODE and attendance.session == session
    with pytest.raises(ValidationError, match="already recorded"):
        services.attendance_record_by_code(officer=legal_officer, code=session.code)


def test_a_wrong_or_expired_code_is_refused_with_one_message(session, legal_officer):
    with pytest.raises(ValidationError, match="does not check you in") as wrong:
        services.attendance_record_by_code(officer=legal_officer, code="000000" if session.code != "000000" else "111111")
    with time_machine.travel(session.ends_at + dt.timedelta(minutes=5)):
        with pytest.raises(ValidationError, match="does not check you in") as expired:
            services.attendance_record_by_code(officer=legal_officer, code=session.code)
    assert wrong.value.messages[0].split("(")[0] == expired.value.messages[0].split("(")[0]


def test_year_figures_per_kind(station, legal_officer):
    trainer = OfficerFactory(roles=[Role.TRAINER])
    at = dt.datetime(2026, 5, 10, 9, tzinfo=dt.UTC)
    thematic = [TrainingSessionFactory(trainer=trainer, starts_at=at, invited_units=[station]) for _ in range(2)]
    TrainingSessionFactory(trainer=trainer, kind="on_site", starts_at=at, invited_units=[station])
    TrainingSessionFactory(trainer=trainer, starts_at=dt.datetime(2025, 5, 10, tzinfo=dt.UTC))
    services.attendance_record_by_list(session=thematic[0], officer_ids=[legal_officer.pk], recorded_by=trainer)
    figures = session_year_figures(year=2026)
    assert (figures["thematic"], figures["on_site"], figures["attendances"]) == (2, 1, 1)


# --- dashboard and export ---------------------------------------------------


def test_dashboard_counts_per_unit_and_exports_xlsx(course, lessons, legal_officer, studied_lessons):
    other = OfficerFactory(unit=UnitFactory(name="西城派出所"), roles=[Role.LEGAL_OFFICER], name="孙民警")
    OfficerFactory(unit=legal_officer.unit)  # not in the audience: no role
    services.lesson_complete(officer=legal_officer, lesson=lessons[0])
    block_id, right = check_answers(lessons[1])
    services.knowledge_check_submit(officer=legal_officer, lesson=lessons[1], block_id=block_id, answers=right)
    services.lesson_complete(officer=legal_officer, lesson=lessons[1])
    with time_machine.travel(dt.datetime(2027, 1, 5, tzinfo=dt.UTC)), translation.override("zh-hans"):
        data = course_dashboard(course=course)
        sheet = services.course_dashboard_xlsx(course=course)
    by_unit = {row.unit.name: row for row in data["units"]}
    assert (by_unit["东城派出所"].total, by_unit["东城派出所"].completed, by_unit["东城派出所"].overdue) == (1, 1, 0)
    assert (by_unit["西城派出所"].total, by_unit["西城派出所"].completed, by_unit["西城派出所"].overdue) == (1, 0, 1)
    book = load_workbook(io.BytesIO(sheet))
    assert book.sheetnames == ["全部所队", "东城派出所", "西城派出所"]
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert rows[0][0] == "课程：刑事强制措施" and rows[1][0] == "截止日期：2026-12-31"
    assert rows[2][0].startswith("导出时间：2027-01-05")
    assert rows[3][:3] == ("所队", "警号", "姓名")
    assert {(r[2], r[5]) for r in rows[4:]} == {("王法制", "已完成"), (other.name, "已逾期")}
    done = next(r for r in rows[4:] if r[2] == "王法制")
    assert isinstance(done[6], dt.datetime)  # a real date the sheet can sort and filter
    assert book.worksheets[0].auto_filter.ref == "A4:I6"
    assert [r[2] for r in book["西城派出所"].iter_rows(min_row=6, values_only=True)] == [other.name]


def test_attempts_are_kept_as_rows(legal_officer, lessons):
    block_id, wrong = check_answers(lessons[1], right=False)
    for day in range(3):  # a day apart: a failed check opens again after a pause
        with time_machine.travel(dt.datetime(2026, 11, 20 + day, 9, tzinfo=dt.UTC)):
            services.knowledge_check_submit(officer=legal_officer, lesson=lessons[1], block_id=block_id, answers=wrong)
    assert KnowledgeCheckAttempt.objects.filter(officer=legal_officer).count() == 3


def test_the_ranking_reads_facts_by_period(legal_officer, lessons, session, studied_lessons):
    from lessons.selectors import (
        attendances_between,
        course_completions_between,
        lesson_completions_between,
    )

    with time_machine.travel(dt.datetime(2026, 11, 20, 9, tzinfo=dt.UTC), tick=False):
        services.lesson_complete(officer=legal_officer, lesson=lessons[0])
    november = {"start": dt.datetime(2026, 11, 1, tzinfo=dt.UTC), "end": dt.datetime(2026, 12, 1, tzinfo=dt.UTC)}
    october = {"start": dt.datetime(2026, 10, 1, tzinfo=dt.UTC), "end": dt.datetime(2026, 11, 1, tzinfo=dt.UTC)}
    assert lesson_completions_between(**november).count() == 1
    assert lesson_completions_between(**october).count() == 0
    assert course_completions_between(**november).count() == 0
    services.attendance_record_by_list(session=session, officer_ids=[legal_officer.pk], recorded_by=session.trainer)
    around = {"start": session.starts_at - dt.timedelta(days=1), "end": session.starts_at + dt.timedelta(days=1)}
    assert [a.officer for a in attendances_between(**around)] == [legal_officer]
