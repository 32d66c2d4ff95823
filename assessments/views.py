"""Pages of the legal-knowledge tests: thin, calling selectors and services."""

import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from officers.downloads import attachment, download_filename
from officers.middleware import wants_json
from officers.services import audit_record
from officers.sheets import workbook_sheets_bytes
from publications.selectors import publication_current, publications_current
from publications.services import PublicationError

from . import bank_selectors, selectors, services
from .forms import EssayMarkForm, KeyCorrectionForm
from .importers import results_export
from .models import (
    MarkStage,
    Navigation,
    QuestionType,
    QuestionVersion,
    Quiz,
    SittingQuestion,
    SittingStatus,
)
from .publications import QUIZ_RESULTS

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _require_manager(request):
    if not selectors.can_manage_tests(request.user):
        raise PermissionDenied


@require_GET
def index(request):
    """The officer's tests: open ones to sit, past sittings, published results."""
    items = selectors.quizzes_for_officer(officer=request.user)
    published = publications_current(kind=QUIZ_RESULTS)[:10]
    return render(request, "assessments/index.html", {
        "items": items, "published": published, "can_manage": selectors.can_manage_tests(request.user),
    })


@require_GET
def progress(request):
    """The officer's record per legal domain across all tests, weakest first."""
    return render(request, "assessments/progress.html", {"categories": selectors.officer_progress(officer=request.user)})


@require_GET
def quiz_detail(request, quiz_id):
    quiz = selectors.quiz_for_officer(quiz_id=quiz_id, officer=request.user)
    items = [i for i in selectors.quizzes_for_officer(officer=request.user) if i["quiz"].pk == quiz.pk]
    return render(request, "assessments/quiz.html", {
        "quiz": quiz, "item": items[0] if items else None, "rows": quiz.blueprint_rows.select_related("category"),
        "question_count": sum(r.count for r in quiz.blueprint_rows.all()) + quiz.fixed_questions.count(),
    })


@require_POST
def quiz_start(request, quiz_id):
    quiz = selectors.quiz_for_officer(quiz_id=quiz_id, officer=request.user)
    try:
        sitting = services.sitting_start(quiz=quiz, officer=request.user)
    except services.AssessmentError as error:
        messages.error(request, str(error))
        return redirect("assessments:quiz", quiz_id=quiz.pk)
    return redirect("assessments:sitting", sitting_id=sitting.pk)


@require_GET
def sitting_paper_page(request, sitting_id):
    """The paper: every saved answer shown again; options carry positions, never the key."""
    sitting = selectors.sitting_for_officer(sitting_id=sitting_id, officer=request.user)
    now = timezone.now()
    if sitting.status == SittingStatus.IN_PROGRESS and sitting.deadline + services.DEADLINE_GRACE < now:
        services.sitting_submit(sitting=sitting, auto=True)
    if sitting.status != SittingStatus.IN_PROGRESS or sitting.officer_id != request.user.pk:
        if sitting.officer_id == request.user.pk and sitting.auto_submitted:
            # Back after the time ran out (a new login, a late "continue"): say who handed it in.
            messages.success(request, _handed_in_message(sitting))
        return redirect("assessments:result", sitting_id=sitting.pk)
    sequential = sitting.quiz.navigation == Navigation.SEQUENTIAL
    nav = selectors.paper_navigation(sitting=sitting)
    sections = _sections_by_start(sitting)
    if sequential:
        # One way: only the question reached is in the page; moving on fetches the next.
        current = min(sitting.furthest_position, len(nav) - 1)
        questions = [_question_view(item, sections) for item in selectors.sitting_paper(sitting=sitting, positions=[current])]
    else:
        questions = [_question_view(item, sections) for item in selectors.sitting_paper(sitting=sitting)]
    remaining = max(0, int((sitting.deadline - now).total_seconds()))
    return render(request, "assessments/paper.html", {
        "sitting": sitting, "quiz": sitting.quiz, "questions": questions, "nav": nav, "remaining": remaining,
        "answered": sum(1 for n in nav if n["answered"]), "sequential": sequential,
    })


def _sections_by_start(sitting) -> dict:
    """The paper's sections by the position of their first question (empty for an unsectioned paper)."""
    return {section.first_position: section for section in selectors.paper_sections(sitting=sitting)}


