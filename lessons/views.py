"""Thin views of the lecture hall: parse the request, call a selector or service, render."""

import json

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from wagtail import hooks

from officers.private_files import private_file_response
from officers.services import audit_record

from . import checkin, selectors, services
from .forms import SessionCodeForm
from .models import LessonPage
from .qr import qr_svg
from .study import study_progress

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _errors(error: ValidationError) -> str:
    return " ".join(error.messages)


def _lesson(page_id: int) -> LessonPage:
    lesson = LessonPage.objects.filter(pk=page_id).first()
    if lesson is None:
        raise Http404
    return lesson


def _back_to(lesson: LessonPage, anchor: str = ""):
    if lesson.live:
        return redirect(lesson.url + anchor)
    return redirect("lessons:my_courses")


@require_GET
def my_courses(request):
    """我的课程: the courses meant for the officer, required ones first."""
    rows = selectors.my_courses(officer=request.user)
    return render(
        request,
        "lessons/my_courses.html",
        {
            "required_rows": [r for r in rows if r.course.is_required],
            "other_rows": [r for r in rows if not r.course.is_required],
            "certificates": [r for r in rows if r.completion],
        },
    )


@require_GET
def search(request):
    query = request.GET.get("q", "").strip()[: selectors.SEARCH_QUERY_MAX]
    terms, total, results = selectors.lessons_search_ranked(query=query)
    return render(
        request, "lessons/search.html", {"query": query, "terms": terms, "total": total, "results": results}
    )


@require_POST
def lesson_complete(request, page_id: int):
    lesson = _lesson(page_id)
    try:
        completion = services.lesson_complete(officer=request.user, lesson=lesson)
    except ValidationError as error:
        messages.error(request, _errors(error))
        return _back_to(lesson)
    if completion is None:
        messages.warning(request, _("This course is not meant for you: reading it is welcome, but it is not recorded."))
    else:
        messages.success(request, _("Lesson completed."))
    return _back_to(lesson, "#lesson-end")


@require_POST
def lesson_study_ping(request, page_id: int):
    """The lesson page's heartbeat: {"visible": true, "media": {block id: {"duration",
    "played": [[start, end], …]}}}. Answers how much study is still needed."""
    lesson = _lesson(page_id)
    if not lesson.live:
        raise Http404
    try:
        data = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        return JsonResponse({"error": _("The page sent something unreadable; reload it.")}, status=400)
    if not isinstance(data, dict):
        data = {}
    media = data.get("media") if isinstance(data.get("media"), dict) else {}
    media = {
        str(k)[:64]: {"duration": v.get("duration"), "played": (v.get("played") or [])[:100]}
        for k, v in list(media.items())[:20]
        if isinstance(v, dict) and isinstance(v.get("played") or [], list)
    }
    study = services.lesson_study_ping(officer=request.user, lesson=lesson, visible=data.get("visible") is True, media=media)
    return JsonResponse(study_progress(study=study, lesson=lesson))


@require_POST
def knowledge_check(request, page_id: int, block_id: str):
    lesson = _lesson(page_id)
    answers = {}
    for key in request.POST:
        if key.startswith("q-"):
            try:
                answers[key[2:]] = [int(v) for v in request.POST.getlist(key)]
            except ValueError:
                continue
    try:
        attempt = services.knowledge_check_submit(officer=request.user, lesson=lesson, block_id=block_id, answers=answers)
    except ValidationError as error:
        messages.error(request, _errors(error))
        return _back_to(lesson)
    if attempt.passed:
        messages.success(
            request,
            _("Passed: %(correct)s of %(total)s correct. Read on to the end of the lesson to complete it.")
            % {"correct": attempt.correct, "total": attempt.total},
        )
    else:
        messages.error(
            request,
            _("Not passed: %(correct)s of %(total)s correct. Read the lesson again and retry.")
            % {"correct": attempt.correct, "total": attempt.total},
        )
    return _back_to(lesson, f"#check-{block_id}")


@require_GET
def certificate_download(request, course_id: int):
    completion = selectors.certificate_for(officer=request.user, course_id=course_id)
    pdf = services.certificate_render_pdf(completion=completion)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''certificate-{completion.certificate_number}.pdf"
    return response


@require_GET
def certificate_verify(request):
    number = request.GET.get("number", "")[:30]
    completion = selectors.certificate_lookup(number=number) if number else None
    return render(
        request, "lessons/certificate_verify.html", {"number": number, "completion": completion}
    )


