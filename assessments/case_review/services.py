"""Writes of case-review rotations: files and keys, rounds and their assignment, reviews, grading."""

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from officers.models import Officer
from officers.roles import Role
from officers.services import audit_record

from ..audience import audience_officers, subtree_ids_of, unit_children_map
from . import documents, scoring
from .models import (
    CaseDocument,
    CaseFile,
    CaseReview,
    Conclusion,
    DefectType,
    Finding,
    KeyDefect,
    ReviewerSwap,
    ReviewRound,
    ReviewState,
    Verdict,
)

DEFAULT_DEFECT_TYPES = [
    "现场取证不到位", "违规调解", "未如实受立案", "超时限办案", "单人讯问", "涉案财物登记不清", "法律适用错误", "文书制作不规范",
]
# Saves may arrive this long after the close (network latency, a last tap).
CLOSE_GRACE = dt.timedelta(seconds=10)
MAX_FINDINGS = 60
# A draft's revision and the ids and page numbers in a finding stay within what the
# columns hold (and what a browser's number keeps exactly); beyond is a malformed request.
MAX_REVISION = 2**53 - 1
MAX_ID = 10**15


class CaseReviewError(Exception):
    """A rule of the rotation stops the action; the message is for the person acting."""


def defect_types_seed() -> int:
    """Add the common defect types the legal affairs unit's inspections find; returns how many were added."""
    added = 0
    for order, name in enumerate(DEFAULT_DEFECT_TYPES):
        _obj, created = DefectType.objects.get_or_create(name=name, defaults={"sort_order": order})
        added += created
    return added


# --- case files, documents, keys ------------------------------------------------------


def file_is_frozen(case_file: CaseFile) -> bool:
    """A file in a released round keeps its documents and key: reviewers are working from them."""
    return ReviewRound.objects.filter(files=case_file, released_at__isnull=False).exists()


def case_file_save(*, case_file: CaseFile, by=None) -> CaseFile:
    case_file.full_clean()
    before = CaseFile.objects.filter(pk=case_file.pk).values("unit_id", "correct_conclusion").first() if case_file.pk else None
    unit_changed = before is not None and before["unit_id"] != case_file.unit_id
    if before is not None and file_is_frozen(case_file):
        # Reviewers were assigned by the file's unit, and are scored against its conclusion: both stay.
        if unit_changed:
            raise ValidationError({"unit": _("This case file is in a released round: its unit can no longer change.")})
        if before["correct_conclusion"] != case_file.correct_conclusion:
            raise ValidationError({"correct_conclusion": _(
                "This case file is in a released round: its correct conclusion can no longer change.")})
    if case_file.pk is None:
        case_file.created_by = by
    with transaction.atomic():
        case_file.save()
        if unit_changed:
            # An assignment made against the old unit may now give a reviewer a file of their own unit.
            for round in ReviewRound.objects.filter(files=case_file, released_at__isnull=True, assigned_at__isnull=False):
                round.reviews.all().delete()
                round.assigned_at = None
                round.save(update_fields=["assigned_at"])
    return case_file


@transaction.atomic
def case_document_add(
    *, case_file: CaseFile, title: str, upload=None, text: str = "", sort_order: int | None = None,
) -> CaseDocument:
    """Add a document: a PDF upload (checked readable, within the size limit) or typed text printed to PDF."""
    if file_is_frozen(case_file):
        raise ValidationError(_("This case file is in a released round: its documents can no longer change."))
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("Name the document (e.g. 受案登记表).")})
    if upload is not None:
        try:
            documents.size_check(upload.size)  # before reading it into memory
        except ValidationError as error:
            raise ValidationError({"pdf": error.messages}) from error
        data = upload.read()
    elif text.strip():
        data = documents.text_to_pdf(title=title, text=text, case_title=case_file.title)
    else:
        raise ValidationError({"pdf": _("Upload a PDF or type the document's text.")})
    try:
        pages = documents.pdf_check(data)
    except ValidationError as error:
        raise ValidationError({"pdf": error.messages}) from error
    name, digest = documents.pdf_store(data=data, title=title)
    if sort_order is None:
        sort_order = case_file.documents.count()
    document = CaseDocument(
        case_file=case_file, title=title[:100], sort_order=sort_order, text=text, page_count=pages,
        size=len(data), digest=digest,
    )
    document.pdf.name = name
    document.save()
    return document


