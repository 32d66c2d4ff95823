"""The law lecture hall (永警大讲堂·法律讲堂): pages, and the facts of who learned what.

Pages: LectureHallPage → CoursePage → LessonPage. Facts (rows with times, never
counters, so the points ranking can read them): LessonCompletion,
KnowledgeCheckAttempt, CourseCompletion (which carries the certificate number),
TrainingSession and Attendance.
"""

import re
import secrets
from html import unescape

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from officers.roles import Role, Tier

from .blocks import LessonBodyBlock, question_items
from .forms import TrainingSessionAdminForm, session_code_validator


class LectureHallPage(Page):
    """永警大讲堂·法律讲堂: the home of all courses; one per site."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["lessons.CoursePage"]
    max_count = 1

    class Meta:
        verbose_name = _("lecture hall")

    def get_context(self, request, *args, **kwargs):
        from .selectors import hall_courses

        context = super().get_context(request, *args, **kwargs)
        context["courses"] = hall_courses(hall=self, officer=request.user)
        return context


class UniqueSlugPageForm(WagtailAdminPageForm):
    """A new page gets a free address without asking: autosave creates a lesson as soon
    as its title is typed, so a second lesson with the same title (or a restart) would
    otherwise fail on 网址别名, a field on a tab the trainer is not looking at."""

    def clean_slug(self):
        slug = self.cleaned_data.get("slug")
        parent = getattr(self, "parent_page", None)
        if not slug or self.instance.pk is not None or parent is None:
            return slug
        candidate, suffix = slug, 1
        while not Page._slug_is_available(candidate, parent, self.instance):
            suffix += 1
            candidate = f"{slug}-{suffix}"
        return candidate


class CoursePageForm(UniqueSlugPageForm):
    audience_tiers = forms.MultipleChoiceField(
        label=_("Tiers"), choices=Tier.choices, required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave empty for every tier."),
    )
    audience_roles = forms.MultipleChoiceField(
        label=_("Roles"), choices=Role.choices, required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave empty for everyone, whatever their role."),
    )


class CoursePage(Page):
    """课程: a series of lessons on one subject, with its audience and deadline.

    The audience is every active officer who matches all three lists (an empty
    list matches everyone): tiers, roles, units.
    """

    summary = models.TextField(_("summary"), blank=True, max_length=1000)
    audience_tiers = models.JSONField(_("tiers"), default=list, blank=True)
    audience_roles = models.JSONField(_("roles"), default=list, blank=True)
    audience_units = ParentalManyToManyField(
        "officers.Unit", verbose_name=_("units"), blank=True, related_name="+"
    )
    # "required" alone is Wagtail's word for a mandatory form field (必填).
    is_required = models.BooleanField(pgettext_lazy("course", "required"), default=False)
    due_on = models.DateField(_("due date"), null=True, blank=True)

    base_form_class = CoursePageForm
    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldPanel("audience_tiers"),
                FieldPanel("audience_roles"),
                FieldPanel("audience_units", widget=forms.CheckboxSelectMultiple),
            ],
            heading=_("Audience"),
        ),
        MultiFieldPanel([FieldPanel("is_required"), FieldPanel("due_on")], heading=_("Requirement")),
    ]
    search_fields = [*Page.search_fields, index.SearchField("summary")]
    parent_page_types = ["lessons.LectureHallPage"]
    subpage_types = ["lessons.LessonPage"]

    class Meta:
        verbose_name = _("course")

    def clean(self):
        super().clean()
        if self.is_required and not self.due_on:
            raise ValidationError({"due_on": _("A required course needs a due date.")})

    def get_context(self, request, *args, **kwargs):
        from .selectors import course_overview

        context = super().get_context(request, *args, **kwargs)
        context.update(course_overview(course=self, officer=request.user))
        return context


def _plain_text(html: str) -> str:
    # Block tags end a line; inline ones (<b>取保</b>候审) join their words.
    html = re.sub(r"</?(p|li|h[1-6]|br|hr|div|ol|ul|blockquote)\b[^>]*>", "\n", html)
    return unescape(re.sub(r"<[^>]+>", "", html)).strip()


def lesson_search_texts(title: str, summary: str, body) -> tuple[str, str]:
    """What a reader finds in a lesson, as plain text (for Chinese search): everything
    (handouts' PDF text included), and the part that ranks first (title and 法条)."""
    from .search import handout_text

    parts, key_parts = [title, summary], [title]
    for block in body:
        value = block.value
        if block.block_type == "text":
            parts.append(_plain_text(value.source))
        elif block.block_type == "provision":
            cited = [value["law_name"], value["article"], value["text"]]
            version = value.get("law_version")
            if version is not None:
                cited.append(version.law.name)
            parts += cited
            key_parts += cited
        elif block.block_type == "case_study":
            parts += [value["title"], value["facts"], value["issue"], _plain_text(value["analysis"].source), value["conclusion"]]
        elif block.block_type in ("handout", "media", "image"):
            parts += [value.get("description") or "", value.get("caption") or "", value.get("transcript") or ""]
            if block.block_type == "handout" and value.get("document") is not None:
                text = handout_text(value["document"])
                if text:
                    parts.append(f"【讲义：{value['document'].title}】{text}")
        elif block.block_type == "knowledge_check":
            parts.append(value["title"])
            parts += [item["prompt"] for item in question_items(value)]
    return "\n".join(p for p in parts if p), "\n".join(p for p in key_parts if p)


class LessonPageForm(UniqueSlugPageForm):
    def _post_clean(self):
        # Tell the model's clean() when the admin is only saving a draft.
        self.instance._saving_draft = self.is_deferred_validation
        super()._post_clean()


class LessonPage(Page):
    """课时: one lesson; completed when read to the end and its checks are passed."""

    summary = models.TextField(_("summary"), blank=True, max_length=1000)
    minutes = models.PositiveSmallIntegerField(_("minutes"), default=20)
    # Not blank: Wagtail defers required fields only for "save draft", so an empty
    # lesson can be drafted but neither submitted for review nor published.
    body = StreamField(LessonBodyBlock(), verbose_name=_("body"))
    # The lesson's visible text, kept with the row so that a substring query finds
    # Chinese words on any database (no word splitting needed); see selectors.lessons_search.
    search_text = models.TextField(editable=False, blank=True, default="")
    # The same text cut into words by lessons.search (" word word … "): everything,
    # and the title with the 法条 (which rank first).
    search_words = models.TextField(editable=False, blank=True, default="")
    search_key_words = models.TextField(editable=False, blank=True, default="")

    base_form_class = LessonPageForm
    content_panels = [*Page.content_panels, FieldPanel("summary"), FieldPanel("minutes"), FieldPanel("body")]
    # Wagtail's own index (the admin's page search) gets the text split into words
    # by jieba; the officers' search uses selectors.lessons_search instead.
    search_fields = [*Page.search_fields, index.SearchField("search_words")]
    parent_page_types = ["lessons.CoursePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("lesson")

    def clean(self):
        super().clean()
        # Drafts may be empty (Wagtail validates a page fully only when it is
        # submitted or goes live); what is published must teach something.
        if len(self.body):
            return
        if not getattr(self, "_saving_draft", False):
            raise ValidationError({"body": _("A lesson with an empty body cannot be published.")})
        # A reviewer's approval publishes the latest revision as it is: an empty
        # draft saved during review would be published (or fail) on approval.
        if self.pk and self.workflow_in_progress:
            raise ValidationError(
                {"body": _("This lesson is under review: its body cannot be emptied. Cancel the review first.")}
            )

    def save(self, *args, **kwargs):
        # search_text mirrors what officers can read: the live row. Wagtail writes the
        # body to the row only when a revision goes live (or for a page never
        # published); save_revision() of a draft saves a few bookkeeping fields
        # only, and must not leak the unreviewed draft into the officers' search.
        update_fields = kwargs.get("update_fields")
        if update_fields is None or "body" in update_fields:
            self.search_index_refresh()
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "search_text", "search_words", "search_key_words"}
        return super().save(*args, **kwargs)

    def search_index_refresh(self) -> None:
        """Recompute the searchable text and its words from the (live) row."""
        from .search import stored_words

        if not self.live:
            self.search_text = self.search_words = self.search_key_words = ""
            return
        self.search_text, key_text = lesson_search_texts(self.title, self.summary, self.body)
        self.search_words = stored_words(self.search_text)
        self.search_key_words = stored_words(key_text)

    @property
    def knowledge_checks(self):
        """The checks an officer must pass. A check left with no question it can grade
        (its bank questions deleted or turned into essays since) asks nothing, so it
        neither shows nor holds the lesson back."""
        return [
            block for block in self.body
            if block.block_type == "knowledge_check" and question_items(block.value)
        ]

    def serve(self, request, *args, **kwargs):
        from django.template.response import TemplateResponse

        from .selectors import lesson_course_is_live

        # Wagtail serves a live lesson even when its course was unpublished; a
        # withdrawn course withdraws its lessons (previews in the admin still work).
        if not getattr(request, "is_preview", False) and not lesson_course_is_live(lesson=self):
            return TemplateResponse(request, "lessons/lesson_withdrawn.html", {"page": self}, status=404)
        return super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        from .selectors import lesson_state

        context = super().get_context(request, *args, **kwargs)
        context.update(lesson_state(lesson=self, officer=request.user))
        return context


class LessonCompletion(models.Model):
    """An officer completed a lesson (read to its end, checks passed), at a time."""

    officer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lesson_completions")
    lesson = models.ForeignKey(LessonPage, on_delete=models.CASCADE, related_name="completions")
    course = models.ForeignKey(CoursePage, on_delete=models.CASCADE, related_name="lesson_completions")
    completed_at = models.DateTimeField(_("completed at"), default=timezone.now)
    # What the server measured when it was completed (LessonStudy), kept with the fact.
    study_seconds = models.PositiveIntegerField(_("seconds studied"), default=0)

    class Meta:
        verbose_name = _("lesson completion")
        constraints = [models.UniqueConstraint(fields=["officer", "lesson"], name="lesson_completed_once")]
        indexes = [models.Index(fields=["course", "officer"])]

    def __str__(self):
        return f"{self.officer} · {self.lesson}"


class KnowledgeCheckAttempt(models.Model):
    """One submission of a lesson's knowledge check, graded on the page."""

    officer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="knowledge_check_attempts")
    lesson = models.ForeignKey(LessonPage, on_delete=models.CASCADE, related_name="check_attempts")
    block_id = models.CharField(max_length=64)
    answers = models.JSONField(default=dict)
    correct = models.PositiveSmallIntegerField()
    total = models.PositiveSmallIntegerField()
    passed = models.BooleanField()
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("knowledge check attempt")
        indexes = [models.Index(fields=["officer", "lesson", "block_id"])]

    def __str__(self):
        return f"{self.officer} · {self.lesson} · {self.correct}/{self.total}"