def _question_view(item: SittingQuestion, sections: dict | None = None) -> dict:
    """One question as the paper shows it: options by their shown positions, never the key.
    The first question of a section carries the section's heading."""
    shown_choice = {item.option_order.index(i) for i in item.choice if i in item.option_order}
    return {
        "item": item, "type": item.version.type, "stem": item.version.stem,
        "section": (sections or {}).get(item.position),
        "index": item.position, "number": item.position + 1, "essay_max": services.ESSAY_ANSWER_MAX,
        "options": [(pos, text, pos in shown_choice) for pos, text, _i in selectors.paper_options(item)],
    }


class _BadBody(Exception):
    pass


def _no_constant(name):
    raise ValueError(name)  # JSON's Infinity, -Infinity and NaN are no numbers here


def _json_body(request) -> dict:
    """The request's JSON object; anything else (bad JSON, a list, a number) is refused."""
    try:
        data = json.loads(request.body or b"{}", parse_constant=_no_constant)
    except ValueError as error:
        raise _BadBody from error
    if not isinstance(data, dict):
        raise _BadBody
    return data


# A position or an option is a small index; a revision stays within services.MAX_REVISION.
# Anything else is a malformed request, answered 400 in words.
MAX_INDEX = 10_000


def _whole(value, *, high: int) -> int:
    """A whole number 0..high from JSON (5 or "5"), else ValueError: no float, bool, 2**63 or 1e400."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValueError(value)
    if isinstance(value, str) and not (value.isascii() and value.isdigit() and len(value) <= 20):
        raise ValueError(value)
    number = int(value)
    if not 0 <= number <= high:
        raise ValueError(value)
    return number


def _bad_request(message=None):
    return JsonResponse({"error": message or _("Malformed request.")}, status=400)


def _answer_fields(data) -> dict:
    """One answer from JSON, {position, choice: [positions], text, revision}; ValueError if malformed."""
    if not isinstance(data, dict):
        raise ValueError(data)
    choices = data.get("choice") or []
    if not isinstance(choices, list) or len(choices) > MAX_INDEX:
        raise ValueError(choices)
    return {
        "position": _whole(data.get("position"), high=MAX_INDEX),
        "revision": _whole(data.get("revision"), high=services.MAX_REVISION),
        "choice": [_whole(c, high=MAX_INDEX) for c in choices], "text": str(data.get("text") or ""),
    }


@require_POST
def sitting_answer(request, sitting_id):
    """Autosave of one answer (JSON): {position, choice: [positions], text, revision}."""
    try:
        answer = _answer_fields(_json_body(request))
    except (_BadBody, TypeError, ValueError):
        return _bad_request(_("Malformed answer."))
    try:
        result = services.answer_save(sitting_id=sitting_id, officer=request.user, **answer)
    except PermissionDenied as error:
        raise Http404 from error
    except services.AssessmentError as error:
        return JsonResponse({"error": str(error)}, status=409)
    response = {"saved": result.saved, "revision": result.revision}
    if not result.saved:
        response["error"] = services.stale_answer_message()
    return JsonResponse(response)


@require_POST
def sitting_answers(request, sitting_id):
    """Autosave of the page's pending answers at once (JSON): {answers: [{position, choice, text, revision}, …]}.

    200 with one result per answer, in order ({position, saved, revision, error?}):
    an answer refused on its own does not fail the others. 409 once the sitting
    is handed in or out of time (nothing saved), 400 for a malformed body.
    """
    try:
        answers = _json_body(request).get("answers")
        if not isinstance(answers, list) or len(answers) > services.ANSWERS_BATCH_MAX:
            raise ValueError(answers)
        answers = [_answer_fields(a) for a in answers]
    except (_BadBody, TypeError, ValueError):
        return _bad_request(_("Malformed answer."))
    try:
        results = services.answers_save(sitting_id=sitting_id, officer=request.user, answers=answers)
    except PermissionDenied as error:
        raise Http404 from error
    except services.AssessmentError as error:
        return JsonResponse({"error": str(error)}, status=409)
    return JsonResponse({"results": [
        {"position": r.position, "saved": r.saved, "revision": r.revision, **({"error": r.error} if r.error else {})}
        for r in results
    ]})


@require_POST
def sitting_flag(request, sitting_id):
    try:
        data = _json_body(request)
        position = _whole(data.get("position"), high=MAX_INDEX)
    except (_BadBody, TypeError, ValueError):
        return _bad_request()
    try:
        services.flag_set(sitting_id=sitting_id, officer=request.user, position=position, flagged=bool(data.get("flagged")))
    except PermissionDenied as error:
        raise Http404 from error
    except services.AssessmentError as error:
        return JsonResponse({"error": str(error)}, status=409)
    return JsonResponse({"ok": True})


@require_POST
def sitting_position(request, sitting_id):
    """The officer moved on to a question (JSON {position}): in a sequential test, no way back."""
    try:
        data = _json_body(request)
        position = _whole(data.get("position"), high=MAX_INDEX)
    except (_BadBody, TypeError, ValueError):
        return _bad_request()
    try:
        furthest = services.sitting_position_reach(sitting_id=sitting_id, officer=request.user, position=position)
    except PermissionDenied as error:
        raise Http404 from error
    except services.AssessmentError as error:
        return JsonResponse({"error": str(error)}, status=409)
    response = {"furthest": furthest}
    sitting = selectors.sitting_for_officer(sitting_id=sitting_id, officer=request.user)
    if sitting.quiz.navigation == Navigation.SEQUENTIAL:
        # The question now reached, sent only once the server has recorded the move to it.
        (item,) = selectors.sitting_paper(sitting=sitting, positions=[furthest])
        response["html"] = render_to_string(
            "assessments/_question.html", {"q": _question_view(item, _sections_by_start(sitting))}, request=request)
    return JsonResponse(response)


def _handed_in_message(sitting) -> str:
    """The confirmation follows the record: the officer handed the paper in, or the system did at time-up."""
    if sitting.auto_submitted:
        return _("Time is up: the system has handed in your paper automatically.")
    return _("Your paper has been handed in.")


@require_http_methods(["GET", "POST"])
def sitting_submit_view(request, sitting_id):
    """Hand in (POST). The page's script asks in JSON and is answered {result_url, auto_submitted};
    a form is redirected to the result. A GET (the way back from a login that ran out while the
    form was posted) leads to the paper, which shows the result once it is handed in: never a 405."""
    sitting = selectors.sitting_for_officer(sitting_id=sitting_id, officer=request.user)
    if sitting.officer_id != request.user.pk:
        raise Http404
    if request.method == "GET":
        return redirect("assessments:sitting", sitting_id=sitting.pk)
    # Handed in once the time is up (the page does it at its countdown's zero, or the
    # officer in the grace seconds), or already by the task worker: the record says at
    # time-up, not by the officer, and so does the confirmation.
    sitting = services.sitting_submit(sitting=sitting, auto=timezone.now() >= sitting.deadline)
    messages.success(request, _handed_in_message(sitting))
    result_url = reverse("assessments:result", args=[sitting.pk])
    if wants_json(request):
        return JsonResponse({"result_url": result_url, "auto_submitted": sitting.auto_submitted})
    return redirect(result_url)


@require_GET
def sitting_result(request, sitting_id):
    """Score, pass or fail, per-category breakdown and, when the test allows, the review."""
    sitting = selectors.sitting_for_officer(sitting_id=sitting_id, officer=request.user)
    if sitting.status == SittingStatus.IN_PROGRESS and sitting.officer_id == request.user.pk:
        return redirect("assessments:sitting", sitting_id=sitting.pk)
    if sitting.officer_id != request.user.pk:
        audit_record(actor=request.user, action="sitting.view", target=sitting)
    review = selectors.review_allowed(sitting=sitting, officer=request.user)
    paper = selectors.sitting_paper(sitting=sitting) if review else []
    sections = _sections_by_start(sitting) if review else {}
    review_items = [{
        "item": item, "options": selectors.paper_options(item), "section": sections.get(item.position),
        "correct": item.score is not None and item.score == item.points,
    } for item in paper]
    categories = selectors.sitting_category_breakdown(sitting=sitting, review=review)
    return render(request, "assessments/result.html", {
        "sitting": sitting, "quiz": sitting.quiz, "review": review, "review_items": review_items,
        "categories": categories, "categories_withheld": any(c.score is None for c in categories),
        "review_withheld": "" if review else selectors.review_withheld_reason(sitting=sitting),
        "own": sitting.officer_id == request.user.pk, "can_mark": selectors.can_manage_tests(request.user),
        # The officer's own device may still hold answers that never reached the server: the page names them.
        "revisions": selectors.paper_revisions(sitting=sitting) if sitting.officer_id == request.user.pk else None,
    })


@require_GET
def quiz_results_page(request, quiz_id):
    """Published results are the frozen publication (挂网公示); trainers preview live results before."""
    quiz = get_object_or_404(Quiz, pk=quiz_id)
    publication = publication_current(subject=quiz, kind=QUIZ_RESULTS)
    if publication is not None:
        return redirect("publications:detail", publication_id=publication.pk)
    if not selectors.can_manage_tests(request.user):
        raise PermissionDenied
    audit_record(actor=request.user, action="results.view", target=quiz, detail="unpublished")
    rows = selectors.quiz_results(quiz=quiz)
    absentees = selectors.quiz_absentees(quiz=quiz)
    return render(request, "assessments/results.html", {
        "quiz": quiz, "rows": rows, "units": selectors.quiz_unit_summary(rows=rows, absentees=absentees),
        "absentees": absentees, "still_open": timezone.now() < selectors.quiz_last_close(quiz=quiz),
        "passed": sum(1 for r in rows if r.passed),
    })


@require_GET
def bulletin_pdf(request, quiz_id):
    """The bulletin of the current published version (rendered by the task worker); none before publishing."""
    quiz = get_object_or_404(Quiz, pk=quiz_id)
    publication = publication_current(subject=quiz, kind=QUIZ_RESULTS)
    if publication is None:
        raise Http404
    return redirect("publications:bulletin", publication_id=publication.pk)


# --- trainers ------------------------------------------------------------------------


@require_GET
def manage_index(request):
    _require_manager(request)
    return render(request, "assessments/manage.html", {
        "quizzes": selectors.quizzes_overview(), "marking_count": selectors.marking_queue().count(),
    })


@require_GET
def manage_quiz(request, quiz_id):
    _require_manager(request)
    quiz = get_object_or_404(Quiz, pk=quiz_id)
    audit_record(actor=request.user, action="results.view", target=quiz)
    rows = selectors.quiz_results(quiz=quiz)
    absentees = selectors.quiz_absentees(quiz=quiz)
    return render(request, "assessments/manage_quiz.html", {
        "quiz": quiz, "rows": rows, "units": selectors.quiz_unit_summary(rows=rows, absentees=absentees),
        "absentees": absentees, "still_open": timezone.now() < selectors.quiz_last_close(quiz=quiz),
        "publication": publication_current(subject=quiz, kind=QUIZ_RESULTS),
        "categories": selectors.quiz_category_summary(quiz=quiz),
        "in_progress": quiz.sittings.filter(status=SittingStatus.IN_PROGRESS).count(),
        "marking": quiz.sittings.filter(status=SittingStatus.MARKING).count(),
        "shortfalls": services.blueprint_shortfalls(
            rows=list(quiz.blueprint_rows.all()), fixed_question_ids=quiz.fixed_questions.values_list("question_id", flat=True)),
    })


@require_GET
def manage_quiz_export(request, quiz_id):
    _require_manager(request)
    quiz = get_object_or_404(Quiz, pk=quiz_id)
    data = results_export(quiz=quiz)
    audit_record(actor=request.user, action="results.export", target=quiz)
    return attachment(HttpResponse(data, content_type=XLSX), download_filename(f"成绩-{quiz.title}", "xlsx"))


@require_GET
def manage_items(request, quiz_id):
    _require_manager(request)
    quiz = get_object_or_404(Quiz, pk=quiz_id)
    return render(request, "assessments/items.html", {
        "quiz": quiz, "stats": selectors.item_statistics(quiz=quiz),
        "min_answers": selectors.MIN_ANSWERS_FOR_FLAGS,
    })


@require_GET
def manage_items_export(request, quiz_id):
    """Item statistics with per-option answer counts as .xlsx."""
    _require_manager(request)
    quiz = get_object_or_404(Quiz, pk=quiz_id)
    data = workbook_sheets_bytes(sheets=[(
        _("Item statistics"), selectors.item_statistics_header(),
        selectors.item_statistics_rows(stats=selectors.item_statistics(quiz=quiz)),
    )])
    audit_record(actor=request.user, action="results.export", target=quiz, detail="items")
    return attachment(HttpResponse(data, content_type=XLSX), download_filename(f"试题分析-{quiz.title}", "xlsx"))


@require_POST
def manage_publish(request, quiz_id):
    """Publish a test's results as a frozen version (again: the next version, with its differences).

    Publishing too early asks the trainer to confirm; there is no withdrawing.
    """
    _require_manager(request)
    quiz = get_object_or_404(Quiz, pk=quiz_id)
    current = publication_current(subject=quiz, kind=QUIZ_RESULTS)
    warnings = selectors.publish_warnings(quiz=quiz)
    if warnings and request.POST.get("confirmed") != "1":
        return render(request, "assessments/publish_confirm.html", {
            "quiz": quiz, "warnings": warnings, "current": current,
        })
    try:
        publication = services.quiz_publish(quiz=quiz, by=request.user, note=request.POST.get("note", "")[:2000])
    except PublicationError as error:
        messages.error(request, error.messages[0])
        return redirect("assessments:manage_quiz", quiz_id=quiz.pk)
    if publication.version == 1:
        messages.success(request, _("The results are published for every officer."))
    else:
        messages.success(request, _("Version %(version)s of the results is published; the changes are listed on it.")
                         % {"version": publication.version})
    return redirect("publications:detail", publication_id=publication.pk)


@require_GET
def marking_list(request):
    """Essay answers waiting for a mark, and the latest marks given (each can be re-marked)."""
    _require_manager(request)
    queue = list(selectors.marking_queue()[:200])
    return render(request, "assessments/marking.html", {
        "queue": [{"item": item, "needed": selectors.marking_needed(item),
                   "named": selectors.marker_sees_officer(quiz=item.sitting.quiz)} for item in queue],
        "recent": [{"mark": mark, "named": selectors.marker_sees_officer(quiz=mark.item.sitting.quiz)}
                   for mark in selectors.marks_recent()],
    })


def marking_item(request, item_id):
    """Mark (or re-mark) one essay answer with a comment; every earlier mark stays listed."""
    _require_manager(request)
    item = get_object_or_404(
        SittingQuestion.objects.select_related("sitting__quiz", "sitting__officer__unit", "version"),
        pk=item_id, version__type=QuestionType.ESSAY,
    )
    if item.sitting.status == SittingStatus.IN_PROGRESS:
        raise Http404
    marks = list(item.marks.all())
    try:
        stage = services.essay_mark_stage(quiz=item.sitting.quiz, marks=marks, by=request.user)
        refusal = ""
    except ValidationError as error:
        stage, refusal = None, error.messages[0]
    mine = services.essay_marks_current(marks).get(stage) if stage else None
    initial = {"score": mine.score, "comment": mine.comment} if mine and mine.by_id == request.user.pk else {}
    form = EssayMarkForm(request.POST or None, initial=initial)
    back = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        back = ""
    if request.method == "POST" and refusal:
        form.is_valid()
        form.add_error(None, refusal)
    elif request.method == "POST" and form.is_valid():
        try:
            services.essay_mark(item=item, score=form.cleaned_data["score"], comment=form.cleaned_data["comment"], by=request.user)
        except ValidationError as error:
            form.add_error("score", error)
        else:
            messages.success(request, _("Mark saved."))
            return redirect(back or "assessments:marking")
    return render(request, "assessments/marking_item.html", {
        "item": item, "form": form, "stage": stage, "stage_label": MarkStage(stage).label if stage else "",
        "refusal": refusal, "next": back, "remark": bool(mine and mine.by_id == request.user.pk),
        "marks": selectors.item_marks_visible(item=item, officer=request.user),
        "named": selectors.marker_sees_officer(quiz=item.sitting.quiz),
        "double": item.sitting.quiz.double_marking,
    })


def key_correct(request, version_id):
    """Correct a question version's key and regrade every sitting that showed it."""
    _require_manager(request)
    version = get_object_or_404(QuestionVersion.objects.select_related("question", "category"), pk=version_id)
    if version.type == QuestionType.ESSAY:
        raise Http404
    form = KeyCorrectionForm(request.POST or None, initial={"answer": version.key_letters})
    if request.method == "POST" and form.is_valid():
        try:
            regrade = services.question_key_correct(version=version, answer=form.cleaned_data["answer"], by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error("answer", error)
        else:
            messages.success(request, _("Key corrected; %(count)s sittings were regraded.") % {"count": regrade.sittings_affected})
            return redirect("assessments:manage")
    return render(request, "assessments/key_correct.html", {
        "version": version, "form": form, "options": list(zip("ABCDEF", version.options, strict=False)),
        "regrades": version.regrades.select_related("by", "version"),
        "sittings_count": version.sitting_questions.values("sitting_id").distinct().count(),
        "other_versions": bank_selectors.versions_shown(question=version.question, exclude=version),
    })