def key_defect_save(*, key_defect: KeyDefect, by=None) -> KeyDefect:
    """Plant (or edit) a defect of the key; a frozen file's key changes only through grading."""
    if file_is_frozen(key_defect.case_file):
        raise ValidationError(_("This case file is in a released round: its key can no longer change."))
    _key_defect_check(key_defect)
    if key_defect.pk is None:
        key_defect.added_by = by
    key_defect.full_clean(exclude=["added_in_round", "source_finding"])
    key_defect.save()
    return key_defect


def _key_defect_check(key_defect: KeyDefect) -> None:
    document = key_defect.document
    if document.case_file_id != key_defect.case_file_id:
        raise ValidationError({"document": _("The document belongs to another case file.")})
    if not 1 <= key_defect.page <= document.page_count:
        raise ValidationError({"page": _("“%(doc)s” has %(pages)s page(s); there is no page %(page)s.") % {
            "doc": document.title, "pages": document.page_count, "page": key_defect.page}})


def key_defect_delete(*, key_defect: KeyDefect) -> None:
    if file_is_frozen(key_defect.case_file):
        raise ValidationError(_("This case file is in a released round: its key can no longer change."))
    key_defect.delete()


# --- rounds and assignment ---------------------------------------------------------------


@dataclass(frozen=True)
class RoundAssignment:
    plan: object  # assignment.AssignmentPlan
    reviewer_count: int


def round_save(*, round: ReviewRound, files=None, units=None, by=None) -> ReviewRound:
    """Create or change a round before it is released (files and audience with it)."""
    if round.pk and ReviewRound.objects.filter(pk=round.pk, released_at__isnull=False).exists():
        raise ValidationError(_("The round is released: its settings can no longer change."))
    round.full_clean(exclude=["files", "audience_units"])
    if round.pk is None:
        round.created_by = by
    with transaction.atomic():
        round.save()
        if files is not None:
            round.files.set(files)
        if units is not None:
            round.audience_units.set(units)
        if round.assigned_at:
            # The settings changed under a stored assignment: it must be made again.
            round.reviews.all().delete()
            round.assigned_at = None
            round.save(update_fields=["assigned_at"])
    return round


def round_exclusions(*, round: ReviewRound, reviewer_ids: list[int], reviewer_units: dict[int, int | None],
                     file_units: dict[int, int]) -> tuple[dict[int, set[int]], dict[int, dict[str, int]]]:
    """Per reviewer, the files they may not get (own unit and beneath, earlier rounds) and counts per reason."""
    children = unit_children_map()
    subtree_cache: dict[int, frozenset[int]] = {}
    files_by_unit: dict[int, set[int]] = defaultdict(set)
    for file_id, unit_id in file_units.items():
        files_by_unit[unit_id].add(file_id)
    earlier: dict[int, set[int]] = defaultdict(set)
    history = (
        CaseReview.objects.filter(reviewer_id__in=reviewer_ids, case_file_id__in=list(file_units))
        .exclude(round=round).filter(round__released_at__isnull=False).values_list("reviewer_id", "case_file_id")
    )
    for reviewer_id, file_id in history.iterator(chunk_size=5000):
        earlier[reviewer_id].add(file_id)
    excluded, reasons = {}, {}
    for reviewer_id in reviewer_ids:
        unit_id = reviewer_units.get(reviewer_id)
        own: set[int] = set()
        if unit_id is not None:
            if unit_id not in subtree_cache:
                subtree_cache[unit_id] = subtree_ids_of([unit_id], children=children)
            for sub in subtree_cache[unit_id]:
                own |= files_by_unit.get(sub, set())
        past = earlier.get(reviewer_id, set()) - own
        excluded[reviewer_id] = own | past
        reasons[reviewer_id] = {"own_unit": len(own), "earlier_rounds": len(past)}
    return excluded, reasons


