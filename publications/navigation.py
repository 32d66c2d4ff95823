"""Entries this app adds to the site navigation (see officers.context_processors)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from officers.navigation import NavItem

from .permissions import can_see_objection_queue, can_view_publications


def nav_items(request):
    items = []
    if can_view_publications(request.user):
        items.append(NavItem(_("Publications"), reverse("publications:list"), order=600,
                             description=_("Published results and rankings, their versions and objections.")))
    if can_see_objection_queue(request.user):
        items.append(NavItem(_("Objections"), reverse("publications:objections"), order=610,
                             description=_("Decide officers' objections to published entries.")))
    return items
