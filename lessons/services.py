"""Writes for the lecture hall: completing lessons and courses, attendance, exports."""

import datetime as dt

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from wagtail.models import GroupPagePermission, Site, Workflow, WorkflowPage

from officers.pdf import render_pdf

from . import checkin
from .blocks import question_items
from .exports import ReportSheet, report_workbook_bytes
from .models import (
    Attendance,
    AttendanceMethod,
    AttendanceRemoval,
    CourseCompletion,
    CoursePage,
    KnowledgeCheckAttempt,
    LectureHallPage,
    LessonCompletion,
    LessonPage,
    LessonStudy,
    TrainingSession,
)
from .qr import qr_data_uri
from .selectors import (
    course_dashboard,
    course_lessons,
    in_audience,
    training_year_report,
)
from .study import (
    CHECK_RETRY_PAUSE,
    STUDY_HOUR_SECONDS,
    VIDEO_SHARE,
    media_update,
    ping_credit,
    study_progress,
    video_block_ids,
    video_least_seconds,
)

REVIEWERS_GROUP = "lesson_reviewers"
WORKFLOW_NAME = "法律讲堂发布审核"


class NotCompletable(ValidationError):
    """The lesson cannot be completed (yet): unpublished, or its check not passed."""


def _course_of(lesson: LessonPage) -> CoursePage:
    return CoursePage.objects.prefetch_related("audience_units").get(pk=lesson.get_parent().pk)


def _ensure_open(lesson: LessonPage, course: CoursePage) -> None:
    if not (lesson.live and course.live):
        raise NotCompletable(_("This lesson's course is not published: it cannot be completed."))


@transaction.atomic
def knowledge_check_submit(*, officer, lesson: LessonPage, block_id: str, answers: dict[str, list[int]]) -> KnowledgeCheckAttempt:
    """Grade one knowledge check of a lesson. `answers` maps question id to the
    chosen option indexes. A pass does not complete the lesson: a check may stand
    mid-lesson, so the officer still reads on to its end (lesson_complete)."""
    course = _course_of(lesson)
    _ensure_open(lesson, course)
    check = next((c for c in lesson.knowledge_checks if c.id == block_id), None)
    if check is None:
        raise ValidationError(_("This knowledge check no longer exists; reload the lesson."))
    questions = question_items(check.value)
    # Only the check's own questions and their options are kept: a crafted post
    # (unknown ids, 40-digit numbers, thousands of keys) stores nothing of its own.
    answers = {
        q["id"]: sorted({i for i in answers.get(q["id"], []) if 0 <= i < len(q["options"])})
        for q in questions if q["id"] in answers
    }
    if not any(answers.values()):
        raise ValidationError(_("Answer the questions first."))
    last = (
        KnowledgeCheckAttempt.objects.filter(officer=officer, lesson=lesson, block_id=block_id)
        .order_by("-submitted_at").first()
    )
    if last is not None and not last.passed:
        opens_at = last.submitted_at + dt.timedelta(seconds=CHECK_RETRY_PAUSE)
        if timezone.now() < opens_at:
            raise ValidationError(
                _("Read the lesson again first: the next attempt opens at %(time)s.")
                % {"time": timezone.localtime(opens_at).strftime("%H:%M:%S")}
            )
    correct = sum(1 for q in questions if set(answers.get(q["id"], [])) == q["correct"])
    total = len(questions)
    attempt = KnowledgeCheckAttempt(
        officer=officer, lesson=lesson, block_id=block_id,
        answers=answers,
        correct=correct, total=total,
        passed=total > 0 and 100 * correct >= check.value["pass_percent"] * total,
    )
    attempt.full_clean()
    attempt.save()
    return attempt


def _checks_passed(officer, lesson: LessonPage) -> bool:
    needed = {c.id for c in lesson.knowledge_checks}
    if not needed:
        return True
    passed = set(
        KnowledgeCheckAttempt.objects.filter(officer=officer, lesson=lesson, passed=True, block_id__in=needed)
        .values_list("block_id", flat=True)
    )
    return needed <= passed