def round_plan(*, round: ReviewRound, seed: int):
    """The assignment the solver proposes for the round's audience and files (nothing stored)."""
    from .assignment import assignment_solve

    # Those who hold the keys (legal affairs reviewers, administrators) never review.
    key_holders = Q(groups__name__in=[Role.LEGAL_REVIEWER, Role.ADMINISTRATOR])
    reviewers = dict(
        audience_officers(subject=round).exclude(pk__in=Officer.objects.filter(key_holders).values("pk"))
        .values_list("pk", "unit_id")
    )
    file_units = dict(round.files.values_list("pk", "unit_id"))
    excluded, reasons = round_exclusions(
        round=round, reviewer_ids=list(reviewers), reviewer_units=reviewers, file_units=file_units,
    )
    return assignment_solve(
        reviewer_ids=list(reviewers), file_ids=list(file_units), per_reviewer=round.files_per_reviewer,
        excluded=excluded, seed=seed, excluded_reasons=reasons,
    )


def round_assign(*, round: ReviewRound, by=None, seed: int | None = None, now=None):
    """Assign the round's files to its reviewers and store the assignment with its seed.

    Returns the plan; when it is infeasible nothing is stored and the plan's
    problems name each reviewer and why. Refused once the round is released.
    """
    now = now or timezone.now()
    if round.is_released:
        raise CaseReviewError(_("The round is released: its assignment can only change by swapping a reviewer."))
    seed = seed if seed is not None else random.SystemRandom().getrandbits(48)
    plan = round_plan(round=round, seed=seed)
    if not plan.feasible:
        return plan
    with transaction.atomic():
        locked = ReviewRound.objects.select_for_update().get(pk=round.pk)
        if locked.released_at is not None:
            raise CaseReviewError(_("The round is released: its assignment can only change by swapping a reviewer."))
        CaseReview.objects.filter(round=round).delete()
        CaseReview.objects.bulk_create(
            [CaseReview(round=round, reviewer_id=reviewer_id, case_file_id=file_id)
             for reviewer_id, file_ids in plan.files_of.items() for file_id in file_ids],
            batch_size=1000,
        )
        round.seed, round.assigned_at = seed, now
        ReviewRound.objects.filter(pk=round.pk).update(seed=seed, assigned_at=now)
    return plan


def round_release_problems(*, round: ReviewRound) -> list[str]:
    """Why the round cannot open yet (empty keys, no assignment); empty when it can."""
    problems = []
    files = list(round.files.all())
    if not files:
        problems.append(_("The round has no case files."))
    keyed = set(KeyDefect.objects.filter(case_file__in=files, added_in_round__isnull=True).values_list("case_file_id", flat=True))
    with_documents = set(CaseDocument.objects.filter(case_file__in=files).values_list("case_file_id", flat=True))
    for case_file in files:
        if case_file.pk not in keyed:
            problems.append(_("“%(file)s” has an empty key: plant its defects first.") % {"file": case_file.title})
        if case_file.pk not in with_documents:
            problems.append(_("“%(file)s” has no documents.") % {"file": case_file.title})
    if round.assigned_at is None or not round.reviews.exists():
        problems.append(_("The round has no assignment yet: assign the reviewers first."))
    return problems


