"""Shadowing pages: thin views over selectors (reads, access) and services (writes)."""

import time

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from officers.private_files import private_file_response, private_storage
from officers.services import audit_record

from . import permissions, readiness, selectors, services
from .charts import ratings_chart, sparkline
from .forms import (
    AcknowledgeForm,
    AddendumForm,
    CompetencyForm,
    CurriculumMinimumsForm,
    FinalApproveForm,
    MentorEvaluationForm,
    MentorLimitForm,
    MentorshipAssignForm,
    MentorshipEndForm,
    MentorshipExtendForm,
    ObjectionAnswerForm,
    ObjectionForm,
    ShadowingLogForm,
    log_form_initial,
)
from .models import (
    OPEN_STATUSES,
    Competency,
    LogObjection,
    LogStatus,
    MentorEvaluation,
    ShadowingLog,
)


def _attempt(request, action, success: str) -> None:
    """Run a service call; show its refusal as error messages, or the success message."""
    try:
        action()
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, success)


def _apply_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            for e in errors:
                form.add_error(name if name in form.fields else None, e)
    else:
        for message in error.messages:
            form.add_error(None, message)


def home(request):
    """Open mentorships the officer may see, with alerts; the recruit's logs to acknowledge."""
    officer = request.user
    if not selectors.is_involved(officer):
        raise PermissionDenied
    show_all = request.GET.get("status") == "all"
    only_alerts = request.GET.get("alerts") == "1"
    visible = selectors.visible_mentorships(officer)
    units = selectors.units_of(visible)
    unit_id = request.GET.get("unit", "")
    qs = visible
    if not show_all:
        qs = qs.filter(status__in=OPEN_STATUSES)
    if unit_id.isascii() and unit_id.isdigit() and len(unit_id) <= 18:  # a 30-digit id is no unit
        qs = qs.filter(recruit__unit_id=int(unit_id))
    rows = selectors.mentorship_rows(qs)
    if only_alerts:
        rows = [r for r in rows if r.alerts]
    to_acknowledge = list(
        ShadowingLog.objects.filter(
            mentorship__recruit=officer, status=LogStatus.SUBMITTED
        )
        .select_related("mentorship__mentor")
        .order_by("date")
    )
    sees_to_do = permissions.can_see_sign_off_to_do(officer)
    return render(
        request,
        "mentoring/home.html",
        {
            "rows": rows,
            "to_do": selectors.sign_off_to_do(visible) if sees_to_do else None,
            "has_ended": not show_all and not rows and visible.exclude(status__in=OPEN_STATUSES).exists(),
            "show_all": show_all,
            "only_alerts": only_alerts,
            "units": units,
            "unit_id": unit_id,
            "to_acknowledge": to_acknowledge,
            "alert_count": sum(len(r.alerts) for r in rows),
            "can_assign": permissions.can_assign(officer),
            "today_logs": selectors.mentor_today(officer),
            "can_set_mentor_limits": permissions.can_set_mentor_limits(officer),
        },
    )