@transaction.atomic
def lesson_study_ping(*, officer, lesson: LessonPage, visible: bool, media: dict | None = None) -> LessonStudy:
    """Credit the time since the page's last ping (when it was visible) and the
    video it reports played. The first ping starts the clock; the server's clock,
    never the page's, measures the time (see lessons.study)."""
    now = timezone.now()
    study, created = LessonStudy.objects.get_or_create(
        officer=officer, lesson=lesson, defaults={"started_at": now, "last_ping_at": now}
    )
    if created:
        return study
    study = LessonStudy.objects.select_for_update().get(pk=study.pk)
    elapsed = (now - study.last_ping_at).total_seconds()
    study.seconds_visible += ping_credit(elapsed, visible)
    videos = set(video_block_ids(lesson))
    records = dict(study.media or {})
    least = None
    for block_id, report in (media or {}).items():
        if block_id in videos and isinstance(report, dict):
            if least is None and "duration" not in records.get(block_id, {}):
                least = video_least_seconds(lesson)
            records[block_id] = media_update(
                records.get(block_id, {}), report, elapsed if visible else 0, (least or {}).get(block_id, 0.0)
            )
    study.media = records
    study.last_ping_at = now
    study.save(update_fields=["seconds_visible", "media", "last_ping_at"])
    return study


@transaction.atomic
def lesson_complete(*, officer, lesson: LessonPage) -> LessonCompletion | None:
    """Record that the officer completed the lesson: they reached its end (the
    end-of-lesson action) with every knowledge check passed. Once; re-opening changes nothing.

    Returns None for an officer outside the course's audience: they may read it,
    but it counts for nothing. Completing the last lesson completes the course.
    """
    course = _course_of(lesson)
    _ensure_open(lesson, course)
    if not in_audience(course, officer):
        return None
    completion = LessonCompletion.objects.filter(officer=officer, lesson=lesson).first()
    if completion is not None:
        course_complete_if_finished(officer=officer, course=course)
        return completion
    progress = study_progress(study=LessonStudy.objects.filter(officer=officer, lesson=lesson).first(), lesson=lesson)
    if progress["seconds_left"]:
        raise NotCompletable(
            _("Not yet: a lesson counts once it has been open for %(needed)s minutes; %(left)s more to go.")
            % {"needed": _minutes(progress["required_seconds"]), "left": _minutes(progress["seconds_left"])}
        )
    unwatched = [v for v in progress["videos"] if not v["watched"]]
    if unwatched:
        raise NotCompletable(
            _("Watch the video first: %(played)s%% played, %(needed)s%% needed.")
            % {"played": unwatched[0]["percent"], "needed": int(VIDEO_SHARE * 100)}
        )
    if not _checks_passed(officer, lesson):
        raise NotCompletable(_("Pass the knowledge check first."))
    if completion is None:
        try:
            with transaction.atomic():
                completion = LessonCompletion.objects.create(
                    officer=officer, lesson=lesson, course=course, study_seconds=progress["seconds"]
                )
        except IntegrityError:  # a double click: the first request recorded it
            completion = LessonCompletion.objects.get(officer=officer, lesson=lesson)
    course_complete_if_finished(officer=officer, course=course)
    return completion


