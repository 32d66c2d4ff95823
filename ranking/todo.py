"""Manual awards and deductions waiting for a second reviewer (我的待办)."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from notices import todo

from .models import ManualEntry, ManualStatus
from .permissions import can_decide_manual


@todo.register
def manual_items(officer, now):
    if not can_decide_manual(officer):
        return
    waiting = ManualEntry.objects.filter(status=ManualStatus.PENDING).exclude(entered_by=officer).count()
    if waiting:
        yield todo.Item(
            kind="ranking.manual",
            title=_("Manual points to approve"),
            detail=_("Entered by another reviewer; the two-person rule needs your decision."),
            url=reverse("ranking:manual_list"),
            count=waiting,
            urgency=todo.Urgency.NORMAL,
            action=pgettext("to-do action", "Decide"),
            role=_("Legal affairs reviewer"),
        )