def round_release(*, round: ReviewRound, by, now=None) -> ReviewRound:
    """Release the round: from its opening time the assigned reviewers see their files."""
    now = now or timezone.now()
    if round.is_released:
        return round
    if now >= round.closes_at:
        raise CaseReviewError(_("The round's window has already closed: change its dates first."))
    problems = round_release_problems(round=round)
    if problems:
        raise CaseReviewError(" ".join(problems))
    round.released_at, round.released_by = now, by
    round.save(update_fields=["released_at", "released_by"])
    for document in CaseDocument.objects.filter(case_file__rounds=round):
        documents.pages_render(document)  # the first reviewer's page opens at once
    return round


@transaction.atomic
def reviewer_swap(*, round: ReviewRound, replaced, replacement, reason: str, by, now=None) -> ReviewerSwap:
    """Hand a reviewer's files to another officer before the window opens (sick leave), with who and why."""
    now = now or timezone.now()
    round = ReviewRound.objects.select_for_update().get(pk=round.pk)
    if now >= round.opens_at:
        raise CaseReviewError(_("The round's window has opened: reviewers can no longer be swapped."))
    reason = (reason or "").strip()
    if not reason:
        raise CaseReviewError(_("Say why the reviewer is swapped (e.g. sick leave)."))
    if replaced.pk == replacement.pk:
        raise CaseReviewError(_("Choose another officer as the replacement."))
    reviews = list(CaseReview.objects.filter(round=round, reviewer=replaced).select_related("case_file"))
    if not reviews:
        raise CaseReviewError(_("%(name)s has no files in this round.") % {"name": replaced})
    if CaseReview.objects.filter(round=round, reviewer=replacement).exists():
        raise CaseReviewError(_("%(name)s already reviews in this round.") % {"name": replacement})
    if not replacement.is_active:
        raise CaseReviewError(_("%(name)s is not an active officer.") % {"name": replacement})
    if replacement.has_role(Role.LEGAL_REVIEWER, Role.ADMINISTRATOR) or replacement.is_superuser:
        raise CaseReviewError(_("%(name)s can see the keys and so cannot review.") % {"name": replacement})
    file_units = {r.case_file_id: r.case_file.unit_id for r in reviews}
    excluded, _reasons = round_exclusions(
        round=round, reviewer_ids=[replacement.pk], reviewer_units={replacement.pk: replacement.unit_id},
        file_units=file_units,
    )
    barred = [r.case_file.title for r in reviews if r.case_file_id in excluded[replacement.pk]]
    if barred:
        raise CaseReviewError(
            _("%(name)s may not review %(files)s (own unit or units beneath it, or audited in an earlier round).")
            % {"name": replacement, "files": "、".join(f"“{t}”" for t in barred)}
        )
    CaseReview.objects.filter(pk__in=[r.pk for r in reviews]).update(reviewer=replacement)
    return ReviewerSwap.objects.create(
        round=round, replaced=replaced, replacement=replacement, reason=reason[:300], by=by, at=now,
    )


# --- reviewing ------------------------------------------------------------------------------


@dataclass(frozen=True)
class SaveResult:
    saved: bool
    revision: int


def _review_for(review_id: int, officer) -> CaseReview:
    review = CaseReview.objects.select_related("round", "case_file").filter(pk=review_id).first()
    if review is None or review.reviewer_id != officer.pk or not review.round.is_released:
        raise PermissionDenied
    return review


def _check_window(review: CaseReview, now) -> None:
    if now < review.round.opens_at:
        raise CaseReviewError(_("The round has not opened yet."))
    if now > review.round.closes_at + CLOSE_GRACE:
        raise CaseReviewError(_("The round has closed: nothing more can be saved."))
    if review.state != ReviewState.ASSIGNED:
        raise CaseReviewError(_("This review has been submitted: it can no longer change."))


