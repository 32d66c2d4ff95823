"""What the lecture hall asks of an officer today (我的待办), for notices.todo."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from notices import todo

from .models import TrainingSession
from .selectors import my_courses

# A required course shows from this many days before its due date (and always once overdue).
COURSE_LEAD_DAYS = 30


@todo.register
def lesson_items(officer, now):
    today = timezone.localdate(now)
    for row in my_courses(officer=officer):
        course = row.course
        if not course.is_required or row.completion is not None:
            continue
        due = course.due_on
        if due is not None and due > today + dt.timedelta(days=COURSE_LEAD_DAYS):
            continue
        yield todo.Item(
            kind="lessons.course_due",
            title=_("Required course: %(title)s") % {"title": course.title},
            detail=_("%(done)s of %(total)s lessons studied") % {"done": row.done, "total": row.total},
            url=course.url or reverse("lessons:my_courses"),
            due=due,
            urgency=todo.Urgency.NOW if row.overdue else todo.Urgency.SOON,
            action=pgettext("to-do action", "Study"),
        )
    yield from _sessions_today(officer, now)
    if officer.has_perm("wagtailadmin.access_admin"):
        yield from _review_items(officer)


def _sessions_today(officer, now):
    local = timezone.localtime(now)
    start = local.replace(hour=0, minute=0, second=0, microsecond=0)
    end = start + dt.timedelta(days=1)
    sessions = list(
        TrainingSession.objects.filter(starts_at__lt=end, ends_at__gte=now)
        .filter(invited_units=officer.unit_id).exclude(attendances__officer=officer).distinct()
        .order_by("starts_at")
    ) if officer.unit_id else []
    for session in sessions:
        yield todo.Item(
            kind="lessons.session_today",
            title=_("Training today: %(topic)s") % {"topic": session.topic},
            detail=_("%(time)s at %(place)s: check in with the code given at the session") % {
                "time": timezone.localtime(session.starts_at).strftime("%H:%M"), "place": session.place},
            url=reverse("lessons:sessions"),
            due=session.ends_at,
            urgency=todo.Urgency.NOW,
            action=pgettext("to-do action", "Check in"),
        )
    for session in TrainingSession.objects.filter(trainer=officer, starts_at__lt=end, ends_at__gte=start).order_by("starts_at"):
        yield todo.Item(
            kind="lessons.session_teach",
            title=_("You teach today: %(topic)s") % {"topic": session.topic},
            detail=_("%(time)s at %(place)s: take the attendance") % {
                "time": timezone.localtime(session.starts_at).strftime("%H:%M"), "place": session.place},
            url=reverse("lessons:session_attendance", args=[session.pk]),
            due=session.ends_at,
            urgency=todo.Urgency.SOON,
            action=pgettext("to-do action", "Attendance"),
            role=_("Trainer"),
        )


def _review_items(officer):
    """Lessons waiting for this officer's review, and their own lessons returned for changes."""
    from wagtail.models import TaskState, WorkflowState

    waiting = list(
        TaskState.objects.reviewable_by(officer).filter(status=TaskState.STATUS_IN_PROGRESS)
        .select_related("workflow_state").order_by("started_at")[:50]
    )
    page_ids = {int(state.workflow_state.object_id) for state in waiting}
    if page_ids:
        yield todo.Item(
            kind="lessons.review",
            title=_("Lessons waiting for your review"),
            detail=_("Approve and publish, or return them with a comment."),
            url=reverse("wagtailadmin_home"),
            count=len(page_ids),
            urgency=todo.Urgency.SOON,
            action=pgettext("to-do action", "Review"),
            role=_("Reviewer"),
        )
    from wagtail.models import Page

    returned = [int(pk) for pk in (
        WorkflowState.objects.filter(requested_by=officer, status=WorkflowState.STATUS_NEEDS_CHANGES)
        .order_by("created_at").values_list("object_id", flat=True)[:20]
    )]
    titles = dict(Page.objects.filter(pk__in=returned).values_list("pk", "title")) if returned else {}
    for object_id in returned:
        yield todo.Item(
            kind="lessons.returned",
            title=_("Returned for changes: %(title)s") % {"title": titles.get(object_id, "")},
            detail=_("Read the reviewer's comment, correct it and submit it again."),
            url=reverse("wagtailadmin_pages:edit", args=[int(object_id)]),
            urgency=todo.Urgency.SOON,
            action=pgettext("to-do action", "Correct"),
            role=_("Trainer"),
        )
