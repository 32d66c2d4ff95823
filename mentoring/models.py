"""New-officer shadowing (新警跟班培训): mentorships, the curriculum, shift logs, sign-off."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

RATING_MIN, RATING_MAX = 1, 7
# The San Jose model's standard: 4 is acceptable; below 3 or above 6 needs a comment.
RATING_ACCEPTABLE = 4
COMMENT_BELOW, COMMENT_ABOVE = 3, 6


class Competency(models.Model):
    """An item of the recruit's curriculum (培训项目), with guidelines for 1, 4 and 7."""

    name = models.CharField(_("name"), max_length=50, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    description = models.TextField(_("description"), blank=True)
    guideline_1 = models.TextField(_("what 1 looks like"))
    guideline_4 = models.TextField(_("what 4 looks like"))
    guideline_7 = models.TextField(_("what 7 looks like"))
    is_active = models.BooleanField(_("in the curriculum"), default=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("competency")
        verbose_name_plural = _("competencies")

    def __str__(self):
        return self.name


class MentorshipStatus(models.TextChoices):
    ACTIVE = "active", pgettext_lazy("mentorship", "Active")
    EXTENDED = "extended", _("Extended")
    COMPLETED = "completed", _("Completed")
    ENDED_EARLY = "ended_early", _("Ended early")


OPEN_STATUSES = [MentorshipStatus.ACTIVE, MentorshipStatus.EXTENDED]


class Mentorship(models.Model):
    """One mentor and one recruit (师徒结对), from the start to sign-off (出师)."""

    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("mentor"), on_delete=models.PROTECT,
        related_name="mentorships_as_mentor",
    )
    recruit = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recruit"), on_delete=models.PROTECT,
        related_name="mentorships_as_recruit",
    )
    started_on = models.DateField(_("start date"))
    planned_end_on = models.DateField(_("planned end"))
    status = models.CharField(
        _("status"), max_length=20, choices=MentorshipStatus.choices, default=MentorshipStatus.ACTIVE
    )
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_reason = models.TextField(_("reason for ending early"), blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("assigned by"), on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    # Final sign-off (出师): the mentor proposes, the legal affairs unit approves.
    final_proposed_at = models.DateTimeField(_("final sign-off proposed"), null=True, blank=True)
    final_approved_at = models.DateTimeField(_("final sign-off approved"), null=True, blank=True)
    final_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("approved by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    promoted_at = models.DateTimeField(_("moved to the officer tier"), null=True, blank=True)
    # The approver's opinion (审核意见), and why 出师 was approved with logs unacknowledged.
    final_opinion = models.TextField(_("approval opinion"), blank=True)
    unacknowledged_reason = models.TextField(_("reason for approving with unacknowledged logs"), blank=True)
    # Why 出师 was proposed although a signed-off competency was later rated low (kept).
    final_proposal_reason = models.TextField(_("reason for proposing over a flagged sign-off"), blank=True)

    class Meta:
        ordering = ["-started_on", "id"]
        verbose_name = _("mentorship")
        verbose_name_plural = _("mentorships")
        constraints = [
            models.UniqueConstraint(
                fields=["recruit"],
                condition=models.Q(status__in=OPEN_STATUSES),
                name="mentorship_one_open_per_recruit",
                violation_error_message=_("This recruit already has an active mentorship."),
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=MentorshipStatus.values), name="mentorship_status_valid"
            ),
            models.CheckConstraint(
                condition=~models.Q(mentor=models.F("recruit")), name="mentorship_mentor_not_recruit"
            ),
            models.CheckConstraint(
                condition=models.Q(planned_end_on__gt=models.F("started_on")),
                name="mentorship_end_after_start",
                violation_error_message=_("The planned end must be after the start date."),
            ),
            models.CheckConstraint(
                condition=~models.Q(status=MentorshipStatus.ENDED_EARLY) | ~models.Q(end_reason=""),
                name="mentorship_ended_early_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.mentor.name} → {self.recruit.name}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class CurriculumMinimums(models.Model):
    """What a recruit must have done before 出师 can be proposed; one row, edited with the curriculum."""

    shifts = models.PositiveSmallIntegerField(_("shifts at least"), default=0)
    hours = models.PositiveSmallIntegerField(_("hours at least"), default=0)
    weeks = models.PositiveSmallIntegerField(_("weeks of shadowing at least"), default=0)
    simulations = models.PositiveSmallIntegerField(_("simulated cases (模拟办案) at least"), default=0)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("updated by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )

    class Meta:
        verbose_name = _("minimums before final sign-off")
        verbose_name_plural = _("minimums before final sign-off")

    def __str__(self):
        return f"{self.shifts}/{self.hours}/{self.weeks}/{self.simulations}"


class MentorCapacity(models.Model):
    """A mentor's own limit of recruits at once, where it differs from the bureau's default."""

    mentor = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("mentor"), on_delete=models.CASCADE,
        related_name="mentor_capacity",
    )
    max_recruits = models.PositiveSmallIntegerField(_("most recruits at once"), default=2)

    class Meta:
        verbose_name = _("mentor's capacity")
        verbose_name_plural = _("mentors' capacities")

    def __str__(self):
        return f"{self.mentor}: {self.max_recruits}"


class LogStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")


class ShadowingLog(models.Model):
    """What the mentor records after a shift together (带教记录); locked once acknowledged."""

    mentorship = models.ForeignKey(
        Mentorship, verbose_name=_("mentorship"), on_delete=models.CASCADE, related_name="logs"
    )
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("start time"))
    end_time = models.TimeField(_("end time"))
    duration_minutes = models.PositiveIntegerField(_("minutes"))
    is_simulation = models.BooleanField(_("simulated case handling (模拟办案)"), default=False)
    not_responding = models.BooleanField(_("not responding to training"), default=False)
    best = models.TextField(_("what went best"))
    worst = models.TextField(_("what went worst"))
    next_plan = models.TextField(_("plan for the next shift"))
    status = models.CharField(
        _("status"), max_length=20, choices=LogStatus.choices, default=LogStatus.SUBMITTED
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    recruit_comment = models.TextField(_("recruit's comment"), blank=True)
    # The log form's one-time token: a second submit of the same form (a double tap,
    # a resend after a dropped connection) finds this log instead of making another.
    form_token = models.CharField(max_length=32, blank=True, default="", editable=False)
    # Every change to a submitted log is a new version (LogVersion); the recruit
    # acknowledges one version, and the page remembers the last one they read.
    version = models.PositiveIntegerField(_("version"), default=1)
    acknowledged_version = models.PositiveIntegerField(_("version acknowledged"), null=True, blank=True)
    recruit_read_version = models.PositiveIntegerField(_("version last read by the recruit"), default=0)

    class Meta:
        ordering = ["-date", "-start_time", "-id"]
        verbose_name = _("shadowing log")
        verbose_name_plural = _("shadowing logs")
        indexes = [models.Index(fields=["mentorship", "date"], name="mentoring_log_ms_date")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=LogStatus.values), name="shadowing_log_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(duration_minutes__gt=0, duration_minutes__lte=24 * 60),
                name="shadowing_log_duration_range",
            ),
            models.UniqueConstraint(
                fields=["mentorship", "form_token"],
                condition=~models.Q(form_token=""),
                name="shadowing_log_form_token_once",
            ),
        ]

    def __str__(self):
        return f"{self.mentorship} {self.date}"

    @property
    def is_acknowledged(self) -> bool:
        return self.status == LogStatus.ACKNOWLEDGED

    @property
    def is_locked(self) -> bool:
        """Acknowledged, or its mentorship closed (出师 approved or ended): addenda only."""
        return self.status == LogStatus.ACKNOWLEDGED or not self.mentorship.is_open

    @property
    def hours(self) -> float:
        return round(self.duration_minutes / 60, 1)


class ActivityKind(models.TextChoices):
    CALL = "call", _("Call for police (接处警)")
    ADMINISTRATIVE = "administrative", _("Administrative case")
    CRIMINAL = "criminal", _("Criminal case")
    DISPUTE = "dispute", _("Dispute mediation")
    PATROL = "patrol", _("Patrol and checks")
    OTHER = "other", _("Other")


class RecruitPart(models.TextChoices):
    OBSERVED = "observed", _("Observed")
    ASSISTED = "assisted", _("Assisted")
    LED = "led", _("Led")


class LogActivity(models.Model):
    """An incident or case handled on the shift, and the recruit's part in it."""

    log = models.ForeignKey(ShadowingLog, on_delete=models.CASCADE, related_name="activities")
    kind = models.CharField(_("kind"), max_length=20, choices=ActivityKind.choices)
    case_number = models.CharField(_("case number"), max_length=40, blank=True)
    part = models.CharField(_("recruit's part"), max_length=10, choices=RecruitPart.choices)
    summary = models.CharField(_("summary"), max_length=200, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("incident or case")
        verbose_name_plural = _("incidents and cases")
        constraints = [
            models.CheckConstraint(condition=models.Q(kind__in=ActivityKind.values), name="log_activity_kind_valid"),
            models.CheckConstraint(condition=models.Q(part__in=RecruitPart.values), name="log_activity_part_valid"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.case_number}".strip()


class LogRating(models.Model):
    """One competency practised on the shift: rated 1–7, or not observed (no rating)."""

    log = models.ForeignKey(ShadowingLog, on_delete=models.CASCADE, related_name="ratings")
    competency = models.ForeignKey(Competency, on_delete=models.PROTECT, related_name="ratings")
    rating = models.PositiveSmallIntegerField(
        _("rating"), null=True, blank=True,
        validators=[MinValueValidator(RATING_MIN), MaxValueValidator(RATING_MAX)],
    )
    comment = models.TextField(pgettext_lazy("remarks", "comment"), blank=True)

    class Meta:
        ordering = ["competency__position", "competency_id"]
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        constraints = [
            models.UniqueConstraint(fields=["log", "competency"], name="log_rating_once_per_competency"),
            models.CheckConstraint(
                condition=models.Q(rating__isnull=True) | models.Q(rating__gte=RATING_MIN, rating__lte=RATING_MAX),
                name="log_rating_range",
            ),
            # The San Jose rule: an exceptional rating must say why.
            models.CheckConstraint(
                condition=models.Q(rating__isnull=True)
                | models.Q(rating__gte=COMMENT_BELOW, rating__lte=COMMENT_ABOVE)
                | ~models.Q(comment=""),
                name="log_rating_exceptional_has_comment",
            ),
        ]

    def __str__(self):
        return f"{self.competency}: {self.rating or '—'}"


class RemedialTraining(models.Model):
    """Remedial training given on the shift: topic and minutes."""

    log = models.ForeignKey(ShadowingLog, on_delete=models.CASCADE, related_name="remedials")
    competency = models.ForeignKey(
        Competency, verbose_name=_("competency"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="remedials",
    )
    topic = models.CharField(_("topic"), max_length=200)
    minutes = models.PositiveSmallIntegerField(_("minutes"), validators=[MinValueValidator(1)])

    class Meta:
        ordering = ["id"]
        verbose_name = _("remedial training")
        verbose_name_plural = _("remedial training")

    def __str__(self):
        return f"{self.topic} ({self.minutes})"


class LogAddendum(models.Model):
    """A correction to a locked log: never an edit, always an addendum with author and time."""

    log = models.ForeignKey(ShadowingLog, on_delete=models.CASCADE, related_name="addenda")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("written"), default=timezone.now)
    text = models.TextField(_("addendum"))

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("addendum")
        verbose_name_plural = _("addenda")

    def __str__(self):
        return f"{self.log} + {self.created_at:%Y-%m-%d %H:%M}"


class LogVersion(models.Model):
    """One version of a submitted log as it stood: who wrote it, when, and its whole content."""

    log = models.ForeignKey(ShadowingLog, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("saved"), default=timezone.now)
    content = models.JSONField(_("content"), default=dict)

    class Meta:
        ordering = ["log", "number"]
        verbose_name = _("log version")
        verbose_name_plural = _("log versions")
        constraints = [
            models.UniqueConstraint(fields=["log", "number"], name="log_version_number_once"),
        ]

    def __str__(self):
        return f"{self.log} v{self.number}"


class LogObjection(models.Model):
    """The recruit's objection (异议) to a log, with the reason, and the mentor's answer."""

    log = models.ForeignKey(ShadowingLog, on_delete=models.CASCADE, related_name="objections")
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("raised by"), on_delete=models.PROTECT, related_name="+")
    raised_at = models.DateTimeField(_("raised"), default=timezone.now)
    log_version = models.PositiveIntegerField(_("version objected to"))
    reason = models.TextField(_("reason"))
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("answered by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        ordering = ["raised_at", "id"]
        verbose_name = _("objection to a log")
        verbose_name_plural = _("objections to logs")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(answered_at__isnull=True) | ~models.Q(answer=""),
                name="log_objection_answer_has_text",
            ),
        ]

    def __str__(self):
        return f"{self.log}: {self.reason[:20]}"


class LogDraft(models.Model):
    """The log form as last typed, kept on the server so a dropped connection loses nothing."""

    mentorship = models.ForeignKey(Mentorship, on_delete=models.CASCADE, related_name="drafts")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    data = models.JSONField(default=dict)
    updated_at = models.DateTimeField(default=timezone.now)
    # Each save adds one; a save based on an older revision (another device) is a conflict.
    revision = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("log draft")
        verbose_name_plural = _("log drafts")
        constraints = [
            models.UniqueConstraint(fields=["mentorship", "author"], name="log_draft_one_per_author"),
        ]

    def __str__(self):
        return f"{self.mentorship} draft"


class CompetencySignOff(models.Model):
    """The mentor's word that the recruit meets a competency."""

    mentorship = models.ForeignKey(Mentorship, on_delete=models.CASCADE, related_name="signoffs")
    competency = models.ForeignKey(Competency, on_delete=models.PROTECT, related_name="signoffs")
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("competency sign-off")
        verbose_name_plural = _("competency sign-offs")
        constraints = [
            models.UniqueConstraint(fields=["mentorship", "competency"], name="signoff_once_per_competency"),
        ]

    def __str__(self):
        return f"{self.mentorship}: {self.competency}"


class SignOffEventKind(models.TextChoices):
    WITHDRAWN = "withdrawn", _("competency sign-off withdrawn")
    RETURNED = "returned", _("final sign-off returned")


class SignOffEvent(models.Model):
    """A sign-off taken back: the mentor withdrew a competency's, or the legal affairs
    unit returned the final sign-off. Kept with its reason so the record stays defensible."""

    mentorship = models.ForeignKey(Mentorship, on_delete=models.CASCADE, related_name="signoff_events")
    kind = models.CharField(_("kind"), max_length=20, choices=SignOffEventKind.choices)
    competency = models.ForeignKey(
        Competency, verbose_name=_("competency"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signed_at = models.DateTimeField(_("signed off at"), null=True, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("at"), default=timezone.now)
    reason = models.TextField(_("reason"))

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("sign-off event")
        verbose_name_plural = _("sign-off events")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=SignOffEventKind.values), name="signoff_event_kind_valid"
            ),
        ]

    def __str__(self):
        return f"{self.mentorship}: {self.get_kind_display()}"


class MentorEvaluation(models.Model):
    """The recruit's evaluation of the mentor at the end; only the legal affairs unit reads it."""

    mentorship = models.OneToOneField(Mentorship, on_delete=models.CASCADE, related_name="evaluation")
    teaching = models.PositiveSmallIntegerField(
        _("explains and demonstrates clearly"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    availability = models.PositiveSmallIntegerField(
        _("available and patient"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    fairness = models.PositiveSmallIntegerField(
        _("rates fairly and explains the ratings"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(pgettext_lazy("remarks", "comment"), blank=True)
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("evaluation of the mentor")
        verbose_name_plural = _("evaluations of mentors")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(teaching__range=(1, 5), availability__range=(1, 5), fairness__range=(1, 5)),
                name="mentor_evaluation_range",
            ),
        ]

    def __str__(self):
        return f"{self.mentorship}"
