from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.model import ModelViewSet

from . import views
from .models import Unit


class UnitViewSet(ModelViewSet):
    model = Unit
    icon = "site"
    menu_label = _("Units")
    add_to_settings_menu = True
    list_display = ["name", "kind", "parent"]
    list_filter = ["kind"]
    search_fields = ["name"]
    form_fields = ["name", "kind", "parent"]


@hooks.register("register_admin_viewset")
def register_unit_viewset():
    return UnitViewSet("units")


@hooks.register("register_admin_urls")
def register_officer_import_urls():
    return [
        path("officers/import/", views.officer_import, name="officers_import"),
        path(
            "officers/import/template.xlsx",
            views.officer_import_template_download,
            name="officers_import_template",
        ),
    ]


class _PermissionMenuItem(MenuItem):
    def __init__(self, *args, permission, **kwargs):
        super().__init__(*args, **kwargs)
        self.permission = permission

    def is_shown(self, request):
        return request.user.has_perm(self.permission)


@hooks.register("register_settings_menu_item")
def register_officer_import_menu_item():
    return _PermissionMenuItem(
        _("Import officers"),
        reverse("officers_import"),
        icon_name="upload",
        order=610,
        permission="officers.add_officer",
    )


@hooks.register("insert_global_admin_js")
def csp_admin_js():
    """Starts what Wagtail's inline scripts would have (see officers/static/officers/csp_admin.js)."""
    return format_html('<script src="{}"></script>', static("officers/csp_admin.js"))