def _minutes(seconds: int) -> int:
    return max(1, -(-seconds // 60))


def course_complete_if_finished(*, officer, course: CoursePage) -> CourseCompletion | None:
    """Give the course's certificate once every live lesson of it is completed."""
    existing = CourseCompletion.objects.filter(officer=officer, course=course).first()
    if existing:
        return existing
    lesson_ids = set(course_lessons(course).values_list("pk", flat=True))
    if not lesson_ids:
        return None
    done = set(
        LessonCompletion.objects.filter(officer=officer, lesson_id__in=lesson_ids).values_list("lesson_id", flat=True)
    )
    if done != lesson_ids:
        return None
    now = timezone.now()
    study_seconds = sum(
        LessonCompletion.objects.filter(officer=officer, lesson_id__in=lesson_ids).values_list("study_seconds", flat=True)
    )
    checks_passed = (
        KnowledgeCheckAttempt.objects.filter(officer=officer, lesson_id__in=lesson_ids, passed=True)
        .values("lesson_id", "block_id").distinct().count()
    )
    try:
        with transaction.atomic():
            return CourseCompletion.objects.create(
                officer=officer, course=course, completed_at=now,
                study_seconds=study_seconds, lesson_count=len(lesson_ids), checks_passed=checks_passed,
                due_on=course.due_on,
                is_late=bool(course.is_required and course.due_on and timezone.localdate(now) > course.due_on),
            )
    except IntegrityError:
        return CourseCompletion.objects.get(officer=officer, course=course)


def certificate_verify_url(completion: CourseCompletion) -> str:
    """The full verification address, from the platform's configured address
    (WAGTAILADMIN_BASE_URL, the address officers use on the intranet)."""
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    return f"{base}{reverse('lessons:certificate_verify')}?number={completion.certificate_number}"


def _title_size(title: str) -> str:
    # Sizes at which the title still fits one line of the A4 landscape frame.
    length = len(title) + 2
    return "l" if length <= 26 else "m" if length <= 32 else "s" if length <= 42 else "xs"


def _certificate_item(completion: CourseCompletion) -> dict:
    minutes = round(completion.study_seconds / 60)
    hours, rest = divmod(minutes, 60)
    url = certificate_verify_url(completion)
    return {
        "completion": completion, "officer": completion.officer, "course": completion.course,
        "title_size": _title_size(completion.course.title),
        "study_time": f"{hours} 小时 {rest} 分钟" if hours else f"{rest} 分钟",
        "credit_hours": f"{completion.study_seconds / STUDY_HOUR_SECONDS:.1f}",
        "verify_url": url, "qr": qr_data_uri(url, scale=4),
    }


def certificate_render_pdf(*, completion: CourseCompletion) -> bytes:
    """The course certificate (结业证书): what was done, and how to verify it."""
    return certificates_render_pdf(completions=[completion])


def certificates_render_pdf(*, completions) -> bytes:
    """Several certificates (a unit's, for a course) in one PDF, one page each."""
    return render_pdf("lessons/pdf/certificate.html", {"certificates": [_certificate_item(c) for c in completions]})


# --- training sessions ----------------------------------------------------


def _ensure_started(session: TrainingSession, now) -> None:
    if now < session.starts_at:
        raise ValidationError(_("This session has not started yet: attendance opens when it begins."))


@transaction.atomic
def attendance_record_by_list(*, session: TrainingSession, officer_ids: list[int], recorded_by) -> list[Attendance]:
    """The trainer ticks invited officers as present."""
    _ensure_started(session, timezone.now())
    officer_ids = list(dict.fromkeys(officer_ids))
    invited_units = set(session.invited_units.values_list("pk", flat=True))
    from officers.models import Officer

    officers = list(Officer.objects.filter(pk__in=officer_ids, is_active=True, unit_id__in=invited_units))
    if len(officers) != len(officer_ids):
        raise ValidationError(_("Only active officers of the invited units can be ticked."))
    already = list(
        Attendance.objects.filter(session=session, officer_id__in=officer_ids).select_related("officer")
    )
    if already:
        raise ValidationError(
            _("Attendance is already recorded for: %(names)s.") % {"names": "、".join(a.officer.name for a in already)}
        )
    rows = [
        Attendance(session=session, officer=o, method=AttendanceMethod.LIST, recorded_by=recorded_by)
        for o in officers
    ]
    try:
        with transaction.atomic():
            return Attendance.objects.bulk_create(rows)
    except IntegrityError as error:
        raise ValidationError(_("Attendance was recorded by someone else at the same time; reload the list.")) from error


class CheckInRefused(ValidationError):
    """A code that checks nobody in. One message for every wrong code, so a guesser
    learns nothing about which codes exist."""


def _wrong_code(officer) -> CheckInRefused:
    count = checkin.wrong_code_count(officer.pk)
    if count >= checkin.WRONG_CODES_ALLOWED:
        return CheckInRefused(_too_many_codes())
    return CheckInRefused(
        _("This code does not check you in. Enter the code shown at the venue now "
          "(%(left)s more tries, then a 15-minute wait).") % {"left": checkin.WRONG_CODES_ALLOWED - count}
    )


def _too_many_codes() -> str:
    return _("Too many wrong codes: check-in is paused for 15 minutes. Ask the trainer to tick you on the list.")


def _session_for_code(officer, code: str, now) -> TrainingSession | None:
    """The running session this code checks the officer in to: a rotating code from
    the venue screen, or a session's fixed code where it does not rotate."""
    running = list(
        TrainingSession.objects.filter(starts_at__lte=now, ends_at__gte=now).prefetch_related("invited_units")
    )
    for session in running:
        matches = (
            checkin.code_matches(session.checkin_secret, code) if session.code_rotates else session.code == code
        )
        if matches and officer.unit_id in {u.pk for u in session.invited_units.all()}:
            return session
    return None


@transaction.atomic
def attendance_record_by_code(*, officer, code: str) -> Attendance:
    """The officer enters (or scans) the session's code during the session.

    Every code that checks nobody in gets the same refusal (no session, not started,
    over, not invited); five in 15 minutes pause check-in for the officer."""
    code = (code or "").strip()
    if checkin.wrong_codes(officer.pk) >= checkin.WRONG_CODES_ALLOWED:
        raise CheckInRefused(_too_many_codes())
    session = _session_for_code(officer, code, timezone.now()) if code.isdigit() and len(code) == 6 else None
    if session is None:
        raise _wrong_code(officer)
    checkin.wrong_codes_clear(officer.pk)
    if Attendance.objects.filter(session=session, officer=officer).exists():
        raise ValidationError(_("Your attendance at this session is already recorded."))
    try:
        with transaction.atomic():
            return Attendance.objects.create(session=session, officer=officer, method=AttendanceMethod.CODE)
    except IntegrityError as error:
        raise ValidationError(_("Your attendance at this session is already recorded.")) from error


@transaction.atomic
def attendance_remove(*, session: TrainingSession, officer_id: int, removed_by, reason: str) -> AttendanceRemoval:
    """Undo an attendance (a wrong tick, or a code used by someone not there): the row
    goes, and an AttendanceRemoval keeps who was removed, by whom, when and why."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give a reason for removing the attendance."))
    attendance = (
        Attendance.objects.select_for_update().filter(session=session, officer_id=officer_id).first()
    )
    if attendance is None:
        raise ValidationError(_("This attendance was already removed; reload the list."))
    removal = AttendanceRemoval(
        session=session, officer_id=officer_id, method=attendance.method,
        recorded_by=attendance.recorded_by, recorded_at=attendance.recorded_at,
        removed_by=removed_by, reason=reason[:200],
    )
    removal.full_clean()
    removal.save()
    attendance.delete()
    return removal


# --- exports --------------------------------------------------------------


def _dashboard_status(officer) -> str:
    if officer.completed_at:
        return _("Completed late") if officer.completed_late else _("Completed")
    return _("Overdue") if officer.is_overdue else pgettext("study", "In progress")


def course_dashboard_xlsx(*, course: CoursePage, scope=None) -> bytes:
    """The dashboard as a workbook: every officer of the audience on the first sheet,
    then a sheet per unit; each headed by the course, its due date and the export time,
    with filters on the header, real dates, and widths that fit Chinese names."""
    data = course_dashboard(course=course, scope=scope, all_officers=True)
    header = [
        _("Unit"), _("Police number"), pgettext("person", "Name"), _("Tier"), _("Lessons"), _("Status"),
        _("Completed at"), _("Minutes studied"), _("Certificate"),
    ]
    title_rows = [
        _("Course: %(course)s") % {"course": course.title},
        _("Due date: %(date)s") % {"date": course.due_on.isoformat() if course.due_on else "—"},
        _("Exported at: %(time)s") % {"time": timezone.localtime().strftime("%Y-%m-%d %H:%M")},
    ]
    certificates = dict(
        CourseCompletion.objects.filter(course=course).values_list("officer_id", "certificate_number")
    )
    everyone = ReportSheet(title=_("All units"), title_rows=title_rows, header=header)
    per_unit = []
    for unit_row in data["units"]:
        unit_name = unit_row.unit.name if unit_row.unit else _("No unit")
        sheet = ReportSheet(
            title=unit_name,
            title_rows=[*title_rows, _("Unit: %(unit)s (%(done)s of %(total)s completed)")
                        % {"unit": unit_name, "done": unit_row.completed, "total": unit_row.total}],
            header=header,
        )
        for officer in unit_row.officers:
            row = [
                unit_name, officer.police_number, officer.name, officer.get_tier_display(),
                f"{officer.lessons_done}/{data['lesson_total']}", _dashboard_status(officer),
                officer.completed_at, round((officer.study_seconds or 0) / 60) if officer.completed_at else None,
                certificates.get(officer.pk, ""),
            ]
            sheet.rows.append(row)
            everyone.rows.append(row)
        per_unit.append(sheet)
    return report_workbook_bytes(sheets=[everyone, *per_unit])


def training_year_xlsx(*, year: int, scope=None) -> bytes:
    """The year's training per officer and per unit (年度考核), two sheets."""
    report = training_year_report(year=year, scope=scope)
    title_rows = [
        _("Training hours %(year)s: training sessions and lecture hall") % {"year": year},
        _("Scope: %(scope)s") % {"scope": scope.name if scope else _("the whole bureau")},
        _("Exported at: %(time)s") % {"time": timezone.localtime().strftime("%Y-%m-%d %H:%M")},
    ]
    by_officer = ReportSheet(
        title=_("Per officer"), title_rows=title_rows,
        header=[_("Unit"), _("Police number"), pgettext("person", "Name"), _("Thematic training"), _("On-site teaching"),
                _("Attendances"), _("Session hours"), _("Lecture hall hours"), _("Courses completed"),
                _("Total hours")],
        rows=[
            [r.officer.unit.name if r.officer.unit else _("No unit"), r.officer.police_number, r.officer.name,
             r.thematic, r.on_site, r.attendances, r.session_hours, r.study_hours, r.courses_completed, r.hours]
            for r in report["officers"]
        ],
    )
    by_unit = ReportSheet(
        title=_("Per unit"), title_rows=title_rows,
        header=[_("Unit"), _("Officers"), _("Officers who attended"), _("Attendances"), _("Total hours"),
                _("Hours per officer")],
        rows=[
            [u.unit.name if u.unit else _("No unit"), u.officers, u.attended, u.attendances, u.hours,
             u.hours_per_officer]
            for u in report["units"]
        ],
    )
    return report_workbook_bytes(sheets=[by_unit, by_officer])


# --- authoring: permissions and workflow ------------------------------------


def pages_unpublishable(*, pages, include_descendants: bool = False) -> list[str]:
    """What would stop these pages (and their draft descendants) from going live as
    they stand: "title: reason" for each page whose latest revision fails validation."""
    candidates = list(pages)
    if include_descendants:
        for page in list(candidates):
            candidates += list(page.get_descendants().not_live())
    problems = []
    for page in candidates:
        page = page.specific
        revision = page.get_latest_revision()
        draft = revision.as_object() if revision else page
        try:
            draft.full_clean()
        except ValidationError as error:
            problems.append(f"{draft.title}：{'；'.join(error.messages)}")
    return problems



PAGE_PERMISSIONS = {
    # Trainers draft and submit; the workflow's reviewers approve, which publishes.
    "trainer": ["add_page", "change_page"],
    REVIEWERS_GROUP: ["add_page", "change_page", "publish_page"],
}


def lecture_hall_authoring_setup(*, hall: LectureHallPage) -> None:
    """Give trainers and reviewers their page permissions on the hall and put the
    hall under the review workflow (trainer submits → legal affairs reviewer approves)."""
    for group_name, codenames in PAGE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=group_name)
        for codename in codenames:
            permission = Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)
            GroupPagePermission.objects.get_or_create(group=group, page=hall, permission=permission)
    workflow = Workflow.objects.filter(name=WORKFLOW_NAME).first()
    if workflow is not None:
        WorkflowPage.objects.update_or_create(page=hall, defaults={"workflow": workflow})


