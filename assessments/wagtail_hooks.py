"""The question bank and tests in the Wagtail admin, for trainers."""

from decimal import Decimal

import django_filters
from django import forms
from django.contrib import messages
from django.db import transaction
from django.db.models import ProtectedError
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.log_actions import log

from officers.roles import Role, Tier

from . import admin_views, notify
from .bank_selectors import category_subtree_ids, retirement_impact
from .forms import moment_in_range
from .models import (
    BlueprintRow,
    Category,
    Question,
    QuestionStatus,
    Quiz,
    QuizOverride,
    ReviewPolicy,
)
from .pickers import OfficerSearchSelect, UnitSearchSelectMultiple
from .services import (
    AssessmentError,
    blueprint_shortfalls,
    category_save,
    question_create,
    question_delete,
    question_in_use_message,
    question_update,
    questions_taught_in_lessons,
)


class RefusingDeleteView(generic.DeleteView):
    """Deleting something still in use is refused with a message saying what to do
    instead, not answered with a server error."""

    refusal = ""

    def refuse(self, message):
        messages.error(self.request, message)
        return redirect(self.edit_url_name, self.object.pk) if self.edit_url_name else redirect(self.index_url_name)

    def form_valid(self, form):
        # Wagtail itself answers a protected reference it has indexed with a bare
        # permission error; say instead why, and what to do.
        if self.usage and self.usage.is_protected:
            return self.refuse(str(self.refusal))
        try:
            return super().form_valid(form)
        except ProtectedError:
            return self.refuse(str(self.refusal))
        except AssessmentError as error:
            return self.refuse(str(error))


class CategoryAdminForm(WagtailAdminModelForm):
    """Refuses, in words, a parent that is the category itself or one of its subcategories."""

    def clean_parent(self):
        parent = self.cleaned_data.get("parent")
        own = self.instance
        if parent is not None and own.pk and (parent.pk == own.pk or (own.path and parent.path.startswith(own.path))):
            raise forms.ValidationError(_(
                "A category cannot be moved under itself or one of its subcategories: choose another parent."
            ))
        return parent


class CategoryCreateView(generic.CreateView):
    def save_instance(self):
        return category_save(category=self.form.save(commit=False))


class CategoryEditView(generic.EditView):
    def save_instance(self):
        return category_save(category=self.form.save(commit=False))


class CategoryDeleteView(RefusingDeleteView):
    refusal = _(
        "This category still holds questions or subcategories, or a test's blueprint or a past sitting uses it, "
        "so it cannot be deleted. Retire its questions instead; an empty, unused category can be deleted."
    )


class CategoryViewSet(ModelViewSet):
    model = Category
    icon = "folder-open-inverse"
    menu_label = _("Question categories")
    add_view_class = CategoryCreateView
    edit_view_class = CategoryEditView
    delete_view_class = CategoryDeleteView
    list_display = ["full_name", "parent"]
    search_fields = ["name"]
    ordering = ["path"]
    panels = [FieldPanel("name"), FieldPanel("parent")]

    def get_form_class(self, for_update=False):
        from wagtail.admin.panels import ObjectList

        return ObjectList(self.panels, base_form_class=CategoryAdminForm).bind_to_model(Category).get_form_class()


class QuestionAdminForm(WagtailAdminModelForm):
    """Retiring a question that open tests still need asks the trainer to confirm, naming those tests."""

    confirm_retire = forms.BooleanField(
        label=_("Retire it anyway"), required=False,
        help_text=_("Asked only when retiring this question would harm a test that has not closed yet."),
    )

    def clean(self):
        data = super().clean()
        retiring = (self.instance.pk and data.get("status") == QuestionStatus.RETIRED
                    and Question.objects.filter(pk=self.instance.pk, status=QuestionStatus.ACTIVE).exists())
        if retiring and not data.get("confirm_retire"):
            before = Question.objects.get(pk=self.instance.pk)
            impacts = retirement_impact(question=before)
            if impacts:
                self.add_error("confirm_retire", _(
                    "Retiring this question harms %(count)s test(s) not yet closed: %(tests)s. "
                    "Tick “Retire it anyway” and save again to retire it, or keep it in use."
                ) % {"count": len(impacts), "tests": "；".join(str(i) for i in impacts)})
        return data


