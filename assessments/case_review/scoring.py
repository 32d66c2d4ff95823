"""The score of one reviewed file: the formula and its weights, stated in one place.

    score = found weight ÷ total weight × DEFECT_POINTS
            + CONCLUSION_POINTS if the conclusion on the file is right
            − WRONG_FINDING_DEDUCTION × findings that are not defects
    floored at 0 (it cannot exceed 100: 80 + 20).

A round copies these weights when it is created, so its results keep the
numbers they were scored with. A reviewer's round score is the mean of their
file scores; a file not submitted by the close scores 0.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

DEFECT_POINTS = Decimal(80)
CONCLUSION_POINTS = Decimal(20)
WRONG_FINDING_DEDUCTION = Decimal(5)
# A finding this many pages away from a key defect (same type, same document) is still proposed as its match.
PAGE_TOLERANCE = 1

CENT = Decimal("0.01")


@dataclass(frozen=True)
class FileScore:
    found_weight: Decimal
    total_weight: Decimal
    wrong_findings: int
    conclusion_correct: bool
    defect_points: Decimal
    conclusion_points: Decimal
    deduction: Decimal
    defects_part: Decimal
    conclusion_part: Decimal
    deduction_part: Decimal
    score: Decimal


def file_score(
    *, found_weight: Decimal, total_weight: Decimal, wrong_findings: int, conclusion_correct: bool,
    defect_points: Decimal = DEFECT_POINTS, conclusion_points: Decimal = CONCLUSION_POINTS,
    deduction: Decimal = WRONG_FINDING_DEDUCTION,
) -> FileScore:
    """Each part of the formula, rounded to cents, and the score (0–100)."""
    defects_part = (found_weight / total_weight * defect_points) if total_weight else Decimal(0)
    defects_part = defects_part.quantize(CENT, ROUND_HALF_UP)
    conclusion_part = Decimal(conclusion_points if conclusion_correct else 0).quantize(CENT)
    deduction_part = (Decimal(wrong_findings) * deduction).quantize(CENT)
    score = max(Decimal(0), defects_part + conclusion_part - deduction_part)
    return FileScore(
        Decimal(found_weight).quantize(CENT), Decimal(total_weight).quantize(CENT), wrong_findings, conclusion_correct,
        defect_points, conclusion_points, deduction, defects_part, conclusion_part, deduction_part,
        min(Decimal(100), score).quantize(CENT),
    )


def round_mean(scores: list[Decimal]) -> Decimal:
    """A reviewer's round score: the mean of their file scores, to cents."""
    if not scores:
        return Decimal(0)
    return (sum(scores, Decimal(0)) / len(scores)).quantize(CENT, ROUND_HALF_UP)
