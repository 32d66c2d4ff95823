"""Case-review rotations (案件审核轮测): case files with planted defects, rounds, reviews.

The legal affairs unit prepares case files (`CaseFile`) whose documents
(`CaseDocument`) carry defects it planted (`KeyDefect`, the key). A round
(`ReviewRound`) assigns each reviewer some files (`CaseReview`); a reviewer
records `Finding`s and a conclusion; a grader matches findings to the key.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from officers.private_files import private_storage_callable
from officers.roles import Role, Tier

from . import scoring


class CaseKind(models.TextChoices):
    CRIMINAL = "criminal", _("Criminal case")
    ADMINISTRATIVE = "administrative", _("Administrative case")


class Conclusion(models.TextChoices):
    APPROVE = "approve", pgettext_lazy("decision", "Approve")
    RETURN = "return", _("Return for correction")
    DO_NOT_FILE = "do_not_file", _("Do not file")


class DefectType(models.Model):
    """A kind of defect the legal affairs unit's inspections keep finding (问题类型)."""

    name = models.CharField(_("name"), max_length=60, unique=True)
    description = models.TextField(_("description"), blank=True)
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    active = models.BooleanField(_("in use"), default=True, help_text=_("Retired types stay on old findings but cannot be chosen."))

    class Meta:
        ordering = ["sort_order", "id"]
        verbose_name = _("defect type")
        verbose_name_plural = _("defect types")

    def __str__(self):
        return self.name


class CaseFile(models.Model):
    """A prepared case file (案卷) with planted defects; confidential."""

    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("case kind"), max_length=20, choices=CaseKind.choices)
    unit = models.ForeignKey(
        "officers.Unit", verbose_name=_("unit it comes from"), on_delete=models.PROTECT, related_name="+",
    )
    summary = models.TextField(_("summary"), blank=True)
    # The key's verdict on the whole file, shown to reviewers only after the round closes.
    correct_conclusion = models.CharField(_("correct conclusion"), max_length=20, choices=Conclusion.choices)
    conclusion_explanation = models.TextField(_("why (model review)"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "id"]
        verbose_name = _("case file")
        verbose_name_plural = _("case files")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=CaseKind.values), name="case_file_kind_valid"),
            models.CheckConstraint(condition=Q(correct_conclusion__in=Conclusion.values), name="case_file_conclusion_valid"),
        ]

    def __str__(self):
        return self.title


