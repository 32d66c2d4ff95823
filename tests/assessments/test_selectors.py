from decimal import Decimal

import pytest

from assessments.models import FixedQuestion
from assessments.selectors import (
    item_statistics,
    quiz_results,
    sitting_category_breakdown,
)
from assessments.services import answer_save, sitting_start, sitting_submit
from tests.factories.assessments import CategoryFactory, QuestionFactory, QuizFactory
from tests.factories.officers import OfficerFactory, UnitFactory

pytestmark = pytest.mark.django_db


def _sit(quiz, officer, right):
    """Sit the test answering the questions whose stems are in `right` correctly, the rest wrongly."""
    sitting = sitting_start(quiz=quiz, officer=officer)
    for item in sitting.paper.select_related("version"):
        key = item.version.key[0]
        wanted = key if item.version.stem in right else (key + 1) % 4
        answer_save(sitting_id=sitting.pk, officer=officer, position=item.position, choice=[item.option_order.index(wanted)], revision=1)
    return sitting_submit(sitting=sitting)


def test_item_statistics_worked_example():
    """Five first sittings; points 1, 2, 4 make totals 7, 4, 3, 2, 1 (no ties).
    Top 27% of 5 = 2 sittings (O1, O2); bottom 2 = (O4, O5).
    Q1: right for O1, O3, O5 -> facility 3/5 = 0.6; top 1/2, bottom 1/2 -> D = 0.
    Q3: right for O1, O2 -> facility 0.4; top 1, bottom 0 -> D = 1.
    O5's second attempt (all right) is not counted."""
    category = CategoryFactory()
    q1, q2, q3 = (QuestionFactory(category=category, stem=s) for s in ("Q1", "Q2", "Q3"))
    quiz = QuizFactory(attempts_allowed=2)
    for q, points in ((q1, 1), (q2, 2), (q3, 4)):
        FixedQuestion.objects.create(quiz=quiz, question=q, points=Decimal(points))
    officers = [OfficerFactory() for _ in range(5)]
    plans = [{"Q1", "Q2", "Q3"}, {"Q3"}, {"Q1", "Q2"}, {"Q2"}, {"Q1"}]
    for officer, right in zip(officers, plans, strict=True):
        _sit(quiz, officer, right)
    _sit(quiz, officers[4], {"Q1", "Q2", "Q3"})
    stats = {s.stem: s for s in item_statistics(quiz=quiz)}
    assert (stats["Q1"].facility, stats["Q1"].discrimination) == (0.6, 0.0)
    assert (stats["Q2"].facility, stats["Q2"].discrimination) == (0.6, 0.0)
    assert (stats["Q3"].facility, stats["Q3"].discrimination) == (0.4, 1.0)
    assert stats["Q3"].sittings == 5


def test_results_counting_and_ties():
    category = CategoryFactory(name="证据规则")
    questions = [QuestionFactory(category=category, stem=f"T{i}") for i in range(2)]
    quiz = QuizFactory(attempts_allowed=2, counting="highest")
    for q in questions:
        FixedQuestion.objects.create(quiz=quiz, question=q, points=Decimal(5))
    unit = UnitFactory(name="东城派出所")
    a, b, c = (OfficerFactory(unit=unit) for _ in range(3))
    _sit(quiz, a, {"T0", "T1"})
    _sit(quiz, b, {"T0"})
    _sit(quiz, b, {"T0", "T1"})  # the higher second attempt counts
    _sit(quiz, c, {"T1"})
    rows = quiz_results(quiz=quiz)
    assert [(r.rank, r.score) for r in rows] == [(1, 10), (1, 10), (3, 5)]
    quiz.counting = "first"
    rows = quiz_results(quiz=quiz)
    assert [(r.rank, r.score) for r in rows] == [(1, 10), (2, 5), (2, 5)]
    quiz.counting = "average"
    assert {r.officer_id: r.score for r in quiz_results(quiz=quiz)}[b.pk] == Decimal("7.50")


def test_category_breakdown_uses_top_level_domain():
    root = CategoryFactory(name="刑事诉讼")
    child = CategoryFactory(name="强制措施", parent=root)
    other = CategoryFactory(name="行政处罚")
    q1, q2 = QuestionFactory(category=child, stem="C1"), QuestionFactory(category=other, stem="C2")
    quiz = QuizFactory()
    FixedQuestion.objects.create(quiz=quiz, question=q1, points=2)
    FixedQuestion.objects.create(quiz=quiz, question=q2, points=3)
    sitting = _sit(quiz, OfficerFactory(), {"C1"})
    breakdown = {c.category: (c.score, c.points) for c in sitting_category_breakdown(sitting=sitting)}
    assert breakdown == {"刑事诉讼": (2, 2), "行政处罚": (0, 3)}