def findings_clean(*, review: CaseReview, findings: list) -> list[Finding]:
    """The findings as sent by the page, checked; CaseReviewError names the first bad one."""
    if not isinstance(findings, list) or len(findings) > MAX_FINDINGS:
        raise CaseReviewError(_("At most %(n)s findings per file.") % {"n": MAX_FINDINGS})
    document_pages = dict(CaseDocument.objects.filter(case_file_id=review.case_file_id).values_list("pk", "page_count"))
    types = set(DefectType.objects.filter(active=True).values_list("pk", flat=True))
    cleaned = []
    for index, item in enumerate(findings, start=1):
        if not isinstance(item, dict):
            raise CaseReviewError(_("Finding %(n)s is malformed.") % {"n": index})
        try:
            type_id = int(item["defect_type"]) if item.get("defect_type") not in (None, "") else None
            document_id = int(item["document"]) if item.get("document") not in (None, "") else None
            page = int(item["page"]) if item.get("page") not in (None, "") else None
        except (TypeError, ValueError, OverflowError) as error:
            raise CaseReviewError(_("Finding %(n)s is malformed.") % {"n": index}) from error
        if any(n is not None and not 0 <= n <= MAX_ID for n in (type_id, document_id, page)):
            raise CaseReviewError(_("Finding %(n)s is malformed.") % {"n": index})
        if type_id is not None and type_id not in types:
            raise CaseReviewError(_("Finding %(n)s: choose a defect type from the list.") % {"n": index})
        if document_id is not None and document_id not in document_pages:
            raise CaseReviewError(_("Finding %(n)s: the document is not part of this case file.") % {"n": index})
        if page is not None and (page < 1 or (document_id and page > document_pages[document_id])):
            raise CaseReviewError(_("Finding %(n)s: the document has no page %(page)s.") % {"n": index, "page": page})
        cleaned.append(Finding(
            review=review, position=index - 1, defect_type_id=type_id, document_id=document_id, page=page,
            description=str(item.get("description") or "")[:4000], provision=str(item.get("provision") or "")[:300],
        ))
    return cleaned


def review_save(
    *, review_id: int, officer, revision: int, conclusion: str, reasons: str, findings: list, now=None,
) -> SaveResult:
    """Save the draft (findings, conclusion, reasons) on the server.

    `revision` counts the draft's saves as the page sends them; a save whose
    revision is not above the stored one is dropped (a conditional UPDATE), so a
    stale save from another device never wins. The findings are replaced whole.
    """
    now = now or timezone.now()
    review = _review_for(review_id, officer)
    _check_window(review, now)
    if conclusion not in ("", *Conclusion.values):
        raise CaseReviewError(_("Choose a conclusion from the list."))
    cleaned = findings_clean(review=review, findings=findings)
    with transaction.atomic():
        updated = CaseReview.objects.filter(
            pk=review.pk, revision__lt=revision, state=ReviewState.ASSIGNED,
        ).update(revision=revision, conclusion=conclusion, conclusion_reasons=str(reasons or "")[:8000], saved_at=now)
        if updated:
            Finding.objects.filter(review=review).delete()
            Finding.objects.bulk_create(cleaned)
    if updated:
        return SaveResult(True, revision)
    stored = CaseReview.objects.filter(pk=review.pk).values_list(
        "revision", "state", "conclusion", "conclusion_reasons").get()
    if stored[1] != ReviewState.ASSIGNED:
        raise CaseReviewError(_("This review has been submitted: it can no longer change."))
    # The same revision counts as saved only when it is this very save sent again (a retry
    # whose answer was lost); another device's save that happened to take the number is not.
    same = stored[0] == revision and (stored[2], stored[3]) == (conclusion, str(reasons or "")[:8000]) and [
        (f.defect_type_id, f.document_id, f.page, f.description, f.provision) for f in cleaned
    ] == list(Finding.objects.filter(review=review).order_by("position").values_list(
        "defect_type_id", "document_id", "page", "description", "provision"))
    return SaveResult(same, stored[0])