class QuestionFilterSet(WagtailFilterSet):
    """The bank's filters; a category includes its subcategories, as a blueprint row draws them."""

    category = django_filters.ModelChoiceFilter(
        label=_("category (with its subcategories)"), queryset=Category.objects.select_related("parent__parent"),
        method="filter_category",
    )

    class Meta:
        model = Question
        fields = ["type", "difficulty", "status"]

    def filter_category(self, queryset, name, value):
        return queryset.filter(category_id__in=category_subtree_ids(category_id=value.pk)) if value else queryset


class QuestionCreateView(generic.CreateView):
    def save_instance(self):
        return question_create(question=self.form.save(commit=False))


class QuestionEditView(generic.EditView):
    """Editing never regrades: the page says so and links each used version's key correction."""

    template_name = "assessments/admin/question_edit.html"

    def save_instance(self):
        return question_update(question=self.form.save(commit=False))

    def get_context_data(self, **kwargs):
        from .models import QuestionType, QuestionVersion, SittingQuestion

        context = super().get_context_data(**kwargs)
        used = SittingQuestion.objects.filter(question=self.object)
        context["sittings_count"] = used.values("sitting_id").distinct().count()
        context["key_versions"] = [] if self.object.type == QuestionType.ESSAY else list(
            QuestionVersion.objects.filter(pk__in=used.values("version_id")).exclude(type=QuestionType.ESSAY).order_by("number")
        )
        return context


class QuestionDeleteView(RefusingDeleteView):
    """Deleting goes through the service, which keeps the draw pool without gaps."""

    @property
    def refusal(self):
        return question_in_use_message()

    def delete_action(self):
        with transaction.atomic():
            log(instance=self.object, action="wagtail.delete", user=self.request.user, deleted=True)
            question_delete(question=self.object)


class QuestionViewSet(ModelViewSet):
    """The bank: filter by category, type, difficulty and status; editing a used question makes a new version."""

    model = Question
    icon = "help"
    menu_label = _("Question bank")
    add_view_class = QuestionCreateView
    edit_view_class = QuestionEditView
    delete_view_class = QuestionDeleteView
    list_display = ["stem", "category", "type", "difficulty", "status", "answer"]
    filterset_class = QuestionFilterSet
    search_fields = ["stem", "legal_basis"]
    list_per_page = 50
    panels = [
        FieldRowPanel([FieldPanel("category"), FieldPanel("type"), FieldPanel("difficulty"), FieldPanel("status")]),
        FieldPanel("confirm_retire"),
        FieldPanel("stem"),
        MultiFieldPanel([
            FieldPanel("option_a"), FieldPanel("option_b"), FieldPanel("option_c"),
            FieldPanel("option_d"), FieldPanel("option_e"), FieldPanel("option_f"),
        ], heading=_("Options (single and multiple choice)")),
        FieldPanel("answer"),
        FieldPanel("reference_answer"),
        FieldPanel("explanation"),
        FieldPanel("legal_basis"),
        FieldPanel("law_version", widget=forms.Select),  # a plain list: the snippet chooser writes an inline script the CSP blocks
    ]

    def get_queryset(self, request):
        return Question.objects.select_related("category__parent")

    def get_form_class(self, for_update=False):
        from wagtail.admin.panels import ObjectList

        return ObjectList(self.panels, base_form_class=QuestionAdminForm).bind_to_model(Question).get_form_class()


