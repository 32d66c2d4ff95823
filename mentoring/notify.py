"""Notices shadowing sends (消息): a log corrected by the mentor, a sign-off withdrawn."""

from django.urls import reverse
from django.utils.translation import gettext as _

from notices.models import NoticeKind
from notices.services import notice_send


def log_corrected(*, log, by) -> None:
    """The recruit hears that a log they have to read changed (version N)."""
    notice_send(
        recipients=[log.mentorship.recruit_id], kind=NoticeKind.LOG_CORRECTED,
        title=_("Your mentor corrected the shift log of %(date)s (version %(version)s)") % {
            "date": log.date.isoformat(), "version": log.version},
        body=_("Read what changed before you acknowledge it."),
        url=reverse("mentoring:log", args=[log.pk]), actor=by,
    )


def sign_off_withdrawn(*, mentorship, competency, by, reason: str) -> None:
    """Mentor and recruit hear of a competency's sign-off taken back (the actor excepted)."""
    notice_send(
        recipients=[mentorship.recruit_id, mentorship.mentor_id], kind=NoticeKind.SIGN_OFF_WITHDRAWN,
        title=_("Sign-off withdrawn: %(competency)s") % {"competency": competency.name},
        body=reason, url=reverse("mentoring:mentorship", args=[mentorship.pk]), actor=by,
    )
