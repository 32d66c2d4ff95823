"""StreamField blocks of a lesson body (课时正文).

Every block renders from `lessons/templates/components/blocks/`. Media is always
a file uploaded to the platform (a Wagtail document), never an external embed:
the bureau's intranet has no internet.
"""

import copy

from django.core.exceptions import ValidationError
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock
from wagtail.snippets.blocks import SnippetChooserBlock

VIDEO_EXTENSIONS = {"mp4", "webm"}
AUDIO_EXTENSIONS = {"mp3", "m4a", "ogg"}
MEDIA_TYPES = {
    "mp4": "video/mp4", "webm": "video/webm",
    "mp3": "audio/mpeg", "m4a": "audio/mp4", "ogg": "audio/ogg",
}


class ProvisionBlock(blocks.StructBlock):
    """法条: a quoted article of a law, rendered as a citation."""

    law_name = blocks.CharBlock(label=_("Law"), max_length=100, help_text=_("e.g. 中华人民共和国刑事诉讼法"))
    article = blocks.CharBlock(label=_("Article"), max_length=50, help_text=_("e.g. 第六十七条"))
    text = blocks.TextBlock(label=_("Text of the article"), max_length=5000)
    effective_on = blocks.DateBlock(label=_("In force since"), required=False)
    law_version = SnippetChooserBlock(
        "lessons.LawVersion", label=_("Version cited"), required=False,
        help_text=_("From the catalogue of laws: when this version is superseded, the lesson is listed for "
                    "review and officers see a note."),
    )

    class Meta:
        icon = "openquote"
        label = _("Legal provision")
        template = "components/blocks/provision.html"


class CaseStudyBlock(blocks.StructBlock):
    """教科书式案例: a model case in four parts."""

    title = blocks.CharBlock(label=_("Case title"), max_length=120)
    facts = blocks.TextBlock(label=_("Facts"), max_length=5000)
    issue = blocks.TextBlock(label=_("Issue"), max_length=1000)
    analysis = blocks.RichTextBlock(label=_("Analysis"), features=["bold", "italic", "ol", "ul"], max_length=10000)
    conclusion = blocks.TextBlock(label=_("Conclusion"), max_length=2000)

    class Meta:
        icon = "doc-full"
        label = _("Model case")
        template = "components/blocks/case_study.html"


class HandoutBlock(blocks.StructBlock):
    """A document handout (讲义), usually a PDF, downloaded from the platform."""

    document = DocumentChooserBlock(label=_("Document"))
    description = blocks.CharBlock(label=_("Description"), required=False, max_length=200)

    class Meta:
        icon = "doc-full-inverse"
        label = _("Handout")
        template = "components/blocks/handout.html"


class MediaBlock(blocks.StructBlock):
    """A video or audio file uploaded to the platform and played from it."""

    file = DocumentChooserBlock(
        label=_("Video or audio file"),
        help_text=_("Upload an .mp4 or .webm video, or an .mp3, .m4a or .ogg recording."),
    )
    play_as = blocks.ChoiceBlock(
        label=_("Play as"),
        choices=[("auto", _("By file type")), ("audio", _("Audio only (e.g. a .webm recording)"))],
        default="auto",
    )
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=200)
    transcript = blocks.TextBlock(label=_("Transcript"), required=False, max_length=50000)

    class Meta:
        icon = "media"
        label = _("Video or audio")
        template = "components/blocks/media.html"

    def clean(self, value):
        value = super().clean(value)
        document = value.get("file")
        if document is not None and media_extension(document) not in MEDIA_TYPES:
            raise blocks.StructBlockValidationError(
                block_errors={"file": ValidationError(_("Choose a video (.mp4, .webm) or audio (.mp3, .m4a, .ogg) file."))}
            )
        return value

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        extension = media_extension(value["file"]) if value.get("file") else ""
        context["is_video"] = extension in VIDEO_EXTENSIONS and value.get("play_as") != "audio"
        context["media_type"] = MEDIA_TYPES.get(extension, "")
        if extension == "webm" and not context["is_video"]:
            context["media_type"] = "audio/webm"
        return context


def media_extension(document) -> str:
    return document.file_extension.lower().lstrip(".")


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Image"))
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=200)

    class Meta:
        icon = "image"
        label = _("Image")
        template = "components/blocks/image.html"


class OptionBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Option"), max_length=200)
    is_correct = blocks.BooleanBlock(label=_("Correct"), required=False)

    class Meta:
        icon = "tick"
        label = _("Option")


class QuestionBlock(blocks.StructBlock):
    """A question of the check's own: one or more correct options."""

    prompt = blocks.CharBlock(label=_("Question"), max_length=300)
    options = blocks.ListBlock(OptionBlock(), label=_("Options"), min_num=2, max_num=6)
    explanation = blocks.TextBlock(label=_("Explanation shown after answering"), required=False, max_length=1000)

    class Meta:
        icon = "help"
        label = _("Question")

    def clean(self, value):
        value = super().clean(value)
        if not any(option["is_correct"] for option in value["options"]):
            raise blocks.StructBlockValidationError(
                block_errors={"options": ValidationError(_("Mark at least one option as correct."))}
            )
        return value


