"""Entries this app adds to the site navigation (see officers.context_processors)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from officers.navigation import NavItem

from .permissions import can_enter_manual


def nav_items(request):
    items = [
        NavItem(
            _("Points ranking"),
            reverse("ranking:index"),
            order=400,
            description=_("Points and rankings: your position, your breakdown, published rankings."),
        )
    ]
    if can_enter_manual(request.user):
        items.append(
            NavItem(
                _("Awards and deductions"),
                reverse("ranking:manual_list"),
                order=410,
                description=_("Enter and approve manual awards and deductions, with evidence."),
            )
        )
    return items