FIRST_YEAR = 2000  # before the platform, and far from year 1 where date arithmetic overflows


def _year(raw: str | None) -> int:
    """The year asked for, or this year when it is missing, not a number or out of range."""
    this_year = timezone.localdate().year
    try:
        year = int(raw or this_year)
    except ValueError:
        return this_year
    return year if FIRST_YEAR <= year <= this_year + 1 else this_year


def sessions(request):
    """Training sessions of a year, its figures, and the officer's code entry."""
    year = _year(request.GET.get("year"))
    # A QR code scanned at the venue opens this page with its code filled in.
    scanned = request.GET.get("code", "")
    initial = {"code": scanned} if scanned.isdigit() and len(scanned) == 6 else {}
    form = SessionCodeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            attendance = services.attendance_record_by_code(officer=request.user, code=form.cleaned_data["code"])
        except ValidationError as error:
            form.add_error("code", _errors(error))
        else:
            messages.success(
                request, _("Attendance recorded: %(session)s.") % {"session": attendance.session.topic}
            )
            return redirect("lessons:sessions")
    return render(
        request,
        "lessons/sessions.html",
        {
            "year": year,
            "figures": selectors.session_year_figures(year=year),
            "sessions": selectors.sessions_list(year=year),
            "form": form,
            "my_attendances": selectors.officer_attendances(officer=request.user)[:10],
            "can_manage": request.user.has_perm("lessons.add_trainingsession"),
            "can_see_report": selectors.can_see_dashboards(request.user),
            "scanned": bool(initial),
        },
        status=400 if form.errors else 200,
    )


def session_venue(request, session_id: int):
    """The venue screen: the rotating check-in code and its QR code, refreshed by
    static/lessons/venue.js when the code changes."""
    session = selectors.session_for_trainer(officer=request.user, session_id=session_id)
    code, seconds_left = checkin.current_code(session.checkin_secret)
    now = timezone.now()
    running = session.starts_at <= now <= session.ends_at
    checkin_url = request.build_absolute_uri(f"{reverse('lessons:sessions')}?code={code}")
    return render(
        request,
        "lessons/session_venue.html",
        {
            "session": session, "code": code if running else "", "seconds_left": seconds_left,
            "running": running, "has_ended": now > session.ends_at,
            "qr_svg": qr_svg(checkin_url, scale=10) if running else "",
            "checkin_url": checkin_url if running else "",
            "present_count": session.attendances.count(),
        },
    )


def _report_scope(request):
    if not selectors.can_see_dashboards(request.user):
        raise PermissionDenied
    return selectors.dashboard_scope(request.user)


@require_GET
def training_report(request):
    """Yearly training hours and attendance per officer and per unit (年度考核)."""
    scope = _report_scope(request)
    year = _year(request.GET.get("year"))
    report = selectors.training_year_report(year=year, scope=scope)
    audit_record(actor=request.user, action="training_report.view", target=None, detail=f"{year} {scope or ''}")
    return render(request, "lessons/training_report.html", {**report, "scope": scope})


@require_GET
def training_report_export(request):
    scope = _report_scope(request)
    year = _year(request.GET.get("year"))
    data = services.training_year_xlsx(year=year, scope=scope)
    audit_record(actor=request.user, action="training_report.export", target=None, detail=f"{year} {scope or ''}")
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''training-{year}.xlsx"
    return response


def session_attendance(request, session_id: int):
    """The trainer's list of invited officers, to tick who is present."""
    session = selectors.session_for_trainer(officer=request.user, session_id=session_id)
    if request.method == "POST" and "remove" in request.POST:
        remove = request.POST.get("remove", "")
        try:
            removal = services.attendance_remove(
                session=session, officer_id=int(remove) if remove.isdigit() and len(remove) <= 18 else 0,
                removed_by=request.user, reason=request.POST.get(f"reason-{remove}", ""),
            )
        except ValidationError as error:
            messages.error(request, _errors(error))
        else:
            audit_record(actor=request.user, action="attendance.remove", target=session, detail=removal.reason)
            messages.success(request, _("Attendance removed; the removal is kept below."))
            return redirect("lessons:session_attendance", session_id=session.pk)
    elif request.method == "POST":
        try:
            ids = [int(v) for v in request.POST.getlist("present")]
        except ValueError:
            ids = []
        try:
            recorded = services.attendance_record_by_list(session=session, officer_ids=ids, recorded_by=request.user)
        except ValidationError as error:
            messages.error(request, _errors(error))
        else:
            messages.success(request, _("Recorded %(count)s attendances.") % {"count": len(recorded)})
            return redirect("lessons:session_attendance", session_id=session.pk)
    roster = selectors.session_roster(session=session)
    return render(
        request,
        "lessons/session_attendance.html",
        {
            "session": session,
            "roster": roster,
            "present_count": sum(1 for o in roster if o.is_present),
            "has_started": timezone.now() >= session.starts_at,
            "removals": selectors.attendance_removals(session=session),
        },
    )