def lecture_hall_ensure(*, title: str = "永警大讲堂·法律讲堂", slug: str = "lecture-hall") -> LectureHallPage:
    """The hall, created under the default site's root page if missing, with its
    authoring permissions and review workflow in place."""
    site = Site.objects.get(is_default_site=True)
    if not site.site_name:
        # The admin's home is headed with the site's name ("localhost" without one).
        site.site_name = f"{settings.BUREAU_NAME}永警大讲堂"
        site.save(update_fields=["site_name"])
    hall = LectureHallPage.objects.first()
    if hall is None:
        root = site.root_page
        hall = LectureHallPage(title=title, slug=slug)
        root.add_child(instance=hall)
        hall.save_revision().publish()
    lecture_hall_authoring_setup(hall=hall)
    return hall


# --- search of handouts -----------------------------------------------------


def _attaches_handout(raw_body, document_id: int) -> bool:
    return any(
        block.get("type") == "handout" and (block.get("value") or {}).get("document") == document_id
        for block in raw_body or []
    )


def lessons_reindex_for_handout(*, document_id: int) -> int:
    """Recompute the search words of every live lesson with this document as a
    handout (its file was replaced: the new text must be found without republishing).
    Saving the row also queues Wagtail's own index update. Returns how many."""
    count = 0
    for lesson in LessonPage.objects.live().only("pk", "body"):
        if not _attaches_handout(lesson.body.raw_data, document_id):
            continue
        lesson = LessonPage.objects.get(pk=lesson.pk)
        lesson.search_index_refresh()
        lesson.save(update_fields=["search_text", "search_words", "search_key_words"], clean=False)
        count += 1
    return count
