"""Notices the publications app sends (消息): results published, an objection answered."""

from django.urls import reverse
from django.utils.translation import gettext as _

from notices.models import NoticeKind
from notices.services import notice_send

from .models import ObjectionStatus, Publication


def results_published(*, publication: Publication, by) -> None:
    """Everyone whose row is in the published table hears of it, with the version."""
    officer_ids = {row.get("officer_id") for row in publication.rows} - {None}
    if publication.version == 1:
        title = _("Published: %(title)s") % {"title": publication.title}
        body = _("Your entry is in the table. You may object within the objection period.")
    else:
        title = _("Corrected version %(version)s published: %(title)s") % {
            "version": publication.version, "title": publication.title}
        body = _("A new version replaces the earlier one; the differences are shown with it.")
    notice_send(
        recipients=officer_ids, kind=NoticeKind.RESULTS_PUBLISHED, title=title, body=body,
        url=reverse("publications:detail", args=[publication.pk]), actor=by,
    )


def objection_answered(*, objection, by) -> None:
    accepted = objection.status == ObjectionStatus.ACCEPTED
    title = (_("Your objection was accepted: %(title)s") if accepted
             else _("Your objection was not accepted: %(title)s")) % {"title": objection.publication.title}
    notice_send(
        recipients=[objection.officer_id], kind=NoticeKind.OBJECTION_ANSWERED, title=title,
        body=objection.response, url=reverse("publications:detail", args=[objection.publication_id]), actor=by,
    )