def _dashboard_scope(request):
    if not selectors.can_see_dashboards(request.user):
        raise PermissionDenied
    return selectors.dashboard_scope(request.user)


@require_GET
def dashboard(request):
    scope = _dashboard_scope(request)
    return render(request, "lessons/dashboard.html", {"courses": selectors.dashboard_courses(), "scope": scope})


@require_GET
def dashboard_course(request, page_id: int):
    """Who completed the course and who is overdue, per unit."""
    scope = _dashboard_scope(request)
    course = selectors.course_for_dashboard(page_id=page_id)
    unit_id = request.GET.get("unit", "")
    data = selectors.course_dashboard(
        course=course, scope=scope,
        unit_id=int(unit_id) if unit_id.isascii() and unit_id.isdigit() and len(unit_id) <= 18 else None,
    )
    audit_record(actor=request.user, action="dashboard.view", target=course, detail=str(scope or ""))
    return render(
        request, "lessons/dashboard_course.html", {**data, "scope": scope, "today": timezone.localdate()}
    )


@require_GET
def dashboard_export(request, page_id: int):
    scope = _dashboard_scope(request)
    course = selectors.course_for_dashboard(page_id=page_id)
    data = services.course_dashboard_xlsx(course=course, scope=scope)
    audit_record(actor=request.user, action="dashboard.export", target=course, detail=str(scope or ""))
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''course-{course.pk}-dashboard.xlsx"
    return response


@require_GET
def dashboard_certificates(request, page_id: int):
    """Every certificate of the course earned in one unit, as one PDF to print."""
    scope = _dashboard_scope(request)
    course = selectors.course_for_dashboard(page_id=page_id)
    unit_id = request.GET.get("unit", "")
    if not (unit_id.isascii() and unit_id.isdigit() and len(unit_id) <= 18):
        raise Http404
    completions = selectors.unit_certificates(course=course, unit_id=int(unit_id), scope=scope)
    pdf = services.certificates_render_pdf(completions=completions)
    audit_record(actor=request.user, action="certificates.download", target=course, detail=f"unit {unit_id}")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''certificates-{course.pk}-unit-{unit_id}.pdf"
    return response


@require_http_methods(["GET", "HEAD"])
def media_file(request, document_id: int):
    """A lesson's video or audio, answering Range requests (206) so that players can
    seek and iOS plays it; Wagtail's own document view sends the whole file only.
    Signed-in officers only (the site-wide login rule), and Wagtail's privacy
    settings of the document's collection still apply."""
    document = selectors.media_document(document_id=document_id)
    for hook in hooks.get_hooks("before_serve_document"):
        result = hook(document, request)
        if isinstance(result, HttpResponse):
            return result
    if settings.PRIVATE_FILES_ACCEL_PREFIX:
        # Production: nginx sends the bytes from its internal location, Range requests included.
        return private_file_response(
            request, name=document.file.name, filename=document.filename,
            content_type=selectors.media_content_type(document),
        )
    size = document.file.size
    span = selectors.byte_range(request.headers.get("Range", ""), size)
    if span == "unsatisfiable":
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        return response
    start, end = span or (0, size - 1)
    handle = document.file.open("rb")
    handle.seek(start)
    body = _file_chunks(handle, end - start + 1) if request.method == "GET" else iter(())
    response = StreamingHttpResponse(body, status=206 if span else 200, content_type=selectors.media_content_type(document))
    response["Content-Length"] = str(end - start + 1) if size else "0"
    response["Accept-Ranges"] = "bytes"
    if span:
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
    response["Cache-Control"] = "private, max-age=3600"
    return response


def _file_chunks(handle, length: int, chunk: int = 64 * 1024):
    try:
        while length > 0:
            data = handle.read(min(chunk, length))
            if not data:
                break
            length -= len(data)
            yield data
    finally:
        handle.close()