@transaction.atomic
def review_submit(*, review_id: int, officer, now=None) -> CaseReview:
    """Hand in the review: final, with a conclusion and its reasons; refused after the close."""
    now = now or timezone.now()
    review = _review_for(review_id, officer)
    review = CaseReview.objects.select_for_update().select_related("round").get(pk=review.pk)
    _check_window(review, now)
    if not review.conclusion:
        raise CaseReviewError(_("Give your conclusion on the file (approve, return for correction or do not file)."))
    if not review.conclusion_reasons.strip():
        raise CaseReviewError(_("Give the reasons for your conclusion."))
    incomplete = [
        f.position + 1 for f in review.findings.all()
        if not (f.defect_type_id and f.document_id and f.page and f.description.strip())
    ]
    if incomplete:
        raise CaseReviewError(
            _("Finding(s) %(list)s lack a defect type, document, page or description: complete or remove them.")
            % {"list": "、".join(str(n) for n in incomplete)}
        )
    review.state, review.submitted_at = ReviewState.SUBMITTED, now
    review.save(update_fields=["state", "submitted_at"])
    return review


# --- grading ----------------------------------------------------------------------------------


def round_key(*, round: ReviewRound, case_file_ids) -> dict[int, list[KeyDefect]]:
    """The key each file is scored against in this round: planted defects, and those accepted
    in this round or earlier ones (never those accepted later)."""
    key: dict[int, list[KeyDefect]] = defaultdict(list)
    for defect in (
        KeyDefect.objects.filter(case_file_id__in=case_file_ids)
        .filter(Q(added_in_round__isnull=True) | Q(added_in_round__closes_at__lte=round.closes_at))
        .select_related("defect_type", "document")
    ):
        key[defect.case_file_id].append(defect)
    return key


def matches_propose(*, findings: list[Finding], key: list[KeyDefect], tolerance: int) -> dict[int, int | None]:
    """For each finding, the key defect proposed as its match: same type, same document, a page at
    most `tolerance` away; the nearest page first, each key defect once."""
    proposals: dict[int, int | None] = {f.pk: None for f in findings}
    candidates = []
    for finding in findings:
        for defect in key:
            if (finding.defect_type_id == defect.defect_type_id and finding.document_id == defect.document_id
                    and finding.page is not None and abs(finding.page - defect.page) <= tolerance):
                candidates.append((abs(finding.page - defect.page), finding.position, defect.pk, finding.pk))
    taken = set()
    for _distance, _position, defect_id, finding_id in sorted(candidates):
        if proposals[finding_id] is None and defect_id not in taken:
            proposals[finding_id] = defect_id
            taken.add(defect_id)
    return proposals


def _score_store(review: CaseReview, key: list[KeyDefect], by, now) -> None:
    findings = list(review.findings.all())
    found = {f.key_defect_id for f in findings if f.verdict == Verdict.MATCHED}
    weights = {d.pk: d.weight for d in key}
    result = scoring.file_score(
        found_weight=sum((weights[k] for k in found if k in weights), Decimal(0)),
        total_weight=sum(weights.values(), Decimal(0)),
        wrong_findings=sum(1 for f in findings if f.verdict == Verdict.WRONG),
        conclusion_correct=review.conclusion == review.case_file.correct_conclusion,
        defect_points=review.round.defect_points, conclusion_points=review.round.conclusion_points,
        deduction=review.round.wrong_finding_deduction,
    )
    review.found_weight, review.total_weight = result.found_weight, result.total_weight
    review.wrong_findings, review.conclusion_correct, review.score = (
        result.wrong_findings, result.conclusion_correct, result.score,
    )
    review.state, review.graded_by, review.graded_at = ReviewState.GRADED, by, now
    review.save(update_fields=[
        "found_weight", "total_weight", "wrong_findings", "conclusion_correct", "score", "state", "graded_by", "graded_at",
    ])


@dataclass(frozen=True)
class NewDefect:
    """A finding accepted as a valid defect the key missed."""

    weight: Decimal
    explanation: str = ""


