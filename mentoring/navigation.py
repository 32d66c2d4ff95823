"""Entries this app adds to the site navigation (see officers.context_processors)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from officers.navigation import NavItem

from .selectors import is_involved


def nav_items(request):
    if not is_involved(request.user):
        return []
    return [
        NavItem(
            _("Shadowing"),
            reverse("mentoring:home"),
            order=300,
            description=_("New-officer shadowing: shift logs, progress, sign-off."),
        )
    ]
