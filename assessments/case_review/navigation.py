"""The case-review entry of the site navigation: for reviewers with a round and for organisers."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from officers.navigation import NavItem

from .models import CaseReview
from .permissions import can_manage_rounds


def case_review_nav_items(request) -> list[NavItem]:
    user = request.user
    if not user.is_authenticated:
        return []
    items = []
    if can_manage_rounds(user) or CaseReview.objects.filter(reviewer=user, round__released_at__isnull=False).exists():
        items.append(NavItem(_("Case-review rotation"), reverse("case_review:index"), order=320,
                             description=_("Audit the case files assigned to you and see your results and the key.")))
    if can_manage_rounds(user):
        items.append(NavItem(_("Case-review rounds"), reverse("case_review:manage"), order=330,
                             description=_("Case files and keys, rounds, assignment, grading, results and publication.")))
    return items