@transaction.atomic
def review_grade(*, review: CaseReview, decisions: dict[int, str], by, new_defects: dict[int, NewDefect] | None = None,
                 now=None) -> CaseReview:
    """Grade a submitted review: each finding matched to a key defect ("key:<id>"), not a defect
    ("wrong"), or accepted into the key ("new", the key grows with a record); then score it.

    Other graded reviews of the same file in the round are rescored when the key grows.
    """
    now = now or timezone.now()
    review = CaseReview.objects.select_for_update().select_related("round", "case_file").get(pk=review.pk)
    if not review.round.is_closed_at(now):
        raise CaseReviewError(_("Reviews are graded after the round closes."))
    if review.state == ReviewState.ASSIGNED:
        raise CaseReviewError(_("This review was not submitted: it scores 0 and has nothing to grade."))
    new_defects = new_defects or {}
    key = round_key(round=review.round, case_file_ids=[review.case_file_id])[review.case_file_id]
    key_ids = {d.pk for d in key}
    findings = list(review.findings.select_related("document"))
    grew = False
    matched_once: set[int] = set()
    for finding in findings:
        decision = decisions.get(finding.pk, "")
        if decision.startswith("key:"):
            try:
                defect_id = int(decision[4:])
            except ValueError as error:
                raise CaseReviewError(_("Unknown key defect.")) from error
            if defect_id not in key_ids:
                raise CaseReviewError(_("Unknown key defect."))
            finding.key_defect_id = defect_id
            finding.verdict = Verdict.DUPLICATE if defect_id in matched_once else Verdict.MATCHED
            matched_once.add(defect_id)
        elif decision == "wrong":
            finding.key_defect_id, finding.verdict = None, Verdict.WRONG
        elif decision == "new":
            accepted = KeyDefect.objects.filter(source_finding=finding).first()
            if accepted is None:
                extra = new_defects.get(finding.pk) or NewDefect(Decimal(1))
                if not (finding.defect_type_id and finding.document_id and finding.page):
                    raise CaseReviewError(_("Finding %(n)s lacks a type, document or page: it cannot join the key.")
                                          % {"n": finding.position + 1})
                if extra.weight <= 0:
                    raise CaseReviewError(_("A key defect's weight must be above 0."))
                if extra.weight >= 1000:
                    raise CaseReviewError(_("A key defect's weight must be below 1000."))
                extra = NewDefect(extra.weight.quantize(Decimal("0.01")), extra.explanation)
                accepted = KeyDefect.objects.create(
                    case_file_id=review.case_file_id, defect_type_id=finding.defect_type_id, document_id=finding.document_id,
                    page=min(finding.page, finding.document.page_count), weight=extra.weight,
                    description=finding.description, legal_basis=finding.provision, explanation=extra.explanation,
                    added_in_round=review.round, source_finding=finding, added_by=by,
                )
                audit_record(actor=by, action="case_file.key_grow", target=review.case_file,
                             detail=f"{review.round.name}: finding {finding.pk} → key defect {accepted.pk}")
                key.append(accepted)
                key_ids.add(accepted.pk)
                grew = True
            finding.key_defect_id = accepted.pk
            finding.verdict = Verdict.DUPLICATE if accepted.pk in matched_once else Verdict.MATCHED
            matched_once.add(accepted.pk)
        else:
            raise CaseReviewError(_("Decide every finding: a match, not a defect, or a new defect for the key."))
    Finding.objects.bulk_update(findings, ["key_defect", "verdict"])
    _score_store(review, key, by, now)
    if grew:
        for other in (CaseReview.objects.filter(round=review.round, case_file=review.case_file, state=ReviewState.GRADED)
                      .exclude(pk=review.pk).select_related("round", "case_file")):
            _score_store(other, key, other.graded_by, other.graded_at)
    return review