class QuizAdminForm(WagtailAdminModelForm):
    """Refuses a blueprint the bank cannot fill, naming each row and its shortfall."""

    audience_tiers = forms.MultipleChoiceField(
        label=_("tiers"), choices=Tier.choices, required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("Who may sit it: any officer in one of these tiers …"),
    )
    audience_roles = forms.MultipleChoiceField(
        label=_("roles"), choices=Role.choices, required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("… or holding one of these roles …"),
    )

    review_policy = forms.ChoiceField(
        label=_("answers and explanations shown"), widget=forms.RadioSelect, initial=ReviewPolicy.AFTER_CLOSE,
        choices=[
            (ReviewPolicy.AFTER_CLOSE, _(
                "After the test closes (recommended): nobody sees a correct answer while anyone can still sit the test.")),
            (ReviewPolicy.IMMEDIATELY, _(
                "Right after submitting, for practice tests only: an officer with no attempt left sees the correct "
                "options, explanations, legal basis and reference answers at once, and can pass them on to "
                "colleagues who are still to sit the test.")),
            (ReviewPolicy.NEVER, _("Never: officers see their score only.")),
        ],
        help_text=_("Officers never see the key while they still have an attempt left, whatever is chosen here."),
    )

    def clean_opens_at(self):
        return moment_in_range(self.cleaned_data.get("opens_at"))

    def clean_closes_at(self):
        return moment_in_range(self.cleaned_data.get("closes_at"))

    marking_tolerance = forms.DecimalField(
        label=_("largest accepted difference between the two marks (points)"), required=False, initial=2,
        max_digits=6, decimal_places=2, help_text=_("Used only with two markers; empty means 2 points."),
    )

    def clean_marking_tolerance(self):
        tolerance = self.cleaned_data.get("marking_tolerance")
        if tolerance is None:
            return Decimal(2)
        if tolerance < 0:
            raise forms.ValidationError(_("The accepted difference cannot be negative."))
        return tolerance

    def is_valid(self):
        valid = super().is_valid()
        if not valid:
            return False
        rows = [
            BlueprintRow(category=f.cleaned_data["category"], difficulty=f.cleaned_data.get("difficulty") or "", count=f.cleaned_data["count"])
            for f in self.formsets["blueprint_rows"].forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE") and f.cleaned_data.get("category")
        ]
        fixed = [
            f.cleaned_data["question"].pk for f in self.formsets["fixed_questions"].forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE") and f.cleaned_data.get("question")
        ]
        if not rows and not fixed:
            self.add_error(None, _("A test needs at least one blueprint row or fixed question."))
            return False
        taught = questions_taught_in_lessons().intersection(fixed)
        if taught:
            self.add_error(None, _(
                "%(count)s fixed question(s) are used in a lesson's knowledge check, where officers learn their "
                "answers: choose other questions."
            ) % {"count": len(taught)})
            return False
        shortfalls = blueprint_shortfalls(rows=rows, fixed_question_ids=fixed)
        for shortfall in shortfalls:
            self.add_error(None, str(shortfall))
        return not shortfalls

    def clean(self):
        data = super().clean()
        if data.get("opens_at") and data.get("closes_at") and data["closes_at"] <= data["opens_at"]:
            self.add_error("closes_at", _("A test must close after it opens."))
        return data


class QuizDeleteView(RefusingDeleteView):
    refusal = _(
        "Officers have sat this test, so it cannot be deleted: their sittings and results are kept. "
        "Close it instead by setting its close time to now."
    )


