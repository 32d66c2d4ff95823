"""The case-review part of `manage.py seed_demo` (called from assessments/demo.py). Idempotent.

The taxonomy; four case files with generated PDF documents and keys; a closed
round, reviewed, graded and published; an open round with the demo station
head 赵所长 (500001) assigned.
"""

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from officers.models import Officer, Unit
from officers.roles import Tier

from . import services
from .demo_files import FILES
from .models import (
    CaseFile,
    CaseReview,
    DefectType,
    KeyDefect,
    ReviewRound,
    ReviewState,
)

CLOSED_NAME = "2026年第三季度案件审核轮测"
OPEN_NAME = "2026年第四季度案件审核轮测"


def _files(by) -> list[CaseFile]:
    types = {t.name: t for t in DefectType.objects.all()}
    files = []
    for title, kind, unit_name, summary, conclusion, why, documents, key in FILES:
        case_file = CaseFile.objects.filter(title=title).first()
        if case_file is None:
            case_file = services.case_file_save(case_file=CaseFile(
                title=title, kind=kind, unit=Unit.objects.get(name=unit_name), summary=summary,
                correct_conclusion=conclusion, conclusion_explanation=why,
            ), by=by)
        if not case_file.documents.exists():
            for order, (doc_title, text) in enumerate(documents):
                services.case_document_add(case_file=case_file, title=doc_title, text=text, sort_order=order)
        if not case_file.key_defects.exists():
            docs = list(case_file.documents.all())
            for type_name, doc_index, page, weight, description, basis, explanation in key:
                services.key_defect_save(key_defect=KeyDefect(
                    case_file=case_file, defect_type=types[type_name], document=docs[doc_index], page=page,
                    weight=Decimal(weight), description=description, legal_basis=basis, explanation=explanation,
                ), by=by)
        files.append(case_file)
    return files


def _round(name, files, opens_at, closes_at, by, seed) -> ReviewRound:
    """Create, assign and release a round; its window is set after the release (which needs a future close)."""
    round = ReviewRound.objects.filter(name=name).first()
    if round is not None:
        return round
    now = timezone.now()
    round = services.round_save(round=ReviewRound(
        name=name, description="全局中层干部案件审核轮测：每人审核一份外单位案卷，找出预设的执法问题并给出审核结论。",
        audience_tiers=[Tier.MID_LEVEL], opens_at=max(opens_at, now + dt.timedelta(minutes=1)),
        closes_at=max(closes_at, now + dt.timedelta(hours=1)), files_per_reviewer=1,
    ), files=files, by=by)
    plan = services.round_assign(round=round, by=by, seed=seed)
    assert plan.feasible, [p.reason for p in plan.problems]
    services.round_release(round=round, by=by)
    ReviewRound.objects.filter(pk=round.pk).update(opens_at=opens_at, closes_at=closes_at)
    round.refresh_from_db()
    return round


def _review_and_grade(round: ReviewRound, grader) -> None:
    """Every reviewer of the closed round audits their file (some miss defects, some never submit); graded."""
    rng = random.Random(2026)
    reviews = list(round.reviews.select_related("case_file", "reviewer").order_by("reviewer__police_number"))
    if any(r.state != ReviewState.ASSIGNED for r in reviews):
        return
    types = list(DefectType.objects.all())
    for review in reviews:
        if rng.random() < 0.08:
            continue  # never submitted: scores 0
        when = round.opens_at + dt.timedelta(days=rng.randint(0, 10), hours=rng.randint(1, 8))
        ability = rng.uniform(0.35, 0.95)
        findings = []
        for defect in review.case_file.key_defects.select_related("document"):
            if rng.random() < ability:
                findings.append({"defect_type": defect.defect_type_id, "document": defect.document_id,
                                 "page": defect.page, "description": defect.description[:40],
                                 "provision": defect.legal_basis})
        if rng.random() > ability:
            document = review.case_file.documents.first()
            findings.append({"defect_type": rng.choice(types).pk, "document": document.pk, "page": 1,
                             "description": "笔录字迹潦草，个别处涂改未捺印。", "provision": ""})
        right = rng.random() < ability
        conclusion = review.case_file.correct_conclusion if right else "approve"
        services.review_save(review_id=review.pk, officer=review.reviewer, revision=1, conclusion=conclusion,
                             reasons="经审查，案卷存在上述问题。" if findings else "经审查，未发现问题。",
                             findings=findings, now=when)
        services.review_submit(review_id=review.pk, officer=review.reviewer, now=when)
    graded_at = round.closes_at + dt.timedelta(days=2)
    for review in CaseReview.objects.filter(round=round, state=ReviewState.SUBMITTED).select_related("case_file"):
        findings = list(review.findings.all())
        key = services.round_key(round=round, case_file_ids=[review.case_file_id])[review.case_file_id]
        proposals = services.matches_propose(findings=findings, key=key, tolerance=round.page_tolerance)
        services.review_grade(
            review=review, by=grader, now=graded_at,
            decisions={f.pk: f"key:{proposals[f.pk]}" if proposals[f.pk] else "wrong" for f in findings},
        )


@transaction.atomic
def seed(*, stdout=None) -> None:
    services.defect_types_seed()
    grader = Officer.objects.filter(police_number="100002").first()
    files = _files(grader)
    now = timezone.now()
    closed = _round(CLOSED_NAME, files, now - dt.timedelta(days=45), now - dt.timedelta(days=20), grader, seed=20260901)
    _review_and_grade(closed, grader)
    from publications.selectors import publication_current
    from publications.services import publication_publish

    if publication_current(subject=closed, kind="case_review_results") is None:
        publication_publish(subject=closed, kind="case_review_results", by=grader, note="第三季度案件审核轮测成绩公示")
    opened = _round(OPEN_NAME, files, now - dt.timedelta(days=1), now + dt.timedelta(days=14), grader, seed=20261201)
    head = CaseReview.objects.filter(round=opened, reviewer__police_number="500001").select_related("case_file").first()
    if stdout:
        stdout.write(
            f"case review: {len(files)} case files, “{CLOSED_NAME}” (closed, graded, published, "
            f"{closed.reviews.count()} reviews), “{OPEN_NAME}” (open; 500001 reviews "
            f"“{head.case_file.title if head else '—'}”)\n"
        )
