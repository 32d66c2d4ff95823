import pytest

from officers.roles import Role
from tests.factories.lessons import (
    CoursePageFactory,
    LectureHallPageFactory,
    LessonPageFactory,
    knowledge_check,
    provision,
    rich_text,
)
from tests.factories.officers import OfficerFactory, UnitFactory


@pytest.fixture
def hall(db):
    return LectureHallPageFactory()


@pytest.fixture
def station(db):
    return UnitFactory(name="东城派出所")


@pytest.fixture
def legal_officer(station):
    return OfficerFactory(name="王法制", police_number="200001", unit=station, roles=[Role.LEGAL_OFFICER])


@pytest.fixture
def course(hall):
    """A required course for legal officers with two lessons, the second with a check."""
    import datetime as dt

    course = CoursePageFactory(
        parent=hall, title="刑事强制措施", is_required=True, due_on=dt.date(2026, 12, 31),
        audience_roles=["legal_officer"],
    )
    LessonPageFactory(parent=course, title="第一讲 取保候审的条件", body=[rich_text(), provision()])
    LessonPageFactory(parent=course, title="第二讲 取保候审的执行", body=[rich_text("<p>执行机关为公安机关。</p>"), knowledge_check()])
    return course


@pytest.fixture
def lessons(course):
    from lessons.selectors import course_lessons

    return list(course_lessons(course))


@pytest.fixture
def studied_lessons(legal_officer, lessons):
    """The legal officer has spent each lesson's required time on its page (for tests
    of what else completion needs; the time itself is tested in test_completions.py)."""
    from tests.factories.lessons import studied

    for lesson in lessons:
        studied(legal_officer, lesson)
    return lessons
