"""What shadowing asks of mentors, recruits, unit heads and the legal affairs unit (我的待办)."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from notices import todo

from . import permissions
from .models import OPEN_STATUSES, LogDraft, LogStatus, Mentorship
from .selectors import mentorship_rows, sign_off_to_do


@todo.register
def mentoring_items(officer, now):
    today = timezone.localdate(now)
    mine = list(
        Mentorship.objects.filter(Q(mentor=officer) | Q(recruit=officer), status__in=OPEN_STATUSES)
        .select_related("mentor", "recruit")
        .annotate(
            today_logs=Count("logs", filter=Q(logs__date=today), distinct=True),
            unacknowledged=Count("logs", filter=Q(logs__status=LogStatus.SUBMITTED), distinct=True),
        )
    )
    drafts = set(LogDraft.objects.filter(author=officer, mentorship__in=mine).values_list("mentorship_id", flat=True))
    for mentorship in mine:
        if mentorship.mentor_id == officer.pk:
            yield from _mentor_items(mentorship, has_draft=mentorship.pk in drafts)
        elif mentorship.unacknowledged:
            yield todo.Item(
                kind="mentoring.acknowledge",
                title=_("Shift logs to read and acknowledge"),
                detail=_("Written by your mentor %(mentor)s.") % {"mentor": mentorship.mentor.name},
                url=reverse("mentoring:mentorship", args=[mentorship.pk]),
                count=mentorship.unacknowledged,
                urgency=todo.Urgency.SOON,
                action=pgettext("to-do action", "Read"),
                role=_("Recruit"),
            )
    if permissions.can_see_sign_off_to_do(officer):
        to_do = sign_off_to_do(Mentorship.objects.all())
        for key, title, action in (
            ("to_approve", _("Final sign-offs (出师) to approve"), pgettext("to-do action", "Approve")),
            ("to_promote", _("Recruits to move to the officer tier"), pgettext("to-do action", "Promote")),
        ):
            if to_do[key]:
                yield todo.Item(
                    kind=f"mentoring.{key}",
                    title=title,
                    detail="、".join(m.recruit.name for m in to_do[key][:5]),
                    url=reverse("mentoring:home"),
                    count=len(to_do[key]),
                    urgency=todo.Urgency.SOON,
                    action=action,
                    role=_("Legal affairs reviewer"),
                )
    led = permissions.led_unit_ids(officer)
    if led:
        rows = mentorship_rows(Mentorship.objects.filter(recruit__unit__in=led, status__in=OPEN_STATUSES), today=today)
        for mentorship in rows:
            if mentorship.alerts:
                yield todo.Item(
                    kind="mentoring.alert",
                    title=_("Shadowing alert: %(recruit)s") % {"recruit": mentorship.recruit.name},
                    detail="；".join(alert.message for alert in mentorship.alerts[:2]),
                    url=reverse("mentoring:mentorship", args=[mentorship.pk]),
                    count=len(mentorship.alerts),
                    urgency=todo.Urgency.NORMAL,
                    action=pgettext("to-do action", "Look"),
                    role=_("Unit head"),
                )


def _mentor_items(mentorship, *, has_draft):
    if has_draft:
        yield todo.Item(
            kind="mentoring.draft",
            title=_("A shift log left unfinished: %(recruit)s") % {"recruit": mentorship.recruit.name},
            detail=_("Your draft is kept; finish and submit it."),
            url=reverse("mentoring:log_create", args=[mentorship.pk]),
            urgency=todo.Urgency.NOW,
            action=pgettext("to-do action", "Finish"),
            role=_("Mentor"),
        )
    elif not mentorship.today_logs:
        yield todo.Item(
            kind="mentoring.log_today",
            title=_("Today's shift log: %(recruit)s") % {"recruit": mentorship.recruit.name},
            detail=_("Log the shift you worked together today."),
            url=reverse("mentoring:log_create", args=[mentorship.pk]),
            urgency=todo.Urgency.SOON,
            action=pgettext("to-do action", "Write"),
            role=_("Mentor"),
        )
