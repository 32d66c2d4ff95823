"""Entries this app adds to the site navigation (see officers.context_processors)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from officers.navigation import NavItem

from .case_review.navigation import case_review_nav_items


def nav_items(request):
    items = [NavItem(_("Legal-knowledge tests"), reverse("assessments:index"), order=300,
                     description=_("Sit spot tests of legal knowledge and see published results."))]
    if request.user.has_perm("assessments.change_quiz"):
        items.append(NavItem(_("Tests and marking"), reverse("assessments:manage"), order=310,
                             description=_("Results, item statistics, essay marking and publication.")))
    items.extend(case_review_nav_items(request))
    return items
