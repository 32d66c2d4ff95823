"""Notices the lecture hall sends (消息): a lesson returned with the reviewer's comment, or published.

Wagtail's review workflow is outside our services, so its signals are the way in;
each receiver only tells the trainer who submitted the page.
"""

from django.urls import reverse
from django.utils.translation import gettext as _

from notices.models import NoticeKind
from notices.services import notice_send


def workflow_rejected(sender, instance, user=None, **kwargs):
    state = instance
    page = state.content_object
    comment = state.current_task_state.comment if state.current_task_state else ""
    notice_send(
        recipients=[state.requested_by_id], kind=NoticeKind.LESSON_RETURNED,
        title=_("Returned for changes: %(title)s") % {"title": page.title},
        body=comment or _("The reviewer gave no comment."),
        url=reverse("wagtailadmin_pages:edit", args=[page.pk]), actor=user,
    )


def workflow_approved(sender, instance, user=None, **kwargs):
    state = instance
    page = state.content_object
    notice_send(
        recipients=[state.requested_by_id], kind=NoticeKind.LESSON_PUBLISHED,
        title=_("Approved and published: %(title)s") % {"title": page.title},
        url=getattr(page.specific, "url", "") or reverse("wagtailadmin_pages:edit", args=[page.pk]), actor=user,
    )


def connect() -> None:
    from wagtail.signals import workflow_approved as approved
    from wagtail.signals import workflow_rejected as rejected

    rejected.connect(workflow_rejected, dispatch_uid="lessons.notify.workflow_rejected")
    approved.connect(workflow_approved, dispatch_uid="lessons.notify.workflow_approved")