class LessonStudy(models.Model):
    """An officer's time on a lesson page, measured by the server.

    The page pings while it is visible; each ping credits the time since the last
    one (at most a ping interval and a margin), so the count can never run ahead
    of the clock. `media` holds, per video block, the duration first reported and
    the seconds the page says were played, each ping's growth capped by the time
    that passed: {"<block id>": {"duration": 312.0, "played": 120.5}}.
    """

    officer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lesson_studies")
    lesson = models.ForeignKey(LessonPage, on_delete=models.CASCADE, related_name="studies")
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    last_ping_at = models.DateTimeField(default=timezone.now)
    seconds_visible = models.PositiveIntegerField(_("seconds on the page"), default=0)
    media = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("lesson study time")
        constraints = [models.UniqueConstraint(fields=["officer", "lesson"], name="lesson_study_once")]

    def __str__(self):
        return f"{self.officer} · {self.lesson} · {self.seconds_visible}s"


def new_certificate_number() -> str:
    """Short, unguessable, unambiguous (no 0/O, 1/I): YJ-2026-7KQ4-M9XT."""
    alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
    tail = "".join(secrets.choice(alphabet) for _ in range(8))
    return f"YJ-{timezone.localdate().year}-{tail[:4]}-{tail[4:]}"


class CourseCompletion(models.Model):
    """An officer finished every lesson of a course; the certificate's record."""

    officer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="course_completions")
    course = models.ForeignKey(CoursePage, on_delete=models.PROTECT, related_name="completions")
    completed_at = models.DateTimeField(_("completed at"), default=timezone.now)
    certificate_number = models.CharField(_("certificate number"), max_length=20, unique=True, default=new_certificate_number)
    # What the certificate states, fixed when it was earned: time measured on the
    # lesson pages, checks passed, and whether it came after the due date (逾期完成).
    study_seconds = models.PositiveIntegerField(_("seconds studied"), default=0)
    lesson_count = models.PositiveSmallIntegerField(_("lessons"), default=0)
    checks_passed = models.PositiveSmallIntegerField(_("knowledge checks passed"), default=0)
    due_on = models.DateField(_("due date"), null=True, blank=True)
    is_late = models.BooleanField(_("completed late"), default=False)

    class Meta:
        verbose_name = _("course completion")
        constraints = [models.UniqueConstraint(fields=["officer", "course"], name="course_completed_once")]

    def __str__(self):
        return self.certificate_number