class CaseDocument(models.Model):
    """One document of a case file (受案登记表, 询问笔录 …): a PDF scan, or text rendered to PDF.

    Stored in the private storage only; its pages are shown as images stamped
    with the viewer's name and police number.
    """

    case_file = models.ForeignKey(CaseFile, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(pgettext_lazy("case file", "document"), max_length=100)
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    pdf = models.FileField(_("PDF"), storage=private_storage_callable, upload_to="case_review/documents/", max_length=255)
    text = models.TextField(_("text"), blank=True, help_text=_("For a typed document: its text, printed to PDF."))
    page_count = models.PositiveIntegerField(default=0, editable=False)
    size = models.PositiveIntegerField(default=0, editable=False)
    # Changes whenever the PDF is replaced, so cached page images of an older PDF are never shown.
    digest = models.CharField(max_length=64, editable=False, default="")

    class Meta:
        ordering = ["case_file_id", "sort_order", "id"]
        verbose_name = _("case document")
        verbose_name_plural = _("case documents")
        constraints = [
            models.CheckConstraint(condition=Q(page_count__gte=1), name="case_document_has_pages"),
        ]

    def __str__(self):
        return self.title

    @property
    def page_numbers(self) -> range:
        return range(1, self.page_count + 1)


class KeyDefect(models.Model):
    """A defect of the key: planted by the legal affairs unit, or accepted from a reviewer's finding.

    A defect accepted while grading a round (`added_in_round`) counts in that
    round and later ones, never in rounds graded before it: a final score
    never moves because the key grew later.
    """

    case_file = models.ForeignKey(CaseFile, on_delete=models.CASCADE, related_name="key_defects")
    defect_type = models.ForeignKey(DefectType, verbose_name=_("defect type"), on_delete=models.PROTECT, related_name="+")
    description = models.TextField(_("what is wrong"))
    document = models.ForeignKey(CaseDocument, verbose_name=pgettext_lazy("case file", "document"), on_delete=models.PROTECT, related_name="key_defects")
    page = models.PositiveIntegerField(pgettext_lazy("case file", "page"), default=1)
    weight = models.DecimalField(_("weight"), max_digits=5, decimal_places=2, default=1)
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    explanation = models.TextField(_("explanation"), blank=True)
    added_in_round = models.ForeignKey(
        "ReviewRound", null=True, blank=True, on_delete=models.PROTECT, related_name="key_additions",
    )
    source_finding = models.OneToOneField(
        "Finding", null=True, blank=True, on_delete=models.PROTECT, related_name="accepted_as",
    )
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["case_file_id", "document__sort_order", "page", "id"]
        verbose_name = _("key defect")
        verbose_name_plural = _("key defects")
        constraints = [
            models.CheckConstraint(condition=Q(weight__gt=0), name="key_defect_weight_positive"),
            models.CheckConstraint(condition=Q(page__gte=1), name="key_defect_page_positive"),
        ]

    def __str__(self):
        return f"{self.defect_type} · {self.document} p.{self.page}"


class ReviewRound(models.Model):
    """One round of the rotation: who reviews, when, which files, how many each.

    The scoring weights are copied onto the round when it is created, so a
    round's results are explained by its own numbers even if the defaults change.
    """

    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    audience_tiers = models.JSONField(_("tiers"), default=list, blank=True, help_text=_("Who reviews: any officer in one of these tiers …"))
    audience_roles = models.JSONField(_("roles"), default=list, blank=True, help_text=_("… or holding one of these roles …"))
    audience_units = models.ManyToManyField(
        "officers.Unit", verbose_name=_("units"), blank=True, related_name="+",
        help_text=_("… or in one of these units (and the units beneath them). Leave all three empty for the whole bureau."),
    )
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    files = models.ManyToManyField(CaseFile, verbose_name=_("case files in play"), related_name="rounds")
    files_per_reviewer = models.PositiveIntegerField(_("files per reviewer"), default=1)
    defect_points = models.DecimalField(max_digits=5, decimal_places=2, default=scoring.DEFECT_POINTS, editable=False)
    conclusion_points = models.DecimalField(max_digits=5, decimal_places=2, default=scoring.CONCLUSION_POINTS, editable=False)
    wrong_finding_deduction = models.DecimalField(max_digits=5, decimal_places=2, default=scoring.WRONG_FINDING_DEDUCTION, editable=False)
    page_tolerance = models.PositiveIntegerField(default=scoring.PAGE_TOLERANCE, editable=False)
    seed = models.BigIntegerField(null=True, blank=True, editable=False)
    assigned_at = models.DateTimeField(null=True, blank=True, editable=False)
    released_at = models.DateTimeField(null=True, blank=True, editable=False)
    released_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opens_at", "id"]
        verbose_name = _("case-review round")
        verbose_name_plural = _("case-review rounds")
        constraints = [
            models.CheckConstraint(condition=Q(closes_at__gt=models.F("opens_at")), name="review_round_closes_after_opens"),
            models.CheckConstraint(condition=Q(files_per_reviewer__gte=1), name="review_round_files_per_reviewer"),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        # Said in words before the database constraints would (their default message names the constraint).
        errors = {}
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            errors["closes_at"] = _("The round must close after it opens.")
        if self.files_per_reviewer is not None and self.files_per_reviewer < 1:
            errors["files_per_reviewer"] = _("Each reviewer audits at least one file.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_released(self) -> bool:
        return self.released_at is not None

    def is_open_at(self, now) -> bool:
        return self.is_released and self.opens_at <= now < self.closes_at

    def is_closed_at(self, now) -> bool:
        return self.is_released and now >= self.closes_at

    def audience_display(self) -> str:
        tiers = [str(Tier(t).label) for t in self.audience_tiers if t in Tier.values]
        roles = [str(Role(r).label) for r in self.audience_roles if r in Role.values]
        return "、".join(tiers + roles)


class ReviewState(models.TextChoices):
    ASSIGNED = "assigned", _("Not submitted")
    SUBMITTED = "submitted", _("Submitted")
    GRADED = "graded", _("Graded")


class CaseReview(models.Model):
    """One reviewer's review of one assigned file in one round: findings, conclusion, score.

    `revision` counts the draft's saves as the page sends them: a save lands
    only with a higher revision (a conditional UPDATE), so a stale save from
    another device never overwrites a newer one.
    """

    round = models.ForeignKey(ReviewRound, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="case_reviews")
    case_file = models.ForeignKey(CaseFile, on_delete=models.PROTECT, related_name="reviews")
    state = models.CharField(max_length=12, choices=ReviewState.choices, default=ReviewState.ASSIGNED)
    conclusion = models.CharField(_("conclusion"), max_length=20, choices=Conclusion.choices, blank=True)
    conclusion_reasons = models.TextField(_("reasons"), blank=True)
    revision = models.BigIntegerField(default=0)
    saved_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    found_weight = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    total_weight = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    wrong_findings = models.PositiveIntegerField(null=True, blank=True)
    conclusion_correct = models.BooleanField(null=True)
    score = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    graded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    graded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["round_id", "reviewer_id", "case_file_id"]
        verbose_name = _("case review")
        verbose_name_plural = _("case reviews")
        constraints = [
            models.UniqueConstraint(fields=["round", "reviewer", "case_file"], name="case_review_unique"),
            models.CheckConstraint(condition=Q(state__in=ReviewState.values), name="case_review_state_valid"),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=0, score__lte=100), name="case_review_score_range",
            ),
        ]
        indexes = [models.Index(fields=["reviewer", "case_file"], name="case_review_reviewer_file")]

    def __str__(self):
        return f"{self.round} · {self.reviewer_id} · {self.case_file_id}"


class Verdict(models.TextChoices):
    PENDING = "", _("Not graded")
    MATCHED = "matched", _("Matches a key defect")
    DUPLICATE = "duplicate", _("Repeats a matched defect")
    WRONG = "wrong", _("Not a defect")


class Finding(models.Model):
    """A defect a reviewer records against a file, and the grader's verdict on it."""

    review = models.ForeignKey(CaseReview, on_delete=models.CASCADE, related_name="findings")
    position = models.PositiveIntegerField(default=0)
    defect_type = models.ForeignKey(DefectType, verbose_name=_("defect type"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    document = models.ForeignKey(CaseDocument, verbose_name=pgettext_lazy("case file", "document"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    page = models.PositiveIntegerField(pgettext_lazy("case file", "page"), null=True, blank=True)
    description = models.TextField(_("what is wrong"), blank=True)
    provision = models.CharField(_("provision broken"), max_length=300, blank=True)
    verdict = models.CharField(max_length=12, choices=Verdict.choices, default=Verdict.PENDING, blank=True)
    key_defect = models.ForeignKey(KeyDefect, null=True, blank=True, on_delete=models.PROTECT, related_name="findings")

    class Meta:
        ordering = ["review_id", "position", "id"]
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        constraints = [
            models.CheckConstraint(condition=Q(verdict__in=Verdict.values), name="finding_verdict_valid"),
            models.CheckConstraint(
                condition=Q(verdict__in=["matched", "duplicate"], key_defect__isnull=False)
                | (~Q(verdict__in=["matched", "duplicate"]) & Q(key_defect__isnull=True)),
                name="finding_key_defect_with_match",
            ),
        ]

    def __str__(self):
        return f"{self.review_id}#{self.position}"


class ReviewerSwap(models.Model):
    """Before a round opens the organiser may hand a reviewer's files to another (sick leave)."""

    round = models.ForeignKey(ReviewRound, on_delete=models.CASCADE, related_name="swaps")
    replaced = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    replacement = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("reason"), max_length=300)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField()

    class Meta:
        ordering = ["-at"]
        verbose_name = _("reviewer swap")
        verbose_name_plural = _("reviewer swaps")

    def __str__(self):
        return f"{self.round} {self.replaced_id}→{self.replacement_id}"


__all__ = [
    "CaseDocument", "CaseFile", "CaseKind", "CaseReview", "Conclusion", "DefectType", "Finding", "KeyDefect",
    "ReviewRound", "ReviewState", "ReviewerSwap", "Verdict",
]
