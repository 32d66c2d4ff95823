"""Reads of case-review rotations: what each officer may see, results, the ranking's feed."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q
from django.http import Http404
from django.utils import timezone

from ..selectors import rank_with_ties
from . import permissions, scoring
from .models import (
    CaseDocument,
    CaseFile,
    CaseReview,
    DefectType,
    Finding,
    KeyDefect,
    ReviewRound,
    ReviewState,
    Verdict,
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


# --- what a reviewer sees ------------------------------------------------------------


def reviews_for_officer(*, officer):
    """The officer's reviews in released rounds, newest round first."""
    return list(
        CaseReview.objects.filter(reviewer=officer, round__released_at__isnull=False)
        .select_related("round", "case_file").order_by("-round__opens_at", "case_file__title")
    )


def review_for_officer(*, review_id: int, officer, now=None) -> CaseReview:
    """The officer's own review once its round has opened; graders see every submitted one. Else 404."""
    now = now or timezone.now()
    review = CaseReview.objects.select_related("round", "case_file", "reviewer__unit").filter(pk=review_id).first()
    if review is None:
        raise Http404
    if review.reviewer_id == officer.pk and review.round.is_released and now >= review.round.opens_at:
        return review
    if permissions.can_grade_reviews(officer):
        return review
    raise Http404


def document_for_viewer(*, document_id: int, officer, now=None) -> CaseDocument:
    """A document for someone allowed to read it: the legal affairs reviewers, or a reviewer the
    file is assigned to in a released round that has opened. Else 404."""
    now = now or timezone.now()
    document = CaseDocument.objects.select_related("case_file").filter(pk=document_id).first()
    if document is None:
        raise Http404
    if permissions.can_manage_rounds(officer) or permissions.can_grade_reviews(officer):
        return document
    assigned = CaseReview.objects.filter(
        reviewer=officer, case_file_id=document.case_file_id, round__released_at__isnull=False,
        round__opens_at__lte=now,
    ).exists()
    if not assigned:
        raise Http404
    return document


def file_documents(*, case_file_id: int) -> list[CaseDocument]:
    return list(CaseDocument.objects.filter(case_file_id=case_file_id).only(
        "id", "title", "page_count", "sort_order", "case_file_id"))


def defect_types_active() -> list[DefectType]:
    return list(DefectType.objects.filter(active=True))


def review_findings(*, review: CaseReview) -> list[Finding]:
    return list(review.findings.select_related("defect_type", "document", "key_defect"))


# --- results ----------------------------------------------------------------------------


@dataclass(frozen=True)
class FileResult:
    """A file's score with every part of the formula, from the stored figures."""

    review: CaseReview
    parts: scoring.FileScore | None


def file_result(review: CaseReview) -> FileResult:
    if review.score is None:
        return FileResult(review, None)
    round = review.round
    return FileResult(review, scoring.file_score(
        found_weight=review.found_weight, total_weight=review.total_weight, wrong_findings=review.wrong_findings,
        conclusion_correct=bool(review.conclusion_correct), defect_points=round.defect_points,
        conclusion_points=round.conclusion_points, deduction=round.wrong_finding_deduction,
    ))


def round_key_for(*, round: ReviewRound, case_file_id: int) -> list[KeyDefect]:
    from .services import round_key

    return round_key(round=round, case_file_ids=[case_file_id])[case_file_id]


@dataclass
class ReviewerResult:
    officer_id: int
    name: str
    police_number: str
    unit: str
    files: int
    submitted: int
    graded: int
    score: Decimal | None  # None while a submitted file awaits grading
    review_ids: list[int] = field(default_factory=list)
    rank: int | None = None


@dataclass
class UnitResult:
    unit: str
    reviewers: int
    average: Decimal


@dataclass
class DefectTypeResult:
    defect_type: str
    to_find: int  # key defects of this type in the files reviewed (one per review)
    found: int

    @property
    def found_rate(self):
        return round(Decimal(self.found * 100) / self.to_find, 1) if self.to_find else None


@dataclass
class RoundResults:
    reviewers: list[ReviewerResult]
    units: list[UnitResult]
    defect_types: list[DefectTypeResult]
    complete: bool  # every submitted review graded and the round closed


