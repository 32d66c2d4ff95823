"""Pages of case-review rotations (案件审核轮测): thin, calling selectors and services."""

import json
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from officers.downloads import attachment, download_filename
from officers.private_files import no_store
from officers.services import audit_record

from . import documents, exports, permissions, selectors, services
from .forms import CaseFileForm, DocumentForm, KeyDefectForm, RoundForm, SwapForm
from .models import (
    CaseFile,
    CaseReview,
    Conclusion,
    KeyDefect,
    ReviewRound,
    ReviewState,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _require(allowed: bool):
    if not allowed:
        raise PermissionDenied


# --- reviewers ------------------------------------------------------------------------


@require_GET
def index(request):
    """The officer's assigned files, round by round; organisers get their links."""
    now = timezone.now()
    reviews = selectors.reviews_for_officer(officer=request.user)
    return render(request, "assessments/case_review/index.html", {
        "reviews": reviews, "now": now,
        "can_manage": permissions.can_manage_rounds(request.user),
    })


@require_GET
def review_page(request, review_id):
    """The reviewer's file page: the documents (watermarked page images) and the findings form."""
    now = timezone.now()
    review = selectors.review_for_officer(review_id=review_id, officer=request.user, now=now)
    if review.reviewer_id != request.user.pk or review.state != ReviewState.ASSIGNED or not review.round.is_open_at(now):
        return redirect("case_review:result", review_id=review.pk)
    docs = selectors.file_documents(case_file_id=review.case_file_id)
    findings = [{
        "defect_type": f.defect_type_id or "", "document": f.document_id or "", "page": f.page or "",
        "description": f.description, "provision": f.provision,
    } for f in review.findings.all()]
    return render(request, "assessments/case_review/review.html", {
        "review": review, "round": review.round, "case_file": review.case_file, "documents": docs,
        "defect_types": selectors.defect_types_active(), "conclusions": Conclusion.choices,
        "findings_json": findings, "remaining": int((review.round.closes_at - now).total_seconds()),
        "documents_json": [{"id": d.pk, "title": d.title, "pages": d.page_count} for d in docs],
    })


def _no_constant(name):
    raise ValueError(name)  # JSON's Infinity, -Infinity and NaN are no numbers here


def _json_body(request) -> dict:
    try:
        data = json.loads(request.body or b"{}", parse_constant=_no_constant)
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def _revision(value) -> int | None:
    """A draft's revision: a whole number 0..MAX_REVISION (5 or "5"); else None (no float,
    bool, 2**63 or 1e400, which would overflow the column)."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        return None
    if isinstance(value, str) and not (value.isascii() and value.isdigit() and len(value) <= 20):
        return None
    number = int(value)
    return number if 0 <= number <= services.MAX_REVISION else None


@require_POST
def review_save(request, review_id):
    """Autosave of the draft (JSON): {revision, conclusion, reasons, findings: [...]}."""
    data = _json_body(request)
    revision = _revision(data.get("revision")) if data is not None else None
    if revision is None:
        return JsonResponse({"error": _("Malformed request.")}, status=400)
    try:
        result = services.review_save(
            review_id=review_id, officer=request.user, revision=revision,
            conclusion=str(data.get("conclusion") or ""), reasons=str(data.get("reasons") or ""),
            findings=data.get("findings") or [],
        )
    except PermissionDenied as error:
        raise Http404 from error
    except services.CaseReviewError as error:
        return JsonResponse({"error": str(error)}, status=409)
    response = {"saved": result.saved, "revision": result.revision}
    if not result.saved:
        response["error"] = _("Not saved: a newer draft was saved from another window or device. Reload the page to see it.")
    return JsonResponse(response)


@require_POST
def review_submit(request, review_id):
    try:
        services.review_submit(review_id=review_id, officer=request.user)
    except PermissionDenied as error:
        raise Http404 from error
    except services.CaseReviewError as error:
        messages.error(request, str(error))
        return redirect("case_review:review", review_id=review_id)
    messages.success(request, _("Your review has been submitted."))
    return redirect("case_review:result", review_id=review_id)


@require_GET
def review_result(request, review_id):
    """The reviewer's result with the formula worked through, and after the close the key (model review)."""
    now = timezone.now()
    review = selectors.review_for_officer(review_id=review_id, officer=request.user, now=now)
    show_key = permissions.can_view_round_key(request.user, review, now)
    if review.reviewer_id != request.user.pk:
        audit_record(actor=request.user, action="case_review.view", target=review, detail="result")
    findings = selectors.review_findings(review=review)
    return render(request, "assessments/case_review/result.html", {
        "review": review, "round": review.round, "case_file": review.case_file, "findings": findings,
        "found_ids": {f.key_defect_id for f in findings if f.verdict == "matched"},
        "result": selectors.file_result(review),
        "key": selectors.round_key_for(round=review.round, case_file_id=review.case_file_id) if show_key else None,
        "show_key": show_key, "closed": review.round.is_closed_at(now),
        "documents": selectors.file_documents(case_file_id=review.case_file_id),
    })


@require_GET
def document_page(request, document_id, number):
    """One page of a case-file document, stamped with the viewer's name and police number."""
    document = selectors.document_for_viewer(document_id=document_id, officer=request.user)
    if not 1 <= number <= document.page_count:
        raise Http404
    audit_record(actor=request.user, action="case_file.view", target=document.case_file,
                 detail=f"{document.title} p.{number}")
    response = HttpResponse(documents.page_image(document=document, number=number, officer=request.user),
                            content_type="image/jpeg")
    return no_store(response)


# --- organisers --------------------------------------------------------------------------


@require_GET
def manage_index(request):
    _require(permissions.can_manage_rounds(request.user))
    return render(request, "assessments/case_review/manage.html", {
        "rounds": selectors.rounds_overview(), "files": selectors.case_files_overview(),
    })


def file_edit(request, file_id=None):
    """Create or edit a case file (title, kind, unit, summary, the key's conclusion)."""
    _require(permissions.can_manage_rounds(request.user))
    case_file = get_object_or_404(CaseFile, pk=file_id) if file_id else None
    form = CaseFileForm(request.POST or None, instance=case_file)
    if request.method == "POST" and form.is_valid():
        try:
            case_file = services.case_file_save(case_file=form.save(commit=False), by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Case file saved."))
            return redirect("case_review:manage_file", file_id=case_file.pk)
    return render(request, "assessments/case_review/file_edit.html", {"form": form, "case_file": case_file})


def manage_file(request, file_id):
    """A case file for the legal affairs unit: documents, the key; add a document or a key defect."""
    _require(permissions.can_view_key(request.user))
    case_file = get_object_or_404(CaseFile.objects.select_related("unit"), pk=file_id)
    document_form = DocumentForm()
    key_form = KeyDefectForm(case_file=case_file)
    if request.method == "POST":
        _require(permissions.can_manage_rounds(request.user))
        if request.POST.get("action") == "document":
            document_form = DocumentForm(request.POST, request.FILES)
            if document_form.is_valid():
                try:
                    services.case_document_add(
                        case_file=case_file, title=document_form.cleaned_data["title"],
                        upload=document_form.cleaned_data["pdf"], text=document_form.cleaned_data["text"],
                    )
                except ValidationError as error:
                    _form_errors(document_form, error)
                else:
                    messages.success(request, _("Document added."))
                    return redirect("case_review:manage_file", file_id=case_file.pk)
        elif request.POST.get("action") == "key":
            key_form = KeyDefectForm(request.POST, case_file=case_file, instance=KeyDefect(case_file=case_file))
            if key_form.is_valid():
                try:
                    services.key_defect_save(key_defect=key_form.save(commit=False), by=request.user)
                except ValidationError as error:
                    _form_errors(key_form, error)
                else:
                    messages.success(request, _("Key defect added."))
                    return redirect("case_review:manage_file", file_id=case_file.pk)
        elif request.POST.get("action") == "delete_key":
            defect = get_object_or_404(KeyDefect, pk=request.POST.get("key_defect"), case_file=case_file)
            try:
                services.key_defect_delete(key_defect=defect)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            return redirect("case_review:manage_file", file_id=case_file.pk)
    audit_record(actor=request.user, action="case_file.view", target=case_file, detail="key")
    return render(request, "assessments/case_review/manage_file.html", {
        "case_file": case_file, "documents": selectors.file_documents(case_file_id=case_file.pk),
        "key": list(case_file.key_defects.select_related("defect_type", "document", "added_in_round")),
        "document_form": document_form, "key_form": key_form, "frozen": services.file_is_frozen(case_file),
        "max_mb": documents.MAX_DOCUMENT_BYTES // 1024 // 1024,
    })


def _form_errors(form, error: ValidationError):
    if hasattr(error, "error_dict"):
        for field_name, errors in error.message_dict.items():
            form.add_error(field_name if field_name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def round_edit(request, round_id=None):
    _require(permissions.can_manage_rounds(request.user))
    round = get_object_or_404(ReviewRound, pk=round_id) if round_id else None
    if round and round.is_released:
        messages.error(request, _("The round is released: its settings can no longer change."))
        return redirect("case_review:manage_round", round_id=round.pk)
    form = RoundForm(request.POST or None, instance=round)
    if request.method == "POST" and form.is_valid():
        instance = form.save(commit=False)
        try:
            round = services.round_save(round=instance, files=form.cleaned_data["files"],
                                        units=form.cleaned_data["audience_units"], by=request.user)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Round saved."))
            return redirect("case_review:manage_round", round_id=round.pk)
    return render(request, "assessments/case_review/round_edit.html", {"form": form, "round": round})


def manage_round(request, round_id):
    """A round for its organisers: settings, the stored assignment, release, swaps, grading, results."""
    _require(permissions.can_manage_rounds(request.user))
    round = get_object_or_404(ReviewRound.objects.prefetch_related("audience_units", "files"), pk=round_id)
    plan = None
    swap_form = SwapForm(round=round)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "assign":
                plan = services.round_assign(round=round, by=request.user)
                if plan.feasible:
                    messages.success(request, _("The reviewers are assigned (seed %(seed)s).") % {"seed": round.seed})
                    return redirect("case_review:manage_round", round_id=round.pk)
            elif action == "release":
                services.round_release(round=round, by=request.user)
                messages.success(request, _("The round is released: reviewers see their files from its opening time."))
                return redirect("case_review:manage_round", round_id=round.pk)
            elif action == "swap":
                swap_form = SwapForm(request.POST, round=round)
                if swap_form.is_valid():
                    services.reviewer_swap(
                        round=round, replaced=swap_form.cleaned_data["replaced"],
                        replacement=swap_form.cleaned_data["replacement"], reason=swap_form.cleaned_data["reason"],
                        by=request.user,
                    )
                    messages.success(request, _("The reviewer is swapped."))
                    return redirect("case_review:manage_round", round_id=round.pk)
        except services.CaseReviewError as error:
            if action == "swap" and timezone.now() < round.opens_at:
                swap_form.add_error(None, str(error))
            else:
                messages.error(request, str(error))
    reviews, load = selectors.round_assignment(round=round)
    now = timezone.now()
    problems = selectors.plan_problems(plan=plan) if plan is not None and not plan.feasible else []
    return render(request, "assessments/case_review/manage_round.html", {
        "round": round, "problems": problems, "reviews": reviews,
        "loads": [(f, load.get(f.pk, 0)) for f in round.files.all()],
        "release_problems": [] if round.is_released else services.round_release_problems(round=round),
        "swap_form": swap_form, "swaps": round.swaps.select_related("replaced", "replacement", "by"),
        "can_swap": now < round.opens_at and round.assigned_at is not None, "now": now,
        "closed": round.is_closed_at(now),
    })


@require_GET
def grading_list(request, round_id):
    _require(permissions.can_grade_reviews(request.user))
    round = get_object_or_404(ReviewRound, pk=round_id)
    return render(request, "assessments/case_review/grading.html", {
        "round": round, "reviews": selectors.grading_queue(round=round), "closed": round.is_closed_at(timezone.now()),
    })


def grade_review(request, review_id):
    """Confirm or change the proposed matches of one review; accept findings into the key."""
    _require(permissions.can_grade_reviews(request.user))
    review = get_object_or_404(CaseReview.objects.select_related("round", "case_file", "reviewer__unit"), pk=review_id)
    findings = selectors.review_findings(review=review)
    key = selectors.round_key_for(round=review.round, case_file_id=review.case_file_id)
    error = None
    posted = {}
    if request.method == "POST":
        decisions, new_defects = {}, {}
        for finding in findings:
            decisions[finding.pk] = request.POST.get(f"decision-{finding.pk}", "")
            posted[finding.pk] = (request.POST.get(f"weight-{finding.pk}", "")[:20],
                                  request.POST.get(f"explanation-{finding.pk}", "")[:2000])
            if decisions[finding.pk] == "new":
                try:
                    weight = Decimal(request.POST.get(f"weight-{finding.pk}") or "1")
                    if not weight.is_finite():
                        raise InvalidOperation
                except InvalidOperation:
                    weight = Decimal(0)
                new_defects[finding.pk] = services.NewDefect(weight, request.POST.get(f"explanation-{finding.pk}", "")[:2000])
        try:
            services.review_grade(review=review, decisions=decisions, by=request.user, new_defects=new_defects)
        except services.CaseReviewError as exc:
            error = str(exc)
        else:
            messages.success(request, _("Graded: %(score)s points.") % {"score": CaseReview.objects.get(pk=review.pk).score})
            return redirect("case_review:grading", round_id=review.round_id)
    if request.method == "GET":
        audit_record(actor=request.user, action="case_review.view", target=review, detail="grading")
    proposals = services.matches_propose(findings=findings, key=key, tolerance=review.round.page_tolerance)
    rows = []
    for finding in findings:
        chosen, chosen_key = "wrong", None
        if hasattr(finding, "accepted_as"):
            chosen = "new"
        elif finding.verdict in ("matched", "duplicate"):
            chosen, chosen_key = "key", finding.key_defect_id
        elif not finding.verdict and proposals.get(finding.pk):
            chosen, chosen_key = "key", proposals[finding.pk]
        weight, explanation = "1", ""
        if finding.pk in posted:  # refused: show the grader's own choices and text again
            chosen, chosen_key = _posted_choice(decisions[finding.pk], chosen, chosen_key)
            weight, explanation = posted[finding.pk][0] or "1", posted[finding.pk][1]
        rows.append({"finding": finding, "chosen": chosen, "chosen_key": chosen_key, "proposed": proposals.get(finding.pk),
                     "weight": weight, "explanation": explanation})
    return render(request, "assessments/case_review/grade.html", {
        "review": review, "round": review.round, "rows": rows, "key": key, "error": error,
        "closed": review.round.is_closed_at(timezone.now()), "result": selectors.file_result(review),
    })


def _posted_choice(decision: str, chosen: str, chosen_key):
    if decision in ("wrong", "new"):
        return decision, None
    if decision.startswith("key:") and decision[4:].isdigit():
        return "key", int(decision[4:])
    return chosen, chosen_key


@require_GET
def round_results_page(request, round_id):
    """A round's results per reviewer, per unit and per defect type (organisers)."""
    _require(permissions.can_manage_rounds(request.user) or permissions.can_grade_reviews(request.user))
    round = get_object_or_404(ReviewRound, pk=round_id)
    audit_record(actor=request.user, action="results.view", target=round, detail="case_review")
    results = selectors.round_results(round=round)
    return render(request, "assessments/case_review/results.html", {
        "round": round, "results": results, "publication": _publication(round),
        "can_publish": permissions.can_publish_results(request.user),
    })


def _publication(round):
    from publications.selectors import publication_current

    return publication_current(subject=round, kind="case_review_results")


@require_GET
def round_results_export(request, round_id):
    _require(permissions.can_export_results(request.user))
    round = get_object_or_404(ReviewRound, pk=round_id)
    data = exports.round_results_xlsx(round=round)
    audit_record(actor=request.user, action="results.export", target=round, detail="case_review_results.xlsx")
    return no_store(attachment(HttpResponse(data, content_type=XLSX), download_filename(f"案审成绩-{round.name}", "xlsx")))


@require_POST
def round_publish(request, round_id):
    """Publish the round's results bureau-wide (挂网公示) through the publications app."""
    _require(permissions.can_publish_results(request.user))
    round = get_object_or_404(ReviewRound, pk=round_id)
    results = selectors.round_results(round=round)
    if not results.complete:
        messages.error(request, _("The results are not final yet: the round must be closed and every submitted review graded."))
        return redirect("case_review:results", round_id=round.pk)
    from publications.services import publication_publish

    publication = publication_publish(subject=round, kind="case_review_results", by=request.user,
                                      note=request.POST.get("note", "")[:300])
    messages.success(request, _("The results are published for every officer."))
    return redirect("publications:detail", publication_id=publication.pk)
