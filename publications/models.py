"""Publications (挂网公示): frozen versions of published tables, and officers' objections.

A Publication row never changes after it is written except for three fields
that describe what happened to it later: its successor (superseded_by/at) and
the state of its bulletin PDF. Corrections are new versions.
"""

import datetime as dt

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from officers.private_files import private_storage_callable


class BulletinStatus(models.TextChoices):
    PENDING = "pending", _("Being prepared")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


class Publication(models.Model):
    """One version of a published table: rows, columns and settings frozen when published."""

    kind = models.CharField(_("kind"), max_length=40)
    subject_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    subject_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("subject_type", "subject_id")
    version = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=300)
    # [{"key", "label", "numeric"}], labels frozen in Chinese when published.
    columns = models.JSONField(_("columns"), default=list, blank=True)
    unit_columns = models.JSONField(_("unit columns"), default=list, blank=True)
    rows = models.JSONField(_("rows"), default=list, blank=True)
    unit_rows = models.JSONField(_("unit rows"), default=list, blank=True)
    meta = models.JSONField(_("settings and rule version"), default=dict, blank=True)
    note = models.TextField(_("note"), blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("published by"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="+",
    )
    published_at = models.DateTimeField(_("published"))
    objections_close_at = models.DateTimeField(_("objections close"))
    superseded_by = models.OneToOneField(
        "self", verbose_name=_("superseded by"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="supersedes",
    )
    superseded_at = models.DateTimeField(_("superseded"), null=True, blank=True)
    number_year = models.PositiveIntegerField(_("year of the document number"))
    number = models.PositiveIntegerField(_("number in the year"))
    document_number = models.CharField(_("document number"), max_length=64, unique=True)
    # Per officer, what changed since the previous version:
    # [{"officer_id", "name", "change": "added"|"removed"|"changed", "fields": [{"key", "label", "old", "new"}]}]
    changes = models.JSONField(_("changes since the previous version"), default=list, blank=True)
    bulletin = models.FileField(
        _("bulletin"), storage=private_storage_callable, upload_to="publications/bulletins/",
        blank=True, max_length=255,
    )
    bulletin_status = models.CharField(
        _("bulletin"), max_length=10, choices=BulletinStatus.choices, default=BulletinStatus.PENDING,
    )
    bulletin_error = models.TextField(blank=True)
    # When the render was last handed to the task worker; a render pending long after it is handed over again.
    bulletin_requested_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "subject_type", "subject_id", "version"], name="publication_unique_version",
            ),
            models.UniqueConstraint(fields=["number_year", "number"], name="publication_unique_number"),
            models.CheckConstraint(condition=Q(version__gte=1), name="publication_version_positive"),
            models.CheckConstraint(condition=Q(number__gte=1), name="publication_number_positive"),
            models.CheckConstraint(
                condition=Q(superseded_by__isnull=True, superseded_at__isnull=True)
                | Q(superseded_by__isnull=False, superseded_at__isnull=False),
                name="publication_superseded_together",
            ),
            models.CheckConstraint(
                condition=Q(objections_close_at__gt=models.F("published_at")),
                name="publication_window_after_publishing",
            ),
        ]
        indexes = [
            models.Index(fields=["kind", "superseded_at", "-published_at"], name="publication_current_idx"),
        ]

    def __str__(self):
        return f"{self.title}（{self.document_number}）"

    @property
    def is_current(self) -> bool:
        return self.superseded_at is None

    def objections_open(self, now: dt.datetime | None = None) -> bool:
        """Whether the objection window (公示期) is still open."""
        return (now or timezone.now()) < self.objections_close_at

    @property
    def objections_last_day(self) -> dt.date:
        """The last day officers may object (the window closes at the end of it)."""
        return timezone.localtime(self.objections_close_at - dt.timedelta(microseconds=1)).date()

    def row_of(self, officer_id: int) -> dict | None:
        return next((row for row in self.rows if row.get("officer_id") == officer_id), None)


class ObjectionStatus(models.TextChoices):
    OPEN = "open", _("Awaiting a decision")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", pgettext_lazy("decision", "Rejected")


class Objection(models.Model):
    """An officer's objection (异议) to their own entry in a publication, and the decision on it."""

    publication = models.ForeignKey(
        Publication, verbose_name=_("publication"), on_delete=models.PROTECT, related_name="objections",
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("officer"), on_delete=models.PROTECT, related_name="+",
    )
    reason = models.TextField(_("reason"))
    filed_at = models.DateTimeField(_("filed"))
    status = models.CharField(
        _("status"), max_length=10, choices=ObjectionStatus.choices, default=ObjectionStatus.OPEN,
    )
    response = models.TextField(_("response"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    # The version issued after this objection was accepted (if any yet).
    resolved_in = models.ForeignKey(
        Publication, verbose_name=_("corrected in"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="resolved_objections",
    )

    class Meta:
        ordering = ["filed_at", "id"]
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        constraints = [
            models.UniqueConstraint(
                fields=["publication", "officer"], condition=Q(status="open"), name="objection_one_open_per_officer",
            ),
            models.CheckConstraint(
                condition=Q(status="open", decided_at__isnull=True, decided_by__isnull=True)
                | (~Q(status="open") & Q(decided_at__isnull=False) & ~Q(response="")),
                name="objection_decision_complete",
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="objection_reason_given"),
        ]
        indexes = [models.Index(fields=["status", "filed_at"], name="objection_queue_idx")]

    def __str__(self):
        return f"{self.officer} · {self.publication}"
