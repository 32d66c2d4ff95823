"""Wagtail admin for 法律法规库: laws and their versions (snippets trainers edit), the
list of lessons and questions citing a superseded version, and its dashboard panel.
Imported by lessons.wagtail_hooks."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .laws import law_review_items
from .models import Law, LawVersion

REVIEW_PERMISSION = "lessons.view_lawversion"


class LawViewSet(SnippetViewSet):
    model = Law
    icon = "doc-full"
    menu_label = _("Laws")
    list_display = ["name", "short_name"]
    search_fields = ["name", "short_name"]
    panels = [FieldPanel("name"), FieldPanel("short_name")]


class SupersededColumn(Column):
    def get_value(self, instance):
        if instance.superseded_by_id is None:
            return _("In force")
        return _("Superseded by %(version)s") % {"version": instance.superseded_by.label}


class LawVersionViewSet(SnippetViewSet):
    model = LawVersion
    icon = "date"
    menu_label = _("Law versions")
    list_display = ["law", "label", "effective_on", SupersededColumn("superseded_by", label=_("Status"))]
    list_filter = ["law"]
    search_fields = ["label"]
    panels = [FieldPanel("law"), FieldPanel("label"), FieldPanel("effective_on"), FieldPanel("superseded_by")]

    def get_queryset(self, request):
        return LawVersion.objects.select_related("law", "superseded_by")


class LawCatalogueGroup(SnippetViewSetGroup):
    menu_label = _("Catalogue of laws")
    menu_icon = "doc-full"
    menu_order = 240
    items = (LawViewSet, LawVersionViewSet)


register_snippet(LawCatalogueGroup)


def law_review_view(request):
    """Lessons and questions citing a superseded version, each with its edit link."""
    if not request.user.has_perm(REVIEW_PERMISSION):
        raise PermissionDenied
    return render(request, "lessons/admin/law_review.html", law_review_items())


@hooks.register("register_admin_urls")
def register_law_review_url():
    return [path("laws/review/", law_review_view, name="lessons_law_review")]


class _LawReviewMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(REVIEW_PERMISSION)


@hooks.register("register_admin_menu_item")
def register_law_review_menu_item():
    return _LawReviewMenuItem(
        _("Content citing superseded law"), reverse("lessons_law_review"), icon_name="warning", order=241
    )


class LawReviewPanel(Component):
    """On the dashboard: how many lessons and questions cite superseded law."""

    name = "law_review"
    order = 90

    def __init__(self, items):
        self.items = items

    def render_html(self, parent_context=None):
        return render_to_string("lessons/admin/law_review_panel.html", self.items)


@hooks.register("construct_homepage_panels")
def add_law_review_panel(request, panels):
    if request.user.has_perm(REVIEW_PERMISSION):
        items = law_review_items()
        if items["count"]:
            panels.insert(0, LawReviewPanel(items))