class SessionKind(models.TextChoices):
    THEMATIC = "thematic", _("Thematic training")
    ON_SITE = "on_site", _("On-site teaching")


def new_session_code() -> str:
    return f"{secrets.randbelow(1_000_000):06d}"


def new_checkin_secret() -> str:
    return secrets.token_hex(32)


class TrainingSession(models.Model):
    """专题培训 (in a hall) or 送教上门 (at a unit's station): one dated session."""

    kind = models.CharField(_("kind"), max_length=20, choices=SessionKind.choices)
    topic = models.CharField(_("topic"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    place = models.CharField(_("place"), max_length=200)
    trainer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("trainer"), on_delete=models.PROTECT, related_name="sessions_taught"
    )
    course = models.ForeignKey(
        CoursePage, verbose_name=_("linked course"), null=True, blank=True, on_delete=models.SET_NULL, related_name="sessions"
    )
    invited_units = models.ManyToManyField("officers.Unit", verbose_name=_("units invited"), related_name="+")
    base_form_class = TrainingSessionAdminForm
    code = models.CharField(
        _("session code"), max_length=6, default=new_session_code, validators=[session_code_validator],
        help_text=_("Officers enter this code during the session to record their attendance."),
    )
    # The seed of the rotating code shown at the venue (a new code every 30 seconds).
    checkin_secret = models.CharField(max_length=64, default=new_checkin_secret, editable=False)
    code_rotates = models.BooleanField(
        _("rotating code at the venue"), default=True,
        help_text=_("Officers check in with the code (or QR code) on the venue screen, which changes every "
                    "30 seconds, so a code passed to someone absent expires. Untick to use the fixed code above."),
    )

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")), name="session_ends_after_start"),
            models.CheckConstraint(condition=models.Q(kind__in=SessionKind.values), name="session_kind_valid"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.topic}"

    def clean(self):
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("The session must end after it starts.")})
        if self.code and self.starts_at and self.ends_at:
            # Check-in finds the session by its code among those running now.
            clash = (
                TrainingSession.objects.filter(code=self.code, starts_at__lt=self.ends_at, ends_at__gt=self.starts_at)
                .exclude(pk=self.pk)
                .first()
            )
            if clash is not None:
                raise ValidationError(
                    {"code": _("The session “%(topic)s” uses this code at the same time: choose another code.")
                     % {"topic": clash.topic}}
                )


