"""Navigation entries. Each app may have a `navigation.py` with `nav_items(request)`."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .permissions import can_read_audit_trail


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    order: int = 100
    description: str = ""


def nav_items(request):
    user = request.user
    items = [NavItem(_("Home"), reverse("home"), order=0)]
    if user.has_perm("officers.add_officer"):
        items.append(
            NavItem(
                _("Import officers"),
                reverse("officers_import"),
                order=800,
                description=_("Add or update officers from a sheet."),
            )
        )
    if can_read_audit_trail(user):
        items.append(
            NavItem(
                _("Audit trail"),
                reverse("audit_trail"),
                order=850,
                description=_("Who viewed or exported results, evaluations and case files."),
            )
        )
    if user.has_perm("wagtailadmin.access_admin"):
        items.append(
            NavItem(
                pgettext_lazy("navigation", "Admin"),
                reverse("wagtailadmin_home"),
                order=900,
                description=_("Author lessons and manage the platform."),
            )
        )
    return items
