import datetime as dt
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.utils import timezone

from assessments.models import Sitting, SittingStatus
from officers.roles import Role, Tier
from ranking.models import Track
from tests.factories.assessments import QuizFactory
from tests.factories.officers import (
    LegalAffairsUnitFactory,
    OfficerFactory,
    UnitFactory,
)
from tests.factories.ranking import (
    PointRuleFactory,
    RuleBookFactory,
    RuleBookVersionFactory,
)

TZ = dt.timezone(dt.timedelta(hours=8))
BANDS = [{"min": 90, "points": 10}, {"min": 80, "points": 8}, {"min": 60, "points": 4}, {"min": 0, "points": 0}]


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=TZ)


@pytest.fixture
def reviewer(db):
    return OfficerFactory(unit=LegalAffairsUnitFactory(), tier=Tier.MID_LEVEL, roles=[Role.LEGAL_REVIEWER])


@pytest.fixture
def second_reviewer(db):
    return OfficerFactory(unit=LegalAffairsUnitFactory(), roles=[Role.LEGAL_REVIEWER])


def officer_rules(version):
    """The officers' rule book of the tests: one rule of each kind."""
    return {
        "quiz": PointRuleFactory(version=version, code="quiz", name="法律知识抽测", kind="quiz_result",
                                 params={"bands": BANDS, "absent_points": "-5"}),
        "award": PointRuleFactory(version=version, code="award", name="技能比武获奖", kind="manual",
                                  params={"min_points": "1", "max_points": "20"}),
        "fault": PointRuleFactory(version=version, code="fault", name="执法过错", kind="manual",
                                  params={"min_points": "-20", "max_points": "-1"}, period_floor=Decimal("-10")),
        "log": PointRuleFactory(version=version, code="log", name="带教记录", kind="shadowing_log",
                                params={"points_per_log": "1", "monthly_cap": "3"}),
        "session": PointRuleFactory(version=version, code="session", name="参加培训", kind="session_attendance",
                                    params={"points": "2"}, period_cap=Decimal("4")),
        "course": PointRuleFactory(version=version, code="course", name="必修课程", kind="course_completion",
                                   params={"on_time_points": "3", "late_points": "1"}),
        "sign_off": PointRuleFactory(version=version, code="sign-off", name="按期出师", kind="mentorship_sign_off",
                                     params={"mentor_on_time_points": "5", "mentor_late_points": "2", "recruit_points": "3"}),
    }


@pytest.fixture
def book(db, reviewer):
    """The officers' rule book, version 1 in force from 2026-01-01, with one rule of each kind."""
    version = RuleBookVersionFactory(rule_book=RuleBookFactory(track=Track.OFFICER), number=1, approved_by=reviewer)
    return {"version": version, "rules": officer_rules(version)}


@pytest.fixture
def station(db):
    return UnitFactory(name="东城派出所")


def published_quiz(*, closes: dt.date, by, **kwargs):
    """A test closed on the day, its results published through the publications app."""
    from assessments.services import quiz_publish

    quiz = QuizFactory(opens_at=at(closes - dt.timedelta(days=7)), closes_at=at(closes, 18), **kwargs)
    quiz._publish = lambda: quiz_publish(quiz=quiz, by=by)
    return quiz


def sit(quiz, officer, score, *, max_score=100, attempt=1, status=SittingStatus.FINAL) -> Sitting:
    start = quiz.opens_at + dt.timedelta(hours=1)
    return Sitting.objects.create(
        quiz=quiz, officer=officer, attempt=attempt, status=status, seed=1, started_at=start,
        deadline=start + dt.timedelta(minutes=30), submitted_at=start + dt.timedelta(minutes=20),
        score=None if score is None else Decimal(score), max_score=Decimal(max_score),
        passed=None if score is None else Decimal(score) >= 60,
    )


def now_aware():
    return timezone.now()