@require_http_methods(["GET", "POST"])
def assign(request):
    """A legal affairs reviewer or a unit leader pairs a recruit with a mentor."""
    officer = request.user
    if not permissions.can_assign(officer):
        raise PermissionDenied
    form = MentorshipAssignForm(
        request.POST or None,
        initial={"started_on": timezone.localdate()},
        recruits=selectors.assignable_recruits(officer),
        mentors=selectors.assignable_mentors(officer),
    )
    if request.method == "POST" and form.is_valid():
        try:
            mentorship = services.mentorship_assign(
                assigned_by=officer, **form.cleaned_data
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(
                request,
                _("%(recruit)s now shadows %(mentor)s.")
                % {
                    "recruit": mentorship.recruit.name,
                    "mentor": mentorship.mentor.name,
                },
            )
            return redirect("mentoring:mentorship", pk=mentorship.pk)
    return render(
        request,
        "mentoring/assign.html",
        {"form": form, "full_mentors": selectors.full_mentors(officer)},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def mentor_limits(request):
    """Each mentor's limit of recruits at once, set by police number; every mentor's load."""
    officer = request.user
    if not permissions.can_set_mentor_limits(officer):
        raise PermissionDenied
    initial = {}
    if (number := request.GET.get("police_number", "")[:20]) and (
        mentor := selectors.mentor_loads().filter(police_number=number).first()
    ):
        initial = {"police_number": mentor.police_number, "max_recruits": mentor.own_limit}
    form = MentorLimitForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.mentor_capacity_set(
                mentor=form.mentor, max_recruits=form.cleaned_data["max_recruits"], by=officer
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The limit of %(name)s is saved.") % {"name": form.mentor.name})
            return redirect("mentoring:mentor_limits")
    return render(
        request,
        "mentoring/mentor_limits.html",
        {"form": form, "mentors": list(selectors.mentor_loads()), "default_limit": settings.MENTORING_MENTOR_LIMIT},
        status=400 if form.errors else 200,
    )


def mentorship_detail(request, pk):
    """A recruit's progress: hours, shifts, competencies, chart, logs, sign-off."""
    mentorship, _capacities = selectors.mentorship_for(request.user, pk)
    progress = selectors.mentorship_progress(mentorship=mentorship)
    remedial_per, remedial_total = readiness.remedial_minutes(mentorship)
    for row in progress.competencies:
        row.spark = sparkline([r for _d, r in row.ratings[-20:]])
        row.remedial_minutes = remedial_per.get(row.competency.pk, 0)
    return render(
        request,
        "mentoring/mentorship.html",
        {
            "mentorship": mentorship,
            "progress": progress,
            "chart": ratings_chart(progress.shift_averages),
            "alerts": selectors.alerts_for_mentorship(mentorship),
            "signoff_events": selectors.signoff_events(mentorship=mentorship),
            "signoff_flags": readiness.mentorship_signoff_flags(mentorship),
            "minimums": readiness.minimum_progress(mentorship),
            "remedial_total": remedial_total,
            "powers": permissions.mentorship_powers(request.user, mentorship),
            "evaluation_open": services.evaluation_open(mentorship),
            "has_evaluation": MentorEvaluation.objects.filter(
                mentorship=mentorship
            ).exists(),
        },
    )


def _mentorship_where(request, pk, power):
    """The mentorship (404 if the officer may not see it), if `power` allows (else 403)."""
    mentorship, _capacities = selectors.mentorship_for(request.user, pk)
    if not power(request.user, mentorship):
        raise PermissionDenied
    return mentorship


def _log_where(request, pk, power):
    log, _capacities = selectors.log_for(request.user, pk)
    if not power(request.user, log):
        raise PermissionDenied
    return log


@require_http_methods(["GET", "POST"])
def log_create(request, pk):
    """The mentor logs a shift (on a phone); the form is saved as a draft while typed."""
    mentorship = _mentorship_where(request, pk, permissions.can_log)
    if not mentorship.is_open:
        raise PermissionDenied
    competencies = selectors.active_competencies()
    officer = request.user
    if request.method == "POST" and "save_draft" in request.POST:
        services.log_draft_save(
            mentorship=mentorship, author=officer, data=request.POST.dict()
        )
        messages.success(request, _("Draft saved."))
        return redirect("mentoring:log_create", pk=mentorship.pk)
    if request.method == "POST" and "discard_draft" in request.POST:
        services.log_draft_discard(mentorship=mentorship, author=officer)
        return redirect("mentoring:log_create", pk=mentorship.pk)
    draft = selectors.log_draft(mentorship=mentorship, author=officer)
    if request.method == "POST" and (
        done := selectors.log_by_form_token(mentorship=mentorship, token=request.POST.get("form_token", ""))
    ):
        if other := _second_submit(request, done, competencies):
            return other
        messages.info(request, _("This log was already submitted."))
        return redirect("mentoring:log", pk=done.pk)
    if request.method == "POST":
        form = ShadowingLogForm(
            request.POST, mentorship=mentorship, competencies=competencies
        )
        if form.is_valid():
            try:
                log = services.shadowing_log_submit(
                    mentorship=mentorship, author=officer, entry=form.entry()
                )
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Log submitted: %(recruit)s will be asked to acknowledge it.")
                    % {"recruit": mentorship.recruit.name},
                )
                return redirect("mentoring:log", pk=log.pk)
    else:
        last_log = mentorship.logs.order_by("-date", "-start_time").first()
        form = ShadowingLogForm(
            initial=log_form_initial(
                mentorship=mentorship, draft=draft, last_log=last_log
            ),
            mentorship=mentorship,
            competencies=competencies,
        )
    return render(
        request,
        "mentoring/log_form.html",
        {
            "form": form,
            "mentorship": mentorship,
            "draft": draft,
            "draft_url": reverse("mentoring:log_draft", args=[mentorship.pk]),
            "used_tokens": selectors.recent_form_tokens(mentorship=mentorship),
        },
        status=400 if form.errors else 200,
    )


def _second_submit(request, done, competencies):
    """The same draft submitted again from another device (same form token): if its text
    differs from the log the first device sent, show it as a correction of that log, with
    the differences, so nothing typed on this device is lost. None if it says the same."""
    from .versions import content_changes, entry_content, log_content

    data = request.POST.copy()
    data["base_version"] = str(done.version)
    data.pop("form_token", None)
    form = ShadowingLogForm(data, mentorship=done.mentorship, competencies=competencies, log=done)
    if form.is_valid():
        changes = content_changes(log_content(done), entry_content(form.entry(), competencies))
        if not changes:
            return None
    else:
        changes = []
    return render(
        request,
        "mentoring/log_form.html",
        {
            "form": form, "mentorship": done.mentorship, "log": done, "changes": changes,
            "second_submit": True, "read_only": done.is_locked,
            "form_action": reverse("mentoring:log_edit", args=[done.pk]),
        },
        status=409,
    )


def _revision(value) -> int | None:
    """The draft revision a page sent (a whole number in range), or None when not sent."""
    if value is None:
        return None
    value = str(value)
    if not (value.isascii() and value.isdigit() and len(value) <= 9):
        raise ValidationError("bad revision")
    return int(value)


@require_POST
def log_draft(request, pk):
    """Autosave endpoint: stores the log form as typed so far.

    409 when another device saved the draft since this page last did, with that
    device's text, so the page can show both and lose neither.
    """
    mentorship = _mentorship_where(request, pk, permissions.can_log)
    if not mentorship.is_open:
        raise PermissionDenied
    try:
        revision = _revision(request.POST.get("draft_revision"))
    except ValidationError:
        return JsonResponse({"error": _("That revision is out of range: reload the page.")}, status=400)
    try:
        draft = services.log_draft_save(
            mentorship=mentorship, author=request.user, data=request.POST.dict(), revision=revision
        )
    except services.DraftConflict as conflict:
        other = conflict.draft
        return JsonResponse(
            {
                "conflict": True,
                "revision": other.revision,
                "saved_at": timezone.localtime(other.updated_at).strftime("%H:%M:%S") if other.revision else None,
                "data": other.data,
            },
            status=409,
        )
    if draft is None:  # the form was already submitted
        return JsonResponse({"saved_at": None, "submitted": True})
    saved = timezone.localtime(draft.updated_at)
    return JsonResponse({"saved_at": saved.strftime("%H:%M:%S"), "revision": draft.revision})


def _log_page(request, log, *, status=200, stale=None, comment="", objection_form=None, answer_forms=None):
    """The log page: the log, its versions and objections; the recruit's changes since last read."""
    powers = permissions.log_powers(request.user, log)
    read_before = services.log_mark_read(log=log, officer=request.user)
    since_read = (
        selectors.changes_between(log=log, since=read_before)
        if powers.acknowledge and 0 < read_before < log.version and stale is None else []
    )
    objections = selectors.log_objections(log=log)
    answer_forms = answer_forms or {}
    for objection in objections:
        objection.answer_form = answer_forms.get(objection.pk) or ObjectionAnswerForm(auto_id=f"id_answer_{objection.pk}_%s")
    return render(
        request,
        "mentoring/log.html",
        {
            "log": log,
            "mentorship": log.mentorship,
            "can_acknowledge": powers.acknowledge and not log.is_locked,
            "can_edit": powers.edit and not log.is_locked,
            "can_add_addendum": powers.add_addendum and log.is_locked,
            "can_object": powers.object and log.mentorship.is_open,
            "can_answer": powers.answer_objection,
            "acknowledge_form": AcknowledgeForm(initial={"version": log.version, "comment": comment}),
            "addendum_form": AddendumForm(),
            "objection_form": objection_form or ObjectionForm(),
            "objections": objections,
            "history": selectors.log_history(log=log),
            "stale": stale,
            "read_before": read_before,
            "since_read": since_read,
        },
        status=status,
    )


def log_detail(request, pk):
    """One shift's log; the recruit acknowledges here; addenda once locked."""
    log = _log_where(request, pk, permissions.can_view_log)
    return _log_page(request, log)


@require_http_methods(["GET", "POST"])
def log_edit(request, pk):
    """The mentor corrects a log the recruit has not yet acknowledged."""
    log = _log_where(request, pk, permissions.can_edit_log)
    if log.is_locked:
        if log.mentorship.is_open:
            messages.error(request, _("This log is acknowledged and locked: add an addendum instead."))
        else:
            messages.error(request, _(
                "The mentorship is closed (出师 approved or ended): its logs are locked; add an addendum instead."
            ))
        return redirect("mentoring:log", pk=log.pk)
    competencies = selectors.active_competencies()
    changes = None
    if request.method == "POST":
        form = ShadowingLogForm(
            request.POST, mentorship=log.mentorship, competencies=competencies, log=log
        )
        if form.is_valid():
            try:
                services.shadowing_log_update(
                    log=log, author=request.user, entry=form.entry(),
                    base_version=form.cleaned_data.get("base_version"),
                )
            except services.StaleLogVersion as stale:
                # Shown with what changed; saving again (now on the current version) keeps this text.
                changes = stale.changes
                data = request.POST.copy()
                data["base_version"] = str(stale.current)
                form = ShadowingLogForm(data, mentorship=log.mentorship, competencies=competencies, log=log)
                form.is_valid()
                form.add_error(None, stale.messages[0])
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(request, _("Log corrected."))
                return redirect("mentoring:log", pk=log.pk)
    else:
        form = ShadowingLogForm(
            initial=log_form_initial(mentorship=log.mentorship, log=log),
            mentorship=log.mentorship,
            competencies=competencies,
        )
    return render(
        request,
        "mentoring/log_form.html",
        {"form": form, "mentorship": log.mentorship, "log": log, "changes": changes},
        status=409 if changes is not None else 400 if form.errors else 200,
    )


@require_POST
def log_acknowledge(request, pk):
    """The recruit acknowledges the version shown; a version corrected since is refused with the changes."""
    log = _log_where(request, pk, permissions.can_acknowledge)
    form = AcknowledgeForm(request.POST)
    if not form.is_valid():
        return _log_page(request, log, status=400, comment=request.POST.get("comment", ""))
    comment = form.cleaned_data.get("comment", "")
    try:
        services.shadowing_log_acknowledge(
            log=log, recruit=request.user, version=form.cleaned_data.get("version"), comment=comment
        )
    except services.StaleLogVersion as stale:
        return _log_page(request, log, status=409, stale=stale, comment=comment)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Acknowledged. The log is now locked."))
    return redirect("mentoring:log", pk=log.pk)


@require_POST
def log_objection(request, pk):
    """The recruit objects to a log (提出异议) with a reason; the mentor is to answer."""
    log = _log_where(request, pk, permissions.can_object)
    form = ObjectionForm(request.POST)
    if form.is_valid():
        try:
            services.log_objection_raise(log=log, recruit=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Objection recorded: your mentor will answer it here."))
            return redirect(reverse("mentoring:log", args=[log.pk]) + "#objections")
    return _log_page(request, log, status=400, objection_form=form)


@require_POST
def log_objection_answer(request, pk, objection_pk):
    """The mentor answers a recruit's objection; the thread stays with the log."""
    log = _log_where(request, pk, permissions.can_answer_objection)
    objection = get_object_or_404(LogObjection, pk=objection_pk, log=log)
    form = ObjectionAnswerForm(request.POST, auto_id=f"id_answer_{objection.pk}_%s")
    if form.is_valid():
        try:
            services.log_objection_answer(objection=objection, by=request.user, answer=form.cleaned_data["answer"])
        except ValidationError as error:
            if not hasattr(error, "error_dict"):  # answered already: the page shows that answer
                messages.error(request, error.messages[0])
                return redirect(reverse("mentoring:log", args=[log.pk]) + "#objections")
            _apply_errors(form, error)
        else:
            messages.success(request, _("Answer recorded."))
            return redirect(reverse("mentoring:log", args=[log.pk]) + "#objections")
    return _log_page(request, log, status=400, answer_forms={objection.pk: form})


@require_POST
def log_addendum(request, pk):
    log = _log_where(request, pk, permissions.can_add_addendum)
    form = AddendumForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write the addendum first."))
        return redirect("mentoring:log", pk=log.pk)
    _attempt(
        request,
        lambda: services.log_addendum_add(
            log=log, author=request.user, text=form.cleaned_data["text"]
        ),
        _("Addendum added."),
    )
    return redirect("mentoring:log", pk=log.pk)


@require_POST
def competency_sign_off(request, pk, competency_pk):
    mentorship = _mentorship_where(request, pk, permissions.can_sign_off)
    competency = get_object_or_404(Competency, pk=competency_pk, is_active=True)
    _attempt(
        request,
        lambda: services.competency_sign_off(
            mentorship=mentorship, competency=competency, by=request.user
        ),
        _("%(competency)s signed off.") % {"competency": competency.name},
    )
    return redirect("mentoring:mentorship", pk=mentorship.pk)


@require_POST
def competency_sign_off_withdraw(request, pk, competency_pk):
    mentorship = _mentorship_where(request, pk, permissions.can_sign_off)
    competency = get_object_or_404(Competency, pk=competency_pk)
    _attempt(
        request,
        lambda: services.competency_sign_off_withdraw(
            mentorship=mentorship, competency=competency, by=request.user, reason=request.POST.get("reason", "")
        ),
        _("The sign-off of %(competency)s was withdrawn.") % {"competency": competency.name},
    )
    return redirect("mentoring:mentorship", pk=mentorship.pk)


@require_POST
def final_propose(request, pk):
    mentorship = _mentorship_where(request, pk, permissions.can_propose_final)
    _attempt(
        request,
        lambda: services.final_sign_off_propose(
            mentorship=mentorship, by=request.user, reason=request.POST.get("reason", "")
        ),
        _("Final sign-off proposed; the legal affairs unit will approve it."),
    )
    return redirect("mentoring:mentorship", pk=mentorship.pk)


@require_http_methods(["GET", "POST"])
def final_approve(request, pk):
    """The legal affairs reviewer approves 出师 with an opinion (审核意见); logs the recruit has
    not acknowledged are listed, and approving over them needs a reason."""
    mentorship = _mentorship_where(request, pk, permissions.can_approve_final)
    return _manage_action(
        request,
        pk,
        power=permissions.can_approve_final,
        form_class=FinalApproveForm,
        service=services.final_sign_off_approve,
        done=_("Final sign-off approved: %(recruit)s has completed shadowing.") % {"recruit": mentorship.recruit.name},
        heading=_("Approve final sign-off"),
        extra={"unacknowledged": selectors.unacknowledged_logs(mentorship=mentorship), "approving": True},
    )


@require_POST
def final_return(request, pk):
    mentorship = _mentorship_where(request, pk, permissions.can_approve_final)
    _attempt(
        request,
        lambda: services.final_sign_off_return(
            mentorship=mentorship, by=request.user, reason=request.POST.get("reason", "")
        ),
        _("The final sign-off was returned to the mentor."),
    )
    return redirect("mentoring:mentorship", pk=mentorship.pk)


@require_POST
def promote(request, pk):
    mentorship = _mentorship_where(request, pk, permissions.can_promote)
    _attempt(
        request,
        lambda: services.recruit_promote(mentorship=mentorship, by=request.user),
        _("%(recruit)s moved to the officer tier.")
        % {"recruit": mentorship.recruit.name},
    )
    return redirect("mentoring:mentorship", pk=mentorship.pk)


def _manage_action(request, pk, *, power, form_class, service, done, heading, extra=None):
    """A reviewer's or unit leader's action on a mentorship: one form, one service."""
    mentorship = _mentorship_where(request, pk, power)
    form = form_class(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            service(mentorship=mentorship, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, done)
            return redirect("mentoring:mentorship", pk=mentorship.pk)
    return render(
        request,
        "mentoring/manage_form.html",
        {"form": form, "mentorship": mentorship, "heading": heading, **(extra or {})},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def extend(request, pk):
    return _manage_action(
        request,
        pk,
        power=permissions.can_extend,
        form_class=MentorshipExtendForm,
        service=services.mentorship_extend,
        done=_("Mentorship extended."),
        heading=_("Extend the mentorship"),
    )


@require_http_methods(["GET", "POST"])
def end_early(request, pk):
    return _manage_action(
        request,
        pk,
        power=permissions.can_end,
        form_class=MentorshipEndForm,
        service=services.mentorship_end_early,
        done=_("Mentorship ended."),
        heading=_("End the mentorship early"),
    )


RECORD_WAIT_SECONDS = 8  # how long the download waits for the worker before the "being prepared" page


def record_pdf(request, pk):
    """The recruit's training record as a PDF, in Chinese."""
    mentorship = _mentorship_where(request, pk, permissions.can_view_mentorship)
    # A long record is printed by the task worker: wait a little for it, else say so.
    name, ready = services.record_request(mentorship=mentorship)
    deadline = time.monotonic() + RECORD_WAIT_SECONDS
    while not ready and time.monotonic() < deadline:
        time.sleep(0.5)
        ready = private_storage.exists(name)
    if ready:
        if mentorship.recruit_id != request.user.pk:
            audit_record(actor=request.user, action="training_record.view", target=mentorship)
        return private_file_response(
            request, name=name, filename=f"training-record-{mentorship.recruit.police_number}.pdf",
            content_type="application/pdf",
        )
    response = render(request, "mentoring/record_wait.html", {"mentorship": mentorship}, status=202)
    response["Cache-Control"] = "private, no-store"
    return response


@require_http_methods(["GET", "POST"])
def evaluation(request, pk):
    """The recruit evaluates the mentor; only legal affairs reviewers read it."""
    mentorship, _capacities = selectors.mentorship_for(request.user, pk)
    existing = MentorEvaluation.objects.filter(mentorship=mentorship).first()
    if permissions.can_read_evaluation(request.user, mentorship) and request.method == "GET":
        if existing is not None:
            audit_record(actor=request.user, action="evaluation.view", target=mentorship)
        return render(
            request,
            "mentoring/evaluation.html",
            {"mentorship": mentorship, "evaluation": existing},
        )
    if not permissions.can_submit_evaluation(request.user, mentorship):
        raise PermissionDenied
    if existing is not None or not services.evaluation_open(mentorship):
        raise PermissionDenied
    form = MentorEvaluationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.mentor_evaluation_submit(
                mentorship=mentorship, recruit=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(
                request,
                _("Thank you: your evaluation goes to the legal affairs unit only."),
            )
            return redirect("mentoring:mentorship", pk=mentorship.pk)
    return render(
        request,
        "mentoring/evaluation.html",
        {"mentorship": mentorship, "form": form},
        status=400 if form.errors else 200,
    )


def competencies(request):
    """The curriculum with its rating guidelines and minimums; legal affairs reviewers edit it."""
    if not selectors.is_involved(request.user):
        raise PermissionDenied
    can_edit = permissions.can_edit_competencies(request.user)
    items = Competency.objects.all() if can_edit else Competency.objects.filter(is_active=True)
    return render(
        request,
        "mentoring/competencies.html",
        {"competencies": items, "can_edit": can_edit, "minimums": readiness.curriculum_minimums()},
    )


@require_http_methods(["GET", "POST"])
def minimums_edit(request):
    """The legal affairs reviewers set the minimums before 出师 (shifts, hours, weeks, simulations)."""
    if not permissions.can_edit_competencies(request.user):
        raise PermissionDenied
    current = readiness.curriculum_minimums()
    form = CurriculumMinimumsForm(
        request.POST or None,
        initial={"shifts": current.shifts, "hours": current.hours, "weeks": current.weeks,
                 "simulations": current.simulations},
    )
    if request.method == "POST" and form.is_valid():
        services.curriculum_minimums_save(by=request.user, **form.cleaned_data)
        messages.success(request, _("Minimums before 出师 saved."))
        return redirect("mentoring:competencies")
    return render(
        request, "mentoring/minimums_form.html", {"form": form}, status=400 if form.errors else 200
    )


@require_http_methods(["GET", "POST"])
def competency_edit(request, pk=None):
    if not permissions.can_edit_competencies(request.user):
        raise PermissionDenied
    competency = get_object_or_404(Competency, pk=pk) if pk else Competency()
    form = CompetencyForm(request.POST or None, instance=competency)
    if request.method == "POST" and form.is_valid():
        services.competency_save(competency=form.instance, by=request.user)
        messages.success(request, _("Competency saved."))
        return redirect("mentoring:competencies")
    return render(
        request,
        "mentoring/competency_form.html",
        {"form": form, "competency": competency},
        status=400 if form.errors else 200,
    )
