"""Wagtail admin: training sessions (专题培训 / 送教上门) and the bank-question
chooser of knowledge checks, for trainers."""

from django import forms
from django.db.models import Q
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.panels import FieldPanel
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.chooser import ChooseResultsView, ChooseView
from wagtail.admin.viewsets.chooser import ChooserViewSet
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.models import Page

from assessments.models import Category, Question, QuestionStatus, QuestionType

from .models import LectureHallPage, TrainingSession
from .selectors import courses_with_certificates
from .services import lecture_hall_authoring_setup, pages_unpublishable


class TrainingSessionViewSet(ModelViewSet):
    model = TrainingSession
    icon = "group"
    menu_label = _("Training sessions")
    menu_order = 210
    add_to_admin_menu = True
    list_display = ["topic", "kind", "starts_at", "place", "trainer"]
    list_filter = ["kind"]
    search_fields = ["topic", "place"]
    panels = [
        FieldPanel("kind"), FieldPanel("topic"), FieldPanel("starts_at"), FieldPanel("ends_at"),
        FieldPanel("place"), FieldPanel("trainer"), FieldPanel("course"), FieldPanel("invited_units"),
        FieldPanel("code"),
    ]


@hooks.register("register_admin_viewset")
def register_training_session_viewset():
    return TrainingSessionViewSet("training_sessions")


@hooks.register("after_create_page")
def give_a_new_hall_its_authoring_setup(request, page):
    # A hall made by hand in the admin gets the same permissions and workflow as
    # one made by `manage.py lecture_hall_setup`.
    if isinstance(page.specific, LectureHallPage):
        lecture_hall_authoring_setup(hall=page.specific)


def _refuse_to_delete_certified_courses(request, pages):
    titles = courses_with_certificates(pages=pages)
    if not titles:
        return False
    messages.error(
        request,
        _(
            "%(courses)s has issued certificates, which must stay verifiable: it cannot be deleted. "
            "Unpublish it instead to withdraw it from officers."
        )
        % {"courses": "、".join(f"“{t}”" for t in titles)},
    )
    return True


@hooks.register("before_delete_page")
def refuse_to_delete_a_course_with_certificates(request, page):
    if _refuse_to_delete_certified_courses(request, [page]):
        return redirect("wagtailadmin_pages:edit", page.pk)
    return None


@hooks.register("before_bulk_action")
def refuse_to_bulk_delete_a_course_with_certificates(request, action_type, objects, action_class_instance):
    if action_type != "delete" or not objects or not isinstance(objects[0], Page):
        return None
    if _refuse_to_delete_certified_courses(request, objects):
        return redirect(action_class_instance.next_url)
    return None


@hooks.register("before_bulk_action")
def refuse_to_bulk_publish_what_cannot_go_live(request, action_type, objects, action_class_instance):
    # Publishing validates each page in full; refuse beforehand, page by page, rather
    # than fail halfway with an error page.
    if action_type != "publish" or not objects or not isinstance(objects[0], Page):
        return None
    form = getattr(action_class_instance, "cleaned_form", None)
    include_descendants = bool(form and form.cleaned_data.get("include_descendants"))
    problems = pages_unpublishable(pages=objects, include_descendants=include_descendants)
    if not problems:
        return None
    messages.error(
        request,
        _("Nothing was published. These pages cannot go live as they are: %(problems)s")
        % {"problems": "；".join(problems)},
    )
    return redirect(action_class_instance.next_url)


# --- choosing a bank question for a knowledge check ---------------------------

OBJECTIVE_TYPES = [QuestionType.SINGLE, QuestionType.MULTIPLE, QuestionType.TRUE_FALSE]


class BankQuestionFilterForm(BaseFilterForm):
    q = forms.CharField(label=_("Search the question or its legal basis"), required=False)
    type = forms.ChoiceField(
        label=pgettext_lazy("question", "Type"), required=False,
        choices=[("", _("All objective types"))] + [(t.value, t.label) for t in OBJECTIVE_TYPES],
    )
    category = forms.ModelChoiceField(
        label=_("Category (with its subcategories)"), required=False, queryset=Category.objects.all(),
    )

    def filter(self, objects):
        if not self.is_valid():
            return objects
        query = (self.cleaned_data.get("q") or "").strip()
        if query:
            objects = objects.filter(Q(stem__icontains=query) | Q(legal_basis__icontains=query))
            self.is_searching, self.search_query = True, query
        if self.cleaned_data.get("type"):
            objects = objects.filter(type=self.cleaned_data["type"])
        if self.cleaned_data.get("category"):
            objects = objects.filter(category__path__startswith=self.cleaned_data["category"].path)
        return objects


class _BankQuestionListing:
    filter_form_class = BankQuestionFilterForm
    per_page = 20

    def get_object_list(self):
        # Only what a check can grade: objective questions still in use.
        return (
            Question.objects.filter(status=QuestionStatus.ACTIVE, type__in=OBJECTIVE_TYPES)
            .select_related("category__parent")
            .order_by("category__path", "id")
        )

    @property
    def columns(self):
        title = self.title_column
        title.label = _("Question")
        return [
            title,
            Column("type", label=pgettext_lazy("question", "Type"), accessor="get_type_display"),
            Column("category", label=_("Category"), accessor="category.full_name"),
            Column("legal_basis", label=_("Legal basis"), accessor="legal_basis"),
        ]


class BankQuestionChooseView(_BankQuestionListing, ChooseView):
    pass


class BankQuestionChooseResultsView(_BankQuestionListing, ChooseResultsView):
    pass


class BankQuestionChooserViewSet(ChooserViewSet):
    """The modal in which a trainer picks a bank question for a lesson's knowledge check."""

    model = Question
    icon = "help"
    choose_one_text = _("Choose a question from the bank")
    choose_another_text = _("Choose another question")
    edit_item_text = _("Edit in the question bank")
    choose_view_class = BankQuestionChooseView
    choose_results_view_class = BankQuestionChooseResultsView
    # Leave the assessments app's own question fields (a test's fixed questions) as they are.
    register_widget = False


bank_question_chooser = BankQuestionChooserViewSet("lessons_bank_question_chooser")


@hooks.register("register_admin_viewset")
def register_bank_question_chooser():
    return bank_question_chooser

from . import admin_guide as _admin_guide  # noqa: E402, F401  (帮助: the guide for trainers)
from . import laws_admin as _laws_admin  # noqa: E402, F401  (the catalogue of laws)


@hooks.register("before_edit_page")
def returned_comment_shown(request, page):
    """A lesson sent back for changes: the reviewer's comment heads the editor, where the
    trainer is looking (Wagtail keeps it under 查看详情 → 工作流进展)."""
    if request.method != "GET":
        return None
    from .selectors import returned_for_changes

    returned = returned_for_changes(page=page)
    if returned is not None:
        who, comment = returned
        messages.warning(
            request,
            _("Returned for changes by %(who)s: %(comment)s") % {
                "who": who, "comment": comment or _("The reviewer gave no comment.")},
        )
    return None


@hooks.register("insert_editor_js")
def name_the_fields_in_error_and_show_their_tab():
    """A save refused for a field on another tab: say which field on which tab, and
    switch to it (lessons/static/lessons/admin_form_errors.js)."""
    from django.templatetags.static import static
    from django.utils.html import format_html

    return format_html(
        '<script src="{}" data-heading="{}" data-in-tab="{}" data-no-tab="{}"></script>',
        static("lessons/admin_form_errors.js"),
        _("Fields to correct"),
        _("“%(tab)s” tab · %(field)s: %(error)s"),
        _("%(field)s: %(error)s"),
    )
