"""Rule books in the Wagtail admin, for the legal affairs unit (in Chinese).

A draft version is edited with its rules inline; bringing it into force
approves it (who and when are recorded) and makes it read-only. A version in
force, or one the ledger already used, is never edited: "copy as a new draft"
starts the next version.
"""

import json

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, ObjectList
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.admin.widgets.button import HeaderButton

from officers.permissions import is_legal_affairs_reviewer

from .models import RuleBook, RuleBookVersion, VersionStatus
from .rule_kinds import get_kind, kind_choices, kinds, params_validate
from .services import (
    version_bring_into_force,
    version_copy,
    version_is_locked,
    version_next_number,
)


class ParamsField(forms.CharField):
    """The rule's parameters as JSON, checked against the rule kind."""

    widget = forms.Textarea(attrs={"rows": 4, "style": "font-family: monospace"})

    def prepare_value(self, value):
        if isinstance(value, dict):
            return json.dumps(value, ensure_ascii=False)
        return value

    def to_python(self, value):
        value = super().to_python(value)
        if not value.strip():
            return {}
        try:
            return json.loads(value)
        except ValueError:
            raise forms.ValidationError(
                _("The parameters are not valid JSON, e.g. {\"points\": 1} or {\"bands\": [{\"min\": 90, \"points\": 5}]}.")
            ) from None


