"""The score formula against a worked example, and its floor."""

from decimal import Decimal

from assessments.case_review import scoring


def test_worked_example():
    # Found defects weighing 3 of 4: 3 ÷ 4 × 80 = 60; right conclusion +20; one wrong finding −5 → 75.
    result = scoring.file_score(found_weight=Decimal(3), total_weight=Decimal(4), wrong_findings=1, conclusion_correct=True)
    assert (result.defects_part, result.conclusion_part, result.deduction_part) == (Decimal("60.00"), Decimal("20.00"), Decimal("5.00"))
    assert result.score == Decimal("75.00")


def test_score_is_floored_at_zero_and_capped_at_100():
    low = scoring.file_score(found_weight=Decimal(0), total_weight=Decimal(4), wrong_findings=9, conclusion_correct=False)
    assert low.score == Decimal(0)
    full = scoring.file_score(found_weight=Decimal(4), total_weight=Decimal(4), wrong_findings=0, conclusion_correct=True)
    assert full.score == Decimal(100)


def test_thirds_round_half_up_and_the_round_score_is_the_mean():
    result = scoring.file_score(found_weight=Decimal(1), total_weight=Decimal(3), wrong_findings=0, conclusion_correct=False)
    assert result.score == Decimal("26.67")
    assert scoring.round_mean([Decimal("26.67"), Decimal(100), Decimal(0)]) == Decimal("42.22")