def _in_open_test(question) -> bool:
    """Whether an officer is sitting a paper with this question now, or an open test has it fixed.

    Once linked, a question is never drawn again (assessments.services.questions_taught_in_lessons);
    this covers the papers already drawn and the tests that fix it."""
    from django.db.models import Q
    from django.utils import timezone

    from assessments.models import FixedQuestion, SittingQuestion, SittingStatus

    now = timezone.now()
    return (
        SittingQuestion.objects.filter(question=question, sitting__status=SittingStatus.IN_PROGRESS).exists()
        or FixedQuestion.objects.filter(question=question).filter(
            Q(quiz__closes_at__gt=now) | Q(quiz__overrides__closes_at__gt=now)
        ).exists()
    )


class BankQuestionBlock(blocks.ChooserBlock):
    """A question chosen from the assessments bank, shown and graded by its current version.

    Only objective questions in use can be chosen: an essay cannot be graded on
    the page, and a retired question is no longer taught.
    """

    target_model = "assessments.Question"

    @cached_property
    def widget(self):
        from .wagtail_hooks import bank_question_chooser

        return bank_question_chooser.widget_class()

    def _queryset(self):
        return self.model_class.objects.select_related("current_version")

    def to_python(self, value):
        if value is None:
            return None
        return self._queryset().filter(pk=value).first()

    def bulk_to_python(self, values):
        # One query for all the bank questions of a check, versions included.
        found = self._queryset().in_bulk([v for v in values if v is not None])
        seen, result = set(), []
        for pk in values:
            question = found.get(pk)
            result.append(copy.copy(question) if question is not None and pk in seen else question)
            seen.add(pk)
        return result

    def clean(self, value):
        from assessments.models import QuestionStatus, QuestionType

        question = super().clean(value)
        if question is None:
            return question
        if question.type == QuestionType.ESSAY:
            raise ValidationError(
                _("An essay question cannot be graded on the page: choose a single-choice, "
                  "multiple-choice or true/false question.")
            )
        if question.status == QuestionStatus.RETIRED:
            raise ValidationError(_("This question is retired from the bank: choose a question in use."))
        if _in_open_test(question):
            raise ValidationError(
                _("This question is being answered in a test that is still open: the lesson would give its "
                  "answer away. Choose another question, or add it once the test has closed.")
            )
        return question

    class Meta:
        icon = "help"
        label = _("Question from the bank")


class KnowledgeCheckBlock(blocks.StructBlock):
    """知识检测: a few questions graded on the page.

    `questions` mixes the check's own questions with questions chosen from the
    assessments bank; graders and templates only see `question_items()`.
    """

    title = blocks.CharBlock(label=_("Title"), max_length=100, default="课后小测")
    pass_percent = blocks.IntegerBlock(label=_("Pass mark (%)"), min_value=1, max_value=100, default=80)
    questions = blocks.StreamBlock(
        [("question", QuestionBlock()), ("bank_question", BankQuestionBlock())],
        label=_("Questions"), min_num=1,
    )

    class Meta:
        icon = "tasks"
        label = _("Knowledge check")
        template = "components/blocks/knowledge_check.html"

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["items"] = question_items(value)
        return context


def question_items(check_value) -> list[dict]:
    """The check's questions as plain dicts, whatever their kind: id, prompt, options,
    correct indexes, explanation, legal basis and whether several options may be right.

    A bank question is read from its current version; one that can no longer be
    graded here (deleted, or turned into an essay) is left out.
    """
    from assessments.models import QuestionType

    items = []
    for child in check_value["questions"]:
        if child.block_type == "question":
            question = child.value
            correct = {i for i, o in enumerate(question["options"]) if o["is_correct"]}
            items.append(
                {
                    "id": child.id,
                    "prompt": question["prompt"],
                    "options": [o["text"] for o in question["options"]],
                    "correct": correct,
                    "multiple": len(correct) > 1,
                    "explanation": question["explanation"],
                    "legal_basis": "",
                }
            )
        elif child.block_type == "bank_question":
            version = child.value.current_version if child.value is not None else None
            if version is None or version.type == QuestionType.ESSAY:
                continue
            if version.type == QuestionType.TRUE_FALSE:
                # Labels in the reader's language, as the assessments paper shows them.
                options = [str(_("True")), str(_("False"))]
            else:
                options = list(version.options)
            items.append(
                {
                    "id": child.id,
                    "prompt": version.stem,
                    "options": options,
                    "correct": set(version.key),
                    "multiple": version.type == QuestionType.MULTIPLE,
                    "explanation": version.explanation,
                    "legal_basis": version.legal_basis,
                }
            )
    return items


class LessonBodyBlock(blocks.StreamBlock):
    text = blocks.RichTextBlock(
        label=_("Rich text"),
        features=["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link", "hr"],
        template="components/blocks/text.html", max_length=20000,
    )
    provision = ProvisionBlock()
    case_study = CaseStudyBlock()
    handout = HandoutBlock()
    media = MediaBlock()
    image = ImageBlock()
    knowledge_check = KnowledgeCheckBlock()
