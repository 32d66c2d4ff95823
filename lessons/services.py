"""Writes for the lecture hall: completing lessons and courses, attendance, exports."""

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import GroupPagePermission, Site, Workflow, WorkflowPage

from officers.pdf import render_pdf
from officers.sheets import workbook_bytes

from .blocks import question_items
from .models import (
    Attendance,
    AttendanceMethod,
    CourseCompletion,
    CoursePage,
    KnowledgeCheckAttempt,
    LectureHallPage,
    LessonCompletion,
    LessonPage,
    TrainingSession,
)
from .selectors import course_dashboard, course_lessons, in_audience

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
def lesson_complete(*, officer, lesson: LessonPage) -> LessonCompletion | None:
    """Record that the officer completed the lesson: they reached its end (the
    end-of-lesson action) with every knowledge check passed. Once; re-opening changes nothing.

    Returns None for an officer outside the course's audience: they may read it,
    but it counts for nothing. Completing the last lesson completes the course.
    """
    course = _course_of(lesson)
    _ensure_open(lesson, course)
    if not _checks_passed(officer, lesson):
        raise NotCompletable(_("Pass the knowledge check first."))
    if not in_audience(course, officer):
        return None
    completion = LessonCompletion.objects.filter(officer=officer, lesson=lesson).first()
    if completion is None:
        try:
            with transaction.atomic():
                completion = LessonCompletion.objects.create(officer=officer, lesson=lesson, course=course)
        except IntegrityError:  # a double click: the first request recorded it
            completion = LessonCompletion.objects.get(officer=officer, lesson=lesson)
    course_complete_if_finished(officer=officer, course=course)
    return completion


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
    try:
        with transaction.atomic():
            return CourseCompletion.objects.create(officer=officer, course=course)
    except IntegrityError:
        return CourseCompletion.objects.get(officer=officer, course=course)


def certificate_render_pdf(*, completion: CourseCompletion) -> bytes:
    """The course certificate (结业证书) with its verification number."""
    return render_pdf(
        "lessons/pdf/certificate.html",
        {"completion": completion, "officer": completion.officer, "course": completion.course},
    )


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


@transaction.atomic
def attendance_record_by_code(*, officer, code: str) -> Attendance:
    """The officer enters the session's code during the session."""
    code = (code or "").strip()
    now = timezone.now()
    sessions = list(TrainingSession.objects.filter(code=code).prefetch_related("invited_units").order_by("-starts_at"))
    if not code or not sessions:
        raise ValidationError(_("No session has the code “%(code)s”. Check the code shown by the trainer.") % {"code": code})
    current = [s for s in sessions if s.starts_at <= now <= s.ends_at]
    if not current:
        if any(s.starts_at > now for s in sessions):
            raise ValidationError(_("This session has not started yet: enter the code during the session."))
        raise ValidationError(_("This code has expired: the session is over. Ask the trainer to record your attendance."))
    session = current[0]
    if officer.unit_id not in {u.pk for u in session.invited_units.all()}:
        raise ValidationError(_("Your unit is not invited to this session."))
    if Attendance.objects.filter(session=session, officer=officer).exists():
        raise ValidationError(_("Your attendance at this session is already recorded."))
    try:
        with transaction.atomic():
            return Attendance.objects.create(session=session, officer=officer, method=AttendanceMethod.CODE)
    except IntegrityError as error:
        raise ValidationError(_("Your attendance at this session is already recorded.")) from error


# --- exports --------------------------------------------------------------


def course_dashboard_xlsx(*, course: CoursePage, scope=None) -> bytes:
    """The dashboard as a sheet: one row per officer of the audience."""
    data = course_dashboard(course=course, scope=scope, all_officers=True)
    rows = []
    for unit_row in data["units"]:
        for officer in unit_row.officers:
            completed_at = officer.completed_at
            rows.append([
                unit_row.unit.name if unit_row.unit else "",
                officer.police_number,
                officer.name,
                officer.get_tier_display(),
                f"{officer.lessons_done}/{data['lesson_total']}",
                "是" if completed_at else "否",
                timezone.localtime(completed_at).strftime("%Y-%m-%d %H:%M") if completed_at else "",
                "是" if officer.is_overdue else "否",
            ])
    return workbook_bytes(
        title=course.title,
        header=["所队", "警号", "姓名", "层级", "已学课时", "已结业", "结业时间", "逾期未完成"],
        rows=rows,
    )


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