def round_results(*, round: ReviewRound, now=None) -> RoundResults:
    """Per reviewer (ranked, ties share a rank), per unit and per defect type; a fixed number of queries."""
    now = now or timezone.now()
    reviews = list(
        CaseReview.objects.filter(round=round).select_related("reviewer__unit")
        .only("id", "reviewer_id", "case_file_id", "state", "score", "reviewer__name", "reviewer__police_number",
              "reviewer__unit__name", "reviewer", "reviewer__unit")
    )
    closed = round.is_closed_at(now)
    by_reviewer: dict[int, list[CaseReview]] = defaultdict(list)
    for review in reviews:
        by_reviewer[review.reviewer_id].append(review)
    rows = []
    for officer_id, mine in by_reviewer.items():
        officer = mine[0].reviewer
        submitted = sum(1 for r in mine if r.state != ReviewState.ASSIGNED)
        graded = sum(1 for r in mine if r.state == ReviewState.GRADED)
        pending = any(r.state == ReviewState.SUBMITTED for r in mine) or not closed
        score = None if pending else scoring.round_mean([r.score if r.score is not None else Decimal(0) for r in mine])
        rows.append(ReviewerResult(
            officer_id, officer.name, officer.police_number, officer.unit.name if officer.unit else "",
            len(mine), submitted, graded, score, review_ids=[r.pk for r in sorted(mine, key=lambda r: r.pk)],
        ))
    ranked = sorted((r for r in rows if r.score is not None), key=lambda r: (-r.score, r.police_number))
    for row, rank in zip(ranked, rank_with_ties([r.score for r in ranked]), strict=True):
        row.rank = rank
    rows = ranked + sorted((r for r in rows if r.score is None), key=lambda r: r.police_number)
    units: dict[str, list[Decimal]] = defaultdict(list)
    for row in ranked:
        units[row.unit].append(row.score)
    unit_rows = sorted(
        (UnitResult(unit, len(scores), scoring.round_mean(scores)) for unit, scores in units.items()),
        key=lambda u: (-u.average, u.unit),
    )
    return RoundResults(rows, unit_rows, _defect_type_results(round, reviews), closed and not any(
        r.score is None for r in rows))


def _defect_type_results(round: ReviewRound, reviews: list[CaseReview]) -> list[DefectTypeResult]:
    from .services import round_key

    per_file: dict[int, int] = defaultdict(int)
    for review in reviews:
        if review.state != ReviewState.ASSIGNED or review.score is not None:
            per_file[review.case_file_id] += 1
    key = round_key(round=round, case_file_ids=list(per_file))
    totals: dict[str, DefectTypeResult] = {}
    order: dict[str, int] = {}
    for file_id, defects in key.items():
        for defect in defects:
            name = defect.defect_type.name
            order[name] = defect.defect_type.sort_order
            entry = totals.setdefault(name, DefectTypeResult(name, 0, 0))
            entry.to_find += per_file[file_id]
    found = (
        Finding.objects.filter(review__round=round, verdict=Verdict.MATCHED)
        .values_list("key_defect__defect_type__name", flat=True)
    )
    for name in found:
        if name in totals:
            totals[name].found += 1
    return sorted(totals.values(), key=lambda t: (t.found_rate if t.found_rate is not None else 999, order.get(t.defect_type, 0)))


# --- organisers -----------------------------------------------------------------------------


def rounds_overview():
    return ReviewRound.objects.annotate(
        review_count=Count("reviews", distinct=True),
        reviewer_count=Count("reviews__reviewer", distinct=True),
        submitted_count=Count("reviews", filter=~Q(reviews__state=ReviewState.ASSIGNED), distinct=True),
        ungraded_count=Count("reviews", filter=Q(reviews__state=ReviewState.SUBMITTED), distinct=True),
    ).order_by("-opens_at")


def case_files_overview():
    return CaseFile.objects.select_related("unit").annotate(
        document_count=Count("documents", distinct=True),
        key_count=Count("key_defects", filter=Q(key_defects__added_in_round__isnull=True), distinct=True),
    ).order_by("-created_at")


def round_assignment(*, round: ReviewRound):
    """The stored assignment: reviews with reviewer and file, and each file's load."""
    reviews = list(round.reviews.select_related("reviewer__unit", "case_file").order_by("reviewer__police_number", "case_file__title"))
    load: dict[int, int] = defaultdict(int)
    for review in reviews:
        load[review.case_file_id] += 1
    return reviews, load


def grading_queue(*, round: ReviewRound):
    return list(round.reviews.exclude(state=ReviewState.ASSIGNED).select_related("reviewer__unit", "case_file")
                .annotate(finding_count=Count("findings")).order_by("state", "case_file__title", "reviewer__police_number"))


def plan_problems(*, plan) -> list[tuple]:
    """An infeasible plan's problems with the officer each names (or None for the round as a whole)."""
    from officers.models import Officer

    ids = [p.reviewer_id for p in plan.problems if p.reviewer_id is not None]
    officers = Officer.objects.select_related("unit").in_bulk(ids)
    return [(officers.get(p.reviewer_id), p.reason) for p in plan.problems]