class QuizViewSet(ModelViewSet):
    model = Quiz
    delete_view_class = QuizDeleteView
    icon = "form"
    menu_label = _("Tests")
    list_display = ["title", "opens_at", "closes_at", "time_limit_minutes"]
    search_fields = ["title"]
    form_fields = None

    panels = [
        FieldPanel("title"),
        FieldPanel("description"),
        MultiFieldPanel([FieldPanel("audience_tiers"), FieldPanel("audience_roles"),
                         FieldPanel("audience_units", widget=UnitSearchSelectMultiple)], heading=_("Who may sit it")),
        FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")], heading=_("Window")),
        FieldRowPanel([FieldPanel("time_limit_minutes"), FieldPanel("pass_mark")]),
        FieldRowPanel([FieldPanel("attempts_allowed"), FieldPanel("counting")]),
        FieldRowPanel([FieldPanel("navigation"), FieldPanel("review_policy")]),
        FieldPanel("partial_credit"),
        MultiFieldPanel([FieldPanel("blind_marking"), FieldPanel("double_marking"), FieldPanel("marking_tolerance")],
                        heading=_("Marking essays")),
        InlinePanel("blueprint_rows", heading=_("Blueprint"), label=_("blueprint row"),
                    panels=[FieldPanel("category"), FieldPanel("difficulty"), FieldPanel("count"), FieldPanel("points")]),
        InlinePanel("fixed_questions", heading=_("Fixed questions"), label=_("fixed question"),
                    panels=[FieldPanel("question"), FieldPanel("points")]),
    ]

    def get_form_class(self, for_update=False):
        from wagtail.admin.panels import ObjectList

        return ObjectList(self.panels, base_form_class=QuizAdminForm).bind_to_model(Quiz).get_form_class()


class OverrideCreateView(generic.CreateView):
    def save_instance(self):
        instance = super().save_instance()
        notify.override_granted(override=instance, by=self.request.user)  # the officer is told
        return instance


class OverrideEditView(generic.EditView):
    def save_instance(self):
        instance = super().save_instance()
        notify.override_granted(override=instance, by=self.request.user)
        return instance


class QuizOverrideViewSet(ModelViewSet):
    model = QuizOverride
    add_view_class = OverrideCreateView
    edit_view_class = OverrideEditView
    icon = "time"
    menu_label = _("Overrides")
    list_display = ["quiz", "officer", "extra_minutes", "extra_attempts", "closes_at"]
    list_filter = ["quiz"]
    panels = [FieldPanel("quiz"), FieldPanel("officer", widget=OfficerSearchSelect), FieldPanel("extra_minutes"),
              FieldPanel("extra_attempts"), FieldPanel("closes_at")]


class AssessmentsGroup(ModelViewSetGroup):
    menu_label = _("Legal-knowledge tests")
    menu_icon = "doc-full"
    menu_order = 250
    items = (
        QuestionViewSet("assessments_question"),
        CategoryViewSet("assessments_category"),
        QuizViewSet("assessments_quiz"),
        QuizOverrideViewSet("assessments_override"),
    )


@hooks.register("register_admin_viewset")
def register_assessments_viewsets():
    return AssessmentsGroup()


@hooks.register("register_admin_urls")
def register_bank_urls():
    return [
        path("assessments/import/", admin_views.bank_import_view, name="assessments_bank_import"),
        path("assessments/import/template.xlsx", admin_views.bank_template_view, name="assessments_bank_template"),
        path("assessments/export.xlsx", admin_views.bank_export_view, name="assessments_bank_export"),
        path("assessments/questions/<int:question_id>/versions/", admin_views.question_versions_view,
             name="assessments_question_versions"),
        path("assessments/pick/officers/", admin_views.pick_officers_view, name="assessments_pick_officers"),
        path("assessments/pick/units/", admin_views.pick_units_view, name="assessments_pick_units"),
    ]


class _PermissionMenuItem(MenuItem):
    def __init__(self, *args, permission, **kwargs):
        super().__init__(*args, **kwargs)
        self.permission = permission

    def is_shown(self, request):
        return request.user.has_perm(self.permission)


@hooks.register("register_admin_menu_item")
def register_bank_import_menu_item():
    return _PermissionMenuItem(
        _("Import or export questions"), reverse("assessments_bank_import"),
        icon_name="upload", order=251, permission="assessments.add_question",
    )


@hooks.register("register_admin_menu_item")
def register_results_menu_item():
    return _PermissionMenuItem(
        _("Results and marking"), reverse("assessments:manage"),
        icon_name="tasks", order=252, permission="assessments.change_quiz",
    )

from .case_review import wagtail_hooks as _case_review_hooks  # noqa: E402, F401  (the defect taxonomy)
