"""Case-review rotations in the Wagtail admin: the defect taxonomy, and a way to the organiser pages.

Imported by assessments/wagtail_hooks.py (Wagtail looks for hooks only there).
Legal affairs reviewers hold the defect-type permissions (assessments.apps.role_permissions).
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.model import ModelViewSet

from ..wagtail_hooks import RefusingDeleteView
from .models import DefectType
from .permissions import can_manage_rounds


class DefectTypeDeleteView(RefusingDeleteView):
    refusal = _("This defect type is used by a key or by reviewers' findings, so it cannot be deleted. "
                "Untick “in use” instead: it stays on past findings but can no longer be chosen.")


class DefectTypeViewSet(ModelViewSet):
    model = DefectType
    icon = "warning"
    menu_label = _("Defect types")
    menu_order = 260
    add_to_admin_menu = True
    # A tick or a cross, not Python's True/False on a Chinese page.
    list_display = ["name", "sort_order", Column(
        "active", label=_("in use"), sort_key="active", accessor=lambda t: _("Yes") if t.active else _("No"))]
    form_fields = ["name", "description", "sort_order", "active"]
    search_fields = ["name"]
    delete_view_class = DefectTypeDeleteView


class _RoundsMenuItem(MenuItem):
    def is_shown(self, request):
        return can_manage_rounds(request.user)


@hooks.register("register_admin_viewset")
def register_defect_types():
    return DefectTypeViewSet("assessments_defecttype")


@hooks.register("register_admin_menu_item")
def register_case_review_menu_item():
    return _RoundsMenuItem(_("Case-review rotations"), reverse("case_review:manage"), icon_name="folder-open-inverse",
                           order=265)
