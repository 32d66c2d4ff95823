"""Notices the tests app sends (消息): extra time or attempts granted to an officer."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from notices.models import NoticeKind
from notices.services import notice_send


def override_granted(*, override, by) -> None:
    parts = []
    if override.extra_minutes:
        parts.append(_("%(minutes)s extra minutes") % {"minutes": override.extra_minutes})
    if override.extra_attempts:
        parts.append(_("%(attempts)s extra attempts") % {"attempts": override.extra_attempts})
    if override.closes_at:
        parts.append(_("open to you until %(when)s") % {
            "when": timezone.localtime(override.closes_at).strftime("%Y-%m-%d %H:%M")})
    notice_send(
        recipients=[override.officer_id], kind=NoticeKind.OVERRIDE_GRANTED,
        title=_("Test %(title)s: extra time or attempts granted") % {"title": override.quiz.title},
        body="；".join(str(part) for part in parts), url=reverse("assessments:quiz", args=[override.quiz_id]),
        actor=by,
    )
