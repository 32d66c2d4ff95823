"""Points ranking (执法质效积分排名): rule books as data, the append-only ledger, rankings.

- A `RuleBook` per track (中层干部 / 民警) holds dated `RuleBookVersion`s; each
  version lists its `PointRule`s (a kind from ranking.rule_kinds plus validated
  parameters). A version in force is never edited: a new one is made by copying.
- `PointEntry` is the ledger (积分台账): one row per fact under one rule, posted
  by the task worker; corrections are reversing entries, never edits.
- `ManualEntry` is an award or deduction entered with a reason and evidence and
  approved by a second person.
- `Ranking` names a (track, period): the subject published through the
  publications app.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.models import Orderable

from officers.private_files import private_storage_callable
from officers.roles import Tier


class Track(models.TextChoices):
    MID_LEVEL = "mid_level", _("Mid-level officers")
    OFFICER = "officer", _("Officers")


def track_of_tier(tier: str) -> str:
    """Mid-level officers are ranked on their own track; officers and recruits on the officers' track."""
    return Track.MID_LEVEL if tier == Tier.MID_LEVEL else Track.OFFICER


def tiers_of_track(track: str) -> list[str]:
    return [Tier.MID_LEVEL] if track == Track.MID_LEVEL else [Tier.OFFICER, Tier.RECRUIT]


class RuleBook(models.Model):
    """The written rules of one track (e.g. 民警执法质效积分排名办法)."""

    track = models.CharField(_("track"), max_length=20, choices=Track.choices, unique=True)
    name = models.CharField(_("name"), max_length=200)
    year_start_month = models.PositiveSmallIntegerField(
        _("assessment year starts in month"), default=1,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text=_("1 for a calendar year; 11 for a year running from 1 November to 31 October."),
    )
    objection_days = models.PositiveSmallIntegerField(
        _("objection window (working days)"), default=5,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
    )

    class Meta:
        ordering = ["track"]
        verbose_name = _("rule book")
        verbose_name_plural = _("rule books")
        constraints = [
            models.CheckConstraint(condition=Q(track__in=Track.values), name="rule_book_track_valid"),
            models.CheckConstraint(condition=Q(year_start_month__gte=1, year_start_month__lte=12), name="rule_book_year_start_month_range"),
        ]

    def __str__(self):
        return self.name


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_FORCE = "in_force", _("In force")


class RuleBookVersion(ClusterableModel):
    """One dated version of a rule book with its rules.

    A period is ranked under the version in force at the period's end (see
    ranking.selectors.version_for_period). Once in force, or used by a published
    ranking, a version is read-only; changes go into a copy.
    """

    rule_book = models.ForeignKey(RuleBook, verbose_name=_("rule book"), on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"), default=1)
    summary = models.CharField(_("what changed"), max_length=300, blank=True)
    effective_from = models.DateField(_("in force from"))
    status = models.CharField(_("status"), max_length=10, choices=VersionStatus.choices, default=VersionStatus.DRAFT)
    base_points = models.DecimalField(
        _("base points"), max_digits=8, decimal_places=2, default=0,
        help_text=_("Every officer starts each period with these points (e.g. 100 for a deductions-only scheme)."),
    )
    period_cap = models.DecimalField(
        _("most points in a period"), max_digits=8, decimal_places=2, null=True, blank=True,
        help_text=_("Empty: no cap."),
    )
    period_floor = models.DecimalField(
        _("fewest points in a period"), max_digits=8, decimal_places=2, null=True, blank=True,
        help_text=_("Empty: no floor."),
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("approved by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    copied_from = models.ForeignKey(
        "self", verbose_name=_("copied from"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["rule_book", "-effective_from", "-number"]
        verbose_name = _("rule book version")
        verbose_name_plural = _("rule book versions")
        constraints = [
            models.UniqueConstraint(fields=["rule_book", "number"], name="rule_book_version_unique_number"),
            models.UniqueConstraint(
                fields=["rule_book", "effective_from"], condition=Q(status="in_force"),
                name="rule_book_version_one_in_force_per_day",
                violation_error_message=_("Another version of this rule book is already in force from that day."),
            ),
            models.CheckConstraint(condition=Q(status__in=VersionStatus.values), name="rule_book_version_status_valid"),
            models.CheckConstraint(
                condition=Q(period_cap__isnull=True) | Q(period_floor__isnull=True) | Q(period_cap__gte=F("period_floor")),
                name="rule_book_version_cap_above_floor",
                violation_error_message=_("The cap must not be below the floor."),
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(approved_by__isnull=False, approved_at__isnull=False),
                name="rule_book_version_in_force_approved",
            ),
        ]

    def __str__(self):
        return _("%(book)s, version %(number)s (from %(date)s)") % {
            "book": self.rule_book.name if self.rule_book_id else "", "number": self.number,
            "date": self.effective_from.isoformat() if self.effective_from else "",
        }

    @property
    def is_in_force(self) -> bool:
        return self.status == VersionStatus.IN_FORCE

    def clean(self):
        if self.period_cap is not None and self.period_floor is not None and self.period_cap < self.period_floor:
            raise ValidationError({"period_cap": _("The cap must not be below the floor.")})


class PointRule(Orderable):
    """One rule of a version: a kind (what fact it reads) and its parameters.

    `code` names the rule across versions (a copy keeps it); manual entries
    name the rule they fall under by it.
    """

    version = ParentalKey(RuleBookVersion, on_delete=models.CASCADE, related_name="rules")
    code = models.SlugField(
        _("code"), max_length=50,
        help_text=_("Short Latin name kept across versions, e.g. quiz or skills-award."),
    )
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=30)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    period_cap = models.DecimalField(
        _("most points from this rule in a period"), max_digits=8, decimal_places=2, null=True, blank=True,
    )
    period_floor = models.DecimalField(
        _("fewest points from this rule in a period"), max_digits=8, decimal_places=2, null=True, blank=True,
    )

    class Meta(Orderable.Meta):
        verbose_name = _("point rule")
        verbose_name_plural = _("point rules")
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="point_rule_unique_code"),
            models.CheckConstraint(
                condition=Q(period_cap__isnull=True) | Q(period_floor__isnull=True) | Q(period_cap__gte=F("period_floor")),
                name="point_rule_cap_above_floor",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        from .rule_kinds import params_validate

        self.params = params_validate(kind=self.kind, params=self.params)
        if self.period_cap is not None and self.period_floor is not None and self.period_cap < self.period_floor:
            raise ValidationError({"period_cap": _("The cap must not be below the floor.")})


class PointEntry(models.Model):
    """One line of the ledger (积分台账): points for one fact under one rule.

    Append-only. A corrected fact posts a reversal (`reverses` the live entry,
    points negated) and a new entry of the next generation; a removed fact
    posts only the reversal. The same fact under the same rule and generation
    is unique, so two posters racing can never count it twice.
    """

    officer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="point_entries")
    track = models.CharField(max_length=20, choices=Track.choices)
    rule_version = models.ForeignKey(RuleBookVersion, on_delete=models.PROTECT, related_name="entries")
    rule = models.ForeignKey(PointRule, on_delete=models.PROTECT, related_name="entries")
    fact_type = models.ForeignKey("contenttypes.ContentType", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    fact_id = models.CharField(max_length=64, blank=True)
    fact_key = models.CharField(max_length=120)
    generation = models.PositiveIntegerField(default=1)
    points = models.DecimalField(max_digits=8, decimal_places=2)
    occurred_on = models.DateField()
    posted_at = models.DateTimeField(default=timezone.now)
    reverses = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversed_by",
    )
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["occurred_on", "id"]
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "fact_key", "generation"], condition=Q(reverses__isnull=True),
                name="point_entry_fact_once_per_generation",
            ),
            models.CheckConstraint(condition=Q(track__in=Track.values), name="point_entry_track_valid"),
        ]
        indexes = [
            # Ranking a period: one range scan, covering everything the sum needs.
            models.Index(fields=["rule_version", "occurred_on", "officer", "rule", "points"], name="point_entry_rank"),
            models.Index(fields=["officer", "occurred_on"], name="point_entry_officer_day"),
        ]

    def __str__(self):
        return f"{self.officer_id} {self.fact_key} {self.points}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise ValidationError(_("Ledger entries are never changed: post a reversal instead."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("Ledger entries are never deleted: post a reversal instead."))

    @property
    def is_reversal(self) -> bool:
        return self.reverses_id is not None


class ManualStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", pgettext_lazy("decision", "Rejected")


class ManualEntry(models.Model):
    """An award or deduction entered by hand (e.g. a placing in 执法技能比武, a case quashed
    on 行政复议), with its reason and evidence; counts once a second person approves it."""

    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("officer"), on_delete=models.PROTECT, related_name="manual_point_entries",
    )
    track = models.CharField(_("track"), max_length=20, choices=Track.choices)
    rule_code = models.SlugField(_("rule"), max_length=50)
    points = models.DecimalField(_("points"), max_digits=8, decimal_places=2, help_text=_("Negative for a deduction."))
    occurred_on = models.DateField(_("date of the event"))
    reason = models.TextField(_("reason"))
    evidence = models.FileField(_("evidence"), storage=private_storage_callable, upload_to="ranking/evidence/%Y/%m/", max_length=200)
    evidence_name = models.CharField(_("evidence file name"), max_length=200, blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("entered by"), on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField(_("entered at"), default=timezone.now)
    status = models.CharField(_("status"), max_length=10, choices=ManualStatus.choices, default=ManualStatus.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)

    class Meta:
        ordering = ["-entered_at", "-id"]
        verbose_name = _("manual entry")
        verbose_name_plural = _("manual entries")
        constraints = [
            models.CheckConstraint(condition=Q(status__in=ManualStatus.values), name="manual_entry_status_valid"),
            models.CheckConstraint(condition=~Q(points=0), name="manual_entry_points_not_zero"),
            # The two-person rule: whoever enters an entry never decides it.
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True) | ~Q(decided_by=F("entered_by")),
                name="manual_entry_two_person_rule",
            ),
            models.CheckConstraint(
                condition=Q(status="pending") | Q(decided_by__isnull=False),
                name="manual_entry_decided_has_decider",
            ),
        ]

    def __str__(self):
        return f"{self.officer} {self.points:+} {self.reason[:30]}"


class Ranking(models.Model):
    """A ranking for a track and a period: the subject a publication freezes."""

    track = models.CharField(_("track"), max_length=20, choices=Track.choices)
    period = models.CharField(_("period"), max_length=10)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-period", "track"]
        verbose_name = _("ranking")
        verbose_name_plural = _("rankings")
        constraints = [
            models.UniqueConstraint(fields=["track", "period"], name="ranking_unique_track_period"),
            models.CheckConstraint(condition=Q(track__in=Track.values), name="ranking_track_valid"),
        ]

    def __str__(self):
        return f"{self.period} {self.get_track_display()}"
