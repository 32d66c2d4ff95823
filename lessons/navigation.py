"""Entries this app adds to the site navigation (see officers.context_processors)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from officers.navigation import NavItem

from .selectors import can_see_dashboards

HALL_URL = "/lecture-hall/"


def nav_items(request):
    items = [
        NavItem(_("My courses"), reverse("lessons:my_courses"), order=10,
                description=_("Required courses first, with due dates and your progress.")),
        NavItem(_("Lecture hall"), HALL_URL, order=11,
                description=_("Every course of the law lecture hall, and lesson search.")),
        NavItem(_("Training sessions"), reverse("lessons:sessions"), order=12,
                description=_("Thematic trainings and on-site teaching; check in with the session code.")),
    ]
    if can_see_dashboards(request.user):
        items.append(
            NavItem(_("Course dashboard"), reverse("lessons:dashboard"), order=13,
                    description=_("Who completed each course and who is overdue, per unit.")),
        )
    return items