class AttendanceMethod(models.TextChoices):
    LIST = "list", _("Ticked by the trainer")
    CODE = "code", _("Session code")


class Attendance(models.Model):
    """An officer attended a training session (once), recorded at a time."""

    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="attendances")
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="attendances")
    method = models.CharField(max_length=10, choices=AttendanceMethod.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("attendance")
        constraints = [models.UniqueConstraint(fields=["session", "officer"], name="attendance_once")]

    def __str__(self):
        return f"{self.officer} · {self.session}"


class AttendanceRemoval(models.Model):
    """A trainer undid a tick: the attendance it removed, who removed it and why."""

    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="attendance_removals")
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    method = models.CharField(max_length=10, choices=AttendanceMethod.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField()
    removed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    removed_at = models.DateTimeField(default=timezone.now)
    reason = models.CharField(_("reason"), max_length=200)

    class Meta:
        verbose_name = _("attendance removal")
        ordering = ["-removed_at"]

    def __str__(self):
        return f"{self.officer} · {self.session} · {self.removed_at:%Y-%m-%d %H:%M}"


class HandoutText(models.Model):
    """The text of a handout's PDF, extracted once per file for the search."""

    document = models.OneToOneField(
        "wagtaildocs.Document", on_delete=models.CASCADE, primary_key=True, related_name="handout_text"
    )
    file_hash = models.CharField(max_length=40, blank=True)
    text = models.TextField(blank=True)

    def __str__(self):
        return str(self.document)


class Law(models.Model):
    """法律法规库: a law or regulation the lessons and the question bank cite."""

    name = models.CharField(_("name"), max_length=100, unique=True, help_text=_("Full name, e.g. 中华人民共和国治安管理处罚法"))
    short_name = models.CharField(_("short name"), max_length=50, blank=True, help_text=_("e.g. 治安管理处罚法"))

    class Meta:
        ordering = ["name"]
        verbose_name = _("law")
        verbose_name_plural = _("laws")

    def __str__(self):
        return self.name

    @property
    def display_name(self) -> str:
        return self.short_name or self.name


class LawVersion(models.Model):
    """One text of a law, in force from a date until a later version supersedes it."""

    law = models.ForeignKey(Law, verbose_name=_("law"), on_delete=models.PROTECT, related_name="versions")
    label = models.CharField(_("version"), max_length=50, help_text=_("e.g. 2025年修订"))
    effective_on = models.DateField(_("in force since"))
    superseded_by = models.ForeignKey(
        "self", verbose_name=_("superseded by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="supersedes",
        help_text=_("The later version that replaces this one. Every lesson and question citing this version "
                    "is then listed for review, and officers see a note on the provision."),
    )

    class Meta:
        ordering = ["law__name", "-effective_on"]
        verbose_name = _("law version")
        verbose_name_plural = _("law versions")
        constraints = [
            models.UniqueConstraint(fields=["law", "label"], name="law_version_label_once"),
            models.CheckConstraint(
                condition=~models.Q(superseded_by=models.F("pk")), name="law_version_not_superseded_by_itself"
            ),
        ]

    def __str__(self):
        return f"《{self.law.display_name}》（{self.label}，{self.effective_on:%Y-%m-%d}）"

    @property
    def is_superseded(self) -> bool:
        return self.superseded_by_id is not None

    def clean(self):
        later = self.superseded_by
        if later is None:
            return
        if later.pk == self.pk:
            raise ValidationError({"superseded_by": _("A version cannot supersede itself.")})
        if later.law_id != self.law_id:
            raise ValidationError({"superseded_by": _("Choose a version of the same law.")})
        if self.effective_on and later.effective_on <= self.effective_on:
            raise ValidationError(
                {"superseded_by": _("The superseding version must come into force after this one.")}
            )
