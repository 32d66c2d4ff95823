"""Objections waiting for the legal affairs unit's decision (我的待办)."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from notices import todo

from .permissions import can_see_objection_queue
from .selectors import objections_queue


@todo.register
def objection_items(officer, now):
    if not can_see_objection_queue(officer):
        return
    waiting = objections_queue(officer=officer).count()
    if waiting:
        yield todo.Item(
            kind="publications.objections",
            title=_("Objections to answer"),
            detail=_("Officers objected to published results within the objection period."),
            url=reverse("publications:objections"),
            count=waiting,
            urgency=todo.Urgency.SOON,
            action=pgettext("to-do action", "Decide"),
            role=_("Legal affairs reviewer"),
        )
