"""Reads of case-review rotations: what each officer may see, results, the ranking's feed."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db.models import Exists, OuterRef
from django.utils import timezone

from . import scoring
from .models import (
    CaseReview,
    ReviewRound,
    ReviewState,
)

# --- the ranking's feed (contract 2) -------------------------------------------------


@dataclass(frozen=True)
class ReviewerRoundScore:
    round_id: int
    officer_id: int
    score: Decimal  # the reviewer's round score, 0–100 (mean of their file scores)
    closed_at: datetime  # the round's close


def rounds_fully_graded(*, now=None):
    """Released rounds that have closed and whose every submitted review is graded."""
    now = now or timezone.now()
    ungraded = CaseReview.objects.filter(round=OuterRef("pk"), state=ReviewState.SUBMITTED)
    return ReviewRound.objects.filter(released_at__isnull=False, closes_at__lte=now).exclude(Exists(ungraded))


def reviewer_round_scores(*, closed_between: tuple[datetime, datetime] | None = None) -> list[ReviewerRoundScore]:
    """Each reviewer's score in every closed, fully graded round (files not submitted score 0).

    `closed_between` = (start, end): rounds that closed at or after start and before end.
    """
    rounds = rounds_fully_graded()
    if closed_between is not None:
        rounds = rounds.filter(closes_at__gte=closed_between[0], closes_at__lt=closed_between[1])
    closes = dict(rounds.values_list("pk", "closes_at"))
    scores: dict[tuple[int, int], list[Decimal]] = defaultdict(list)
    for round_id, reviewer_id, score in (
        CaseReview.objects.filter(round_id__in=list(closes)).values_list("round_id", "reviewer_id", "score")
    ):
        scores[(round_id, reviewer_id)].append(score if score is not None else Decimal(0))
    return [
        ReviewerRoundScore(round_id, officer_id, scoring.round_mean(values), closes[round_id])
        for (round_id, officer_id), values in sorted(scores.items())
    ]