class PointRuleForm(WagtailAdminModelForm):
    kind = forms.ChoiceField(label=gettext_lazy("kind"), choices=())
    params = ParamsField(label=gettext_lazy("parameters"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kind_choices()
        self.fields["params"].help_text = "；".join(
            f"{k.label}: " + ", ".join(p.name for p in k.params) for k in kinds()
        )

    def clean(self):
        data = super().clean()
        if data.get("kind") and not self.errors.get("params"):
            try:
                data["params"] = params_validate(kind=data["kind"], params=data.get("params") or {})
            except ValidationError as error:
                for message in error.messages:
                    self.add_error("params", message)
        return data


class VersionAdminForm(WagtailAdminModelForm):
    """Refuses to save a version in force or one already used by the ledger."""

    def clean(self):
        data = super().clean()
        if version_is_locked(self.instance):
            raise forms.ValidationError(_("This version is in force or already used: make a copy and edit that instead."))
        return data

    def is_valid(self):
        if not super().is_valid():
            return False
        codes = [
            f.cleaned_data.get("code") for f in self.formsets["rules"].forms
            if getattr(f, "cleaned_data", None) and not f.cleaned_data.get("DELETE") and f.cleaned_data.get("code")
        ]
        if len(codes) != len(set(codes)):
            self.add_error(None, _("Two rules of a version share a code: each code must be unique."))
            return False
        return True


class RulesInlinePanel(InlinePanel):
    """The rules inline, each with the kind chooser and the checked JSON parameters."""

    def get_form_options(self):
        options = super().get_form_options()
        options["formsets"][self.relation_name]["form"] = PointRuleForm
        return options


RULE_PANELS = [
    FieldRowPanel([FieldPanel("code"), FieldPanel("name")]),
    FieldPanel("kind"),
    FieldPanel("params"),
    FieldRowPanel([FieldPanel("period_floor"), FieldPanel("period_cap")]),
]

VERSION_PANELS = [
    FieldPanel("rule_book"),
    FieldRowPanel([FieldPanel("effective_from"), FieldPanel("summary")]),
    FieldRowPanel([FieldPanel("base_points"), FieldPanel("period_floor"), FieldPanel("period_cap")],
                  heading=gettext_lazy("Points per period")),
    RulesInlinePanel("rules", heading=gettext_lazy("Rules"), label=gettext_lazy("point rule"), panels=RULE_PANELS),
]


class VersionCreateView(generic.CreateView):
    def save_instance(self):
        instance = self.form.save(commit=False)
        instance.number = version_next_number(instance.rule_book)
        instance.status = VersionStatus.DRAFT
        instance.save()
        self.form.save_m2m() if hasattr(self.form, "save_m2m") else None
        for formset in self.form.formsets.values():
            formset.instance = instance
            formset.save()
        return instance


class VersionEditView(generic.EditView):
    def dispatch(self, request, *args, **kwargs):
        version = get_object_or_404(RuleBookVersion, pk=kwargs.get("pk"))
        if version_is_locked(version):
            messages.warning(request, _("This version is in force or already used, so it cannot be edited. Copy it as a new draft to make changes."))
            return redirect("ranking_version_detail", pk=version.pk)
        return super().dispatch(request, *args, **kwargs)

    @property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        buttons.append(HeaderButton(_("Bring into force"), url=reverse("ranking_version_approve", args=[self.object.pk]), icon_name="tick"))
        return buttons


class VersionDeleteView(generic.DeleteView):
    def dispatch(self, request, *args, **kwargs):
        version = get_object_or_404(RuleBookVersion, pk=kwargs.get("pk"))
        if version_is_locked(version):
            messages.error(request, _("A version in force or already used is kept for the record and cannot be deleted."))
            return redirect("ranking_version_detail", pk=version.pk)
        return super().dispatch(request, *args, **kwargs)


class RuleBookVersionViewSet(ModelViewSet):
    model = RuleBookVersion
    icon = "list-ol"
    menu_label = gettext_lazy("Rule book versions")
    add_view_class = VersionCreateView
    edit_view_class = VersionEditView
    delete_view_class = VersionDeleteView
    list_display = ["__str__", "status", "effective_from", "approved_by"]
    list_filter = ["rule_book", "status"]
    # An edit handler (not only a form class): without it the page renders the version's own
    # fields and never the rules inline, so the rules could not be edited in the admin at all.
    edit_handler = ObjectList(VERSION_PANELS, base_form_class=VersionAdminForm)

    def get_queryset(self, request):
        return RuleBookVersion.objects.select_related("rule_book", "approved_by")


class RuleBookDeleteView(generic.DeleteView):
    def dispatch(self, request, *args, **kwargs):
        book = get_object_or_404(RuleBook, pk=kwargs.get("pk"))
        if book.versions.exists():
            messages.error(request, _("A rule book with versions is kept for the record and cannot be deleted."))
            return redirect("ranking_rulebook:index")
        return super().dispatch(request, *args, **kwargs)


class RuleBookViewSet(ModelViewSet):
    model = RuleBook
    delete_view_class = RuleBookDeleteView
    icon = "doc-full-inverse"
    menu_label = gettext_lazy("Rule books")
    list_display = ["name", "track", "year_start_month", "objection_days"]
    form_fields = ["track", "name", "year_start_month", "objection_days"]


class RankingGroup(ModelViewSetGroup):
    menu_label = gettext_lazy("Points ranking rules")
    menu_icon = "order"
    menu_order = 260
    items = (RuleBookViewSet("ranking_rulebook"), RuleBookVersionViewSet("ranking_version"))


@hooks.register("register_admin_viewset")
def register_ranking_viewsets():
    return RankingGroup()


def _require_reviewer(request):
    if not is_legal_affairs_reviewer(request.user):
        raise PermissionDenied


def version_detail_view(request, pk):
    """A version read-only, with its rules: what a ranking under it counted."""
    _require_reviewer(request)
    version = get_object_or_404(RuleBookVersion.objects.select_related("rule_book", "approved_by"), pk=pk)
    rules = [(rule, get_kind(rule.kind), json.dumps(rule.params, ensure_ascii=False)) for rule in version.rules.all()]
    return render(request, "ranking/admin/version_detail.html", {
        "version": version, "rules": rules, "locked": version_is_locked(version),
    })


def version_copy_view(request, pk):
    _require_reviewer(request)
    version = get_object_or_404(RuleBookVersion, pk=pk)
    if request.method != "POST":
        return redirect("ranking_version_detail", pk=pk)
    copy = version_copy(version=version, by=request.user)
    messages.success(request, _("Copied as a new draft: edit it, then bring it into force."))
    return redirect("ranking_version:edit", copy.pk)


def version_approve_view(request, pk):
    _require_reviewer(request)
    version = get_object_or_404(RuleBookVersion.objects.select_related("rule_book"), pk=pk)
    if request.method == "POST":
        try:
            version_bring_into_force(version=version, by=request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect("ranking_version:edit", pk)
        messages.success(request, _("The version is in force. The ledger is being posted under it in the background."))
        return redirect("ranking_version_detail", pk=pk)
    return render(request, "ranking/admin/version_approve.html", {"version": version})


@hooks.register("register_admin_urls")
def register_ranking_admin_urls():
    return [
        path("ranking/versions/<int:pk>/", version_detail_view, name="ranking_version_detail"),
        path("ranking/versions/<int:pk>/copy-draft/", version_copy_view, name="ranking_version_copy"),
        path("ranking/versions/<int:pk>/bring-into-force/", version_approve_view, name="ranking_version_approve"),
    ]
