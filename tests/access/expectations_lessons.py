"""The law lecture hall: my courses, search, checks, certificates, sessions, dashboards, media."""

from lessons.models import CourseCompletion
from officers.roles import Role
from tests.access.matrix import Expect
from tests.factories.lessons import (
    CoursePageFactory,
    LectureHallPageFactory,
    LessonPageFactory,
    TrainingSessionFactory,
    knowledge_check,
    rich_text,
)
from tests.factories.officers import OfficerFactory

# Course dashboards: trainers and reviewers for the bureau, heads of units for their own.
DASHBOARDS = {"*": 403, "trainer": 200, "legal_reviewer": 200, "administrator": 200, "unit_head": 200, "mid_level": 200}


def build(world):
    hall = LectureHallPageFactory()
    course = CoursePageFactory(parent=hall, title="刑事强制措施", slug="coercive-measures")
    lesson = LessonPageFactory(parent=course, title="第一讲 取保候审", body=[rich_text(), knowledge_check()])
    world.ids.update(
        hall_page=hall.pk, course=course.pk, lesson=lesson.pk,
        check_block=lesson.knowledge_checks[0].id,
    )
    # A certificate of someone else (the colleague), asked for by its course id.
    CourseCompletion.objects.create(officer=world.people["colleague"], course=course)
    other_trainer = OfficerFactory(name="另一教官", unit=world.units["legal_unit"], roles=[Role.TRAINER])
    session = TrainingSessionFactory(trainer=other_trainer, invited_units=[world.units["station_a"]])
    world.ids["session"] = session.pk
    world.ids["station_a_unit"] = world.units["station_a"].pk


EXPECTATIONS = [
    Expect("lessons:my_courses", {"*": 200}),
    Expect("lessons:search", {"*": 200}, query="q=取保候审"),
    Expect("lessons:lesson_complete", {"*": 405}, kwargs={"page_id": "lesson"}),
    Expect("lessons:lesson_complete", {"*": 302}, kwargs={"page_id": "lesson"}, method="post"),
    Expect("lessons:knowledge_check", {"*": 302}, kwargs={"page_id": "lesson", "block_id": "check_block"}, method="post"),
    # The lesson page's heartbeat: any signed-in officer's own time on a live lesson.
    Expect("lessons:lesson_study_ping", {"*": 405}, kwargs={"page_id": "lesson"}),
    Expect("lessons:lesson_study_ping", {"*": 200}, kwargs={"page_id": "lesson"}, method="post",
           data='{"visible": true}', content_type="application/json"),
    # Someone else's certificate: nobody gets it by the course id (only their own).
    Expect("lessons:certificate_download", {"*": 404}, kwargs={"course_id": "course"}),
    Expect("lessons:certificate_verify", {"*": 200}),
    Expect("lessons:sessions", {"*": 200}),
    # Another trainer's session: only that trainer and the reviewers take its list.
    Expect("lessons:session_attendance", {"*": 403, "legal_reviewer": 200, "administrator": 200},
           kwargs={"session_id": "session"}),
    # The venue screen of another trainer's session: as its attendance list.
    Expect("lessons:session_venue", {"*": 403, "legal_reviewer": 200, "administrator": 200},
           kwargs={"session_id": "session"}),
    # Yearly training hours: as the course dashboards (the bureau, or a head's own unit).
    Expect("lessons:training_report", DASHBOARDS),
    Expect("lessons:training_report_export", DASHBOARDS),
    Expect("lessons:media_file", {"*": 200}, kwargs={"document_id": "video"}),
    Expect("lessons:dashboard", DASHBOARDS),
    Expect("lessons:dashboard_course", DASHBOARDS, kwargs={"page_id": "course"}),
    Expect("lessons:dashboard_export", DASHBOARDS, kwargs={"page_id": "course"}),
    # A unit's certificates: the colleague's (station A) for the bureau's staff and station A's head;
    # the head of station B gets a 404 for another unit.
    Expect("lessons:dashboard_certificates", {**DASHBOARDS, "mid_level": 404}, kwargs={"page_id": "course"},
           query="unit={station_a_unit}"),
]
