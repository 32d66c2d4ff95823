"""Rule kinds: parameters checked in Chinese, case-review round scores by band."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from ranking.models import PointEntry
from ranking.rule_kinds import band_points, kinds, params_validate
from ranking.services import points_post
from tests.factories.officers import OfficerFactory
from tests.factories.ranking import PointRuleFactory
from tests.ranking.conftest import at


def test_parameters_are_cleaned_and_bands_sorted_best_first():
    cleaned = params_validate(kind="quiz_result", params={"bands": [{"min": 60, "points": 2}, {"min": 90, "points": "5"}]})
    assert cleaned["bands"] == [{"min": "90.00", "points": "5.00"}, {"min": "60.00", "points": "2.00"}]
    assert band_points(cleaned["bands"], Decimal("75")) == 2 and band_points(cleaned["bands"], Decimal("50")) is None


@pytest.mark.parametrize("kind, params, message", [
    ("quiz_result", {}, "必须填写"),
    ("quiz_result", {"bands": "高分"}, "分档"),
    ("quiz_result", {"bands": [{"min": 90}]}, "min"),
    ("shadowing_log", {"points_per_log": "很多"}, "数字"),
    ("session_attendance", {"points": 1, "fines": 5}, "未知参数"),
    ("fines_collected", {}, "未知的规则类型"),
])
def test_bad_parameters_get_a_chinese_error(kind, params, message):
    with pytest.raises(ValidationError) as error:
        params_validate(kind=kind, params=params)
    assert message in " ".join(error.value.messages)


def test_no_kind_scores_the_banned_indicators():
    """罚没款数额, 行政拘留数, 发案数 and 破案率 are banned as indicators (2011 reform opinion)."""
    codes = {k.code for k in kinds()}
    assert codes == {"quiz_result", "case_review", "course_completion", "session_attendance",
                     "shadowing_log", "mentorship_sign_off", "manual"}


@pytest.mark.django_db
def test_case_review_round_scores_count_by_band_once_the_round_is_graded(book, station):
    from assessments.case_review.models import ReviewState
    from tests.factories.case_review import CaseReviewFactory, ReviewRoundFactory

    PointRuleFactory(version=book["version"], code="case-review", kind="case_review",
                     params={"bands": [{"min": 90, "points": 10}, {"min": 60, "points": 3}, {"min": 0, "points": -2}]})
    good, weak = OfficerFactory(unit=station), OfficerFactory(unit=station)
    closed = at(dt.date(2026, 8, 28), 18)
    review_round = ReviewRoundFactory(opens_at=closed - dt.timedelta(days=7), closes_at=closed)
    review_round.__class__.objects.filter(pk=review_round.pk).update(released_at=closed - dt.timedelta(days=7))
    CaseReviewFactory(round=review_round, reviewer=good, state=ReviewState.GRADED, score=Decimal(95))
    CaseReviewFactory(round=review_round, reviewer=good, state=ReviewState.GRADED, score=Decimal(89))
    pending = CaseReviewFactory(round=review_round, reviewer=weak, state=ReviewState.SUBMITTED)
    points_post()
    assert not PointEntry.objects.filter(rule__kind="case_review").exists(), "not fully graded yet"
    pending.state, pending.score = ReviewState.GRADED, Decimal(40)
    pending.save()
    points_post()
    entries = {e.officer_id: e.points for e in PointEntry.objects.filter(rule__kind="case_review")}
    assert entries == {good.pk: 10, weak.pk: -2}  # 92 is the mean of 95 and 89
    assert PointEntry.objects.get(officer=good, rule__kind="case_review").occurred_on == dt.date(2026, 8, 28)


@pytest.mark.django_db
def test_a_test_counts_only_once_the_publications_app_has_published_it(book, reviewer):
    """The tests' old stamp (results_published_at) is not a publication: no points from it."""
    from django.utils import timezone

    from officers.roles import Tier
    from tests.ranking.conftest import published_quiz, sit

    officer = OfficerFactory(tier=Tier.OFFICER)
    quiz = published_quiz(closes=dt.date(2026, 8, 20), by=reviewer, audience_tiers=[Tier.OFFICER])
    sit(quiz, officer, 95)
    type(quiz).objects.filter(pk=quiz.pk).update(results_published_at=timezone.now())
    points_post()
    assert not PointEntry.objects.filter(officer=officer, rule__code="quiz").exists()
    quiz._publish()
    points_post()
    assert PointEntry.objects.get(officer=officer, rule__code="quiz").points == Decimal(10)
