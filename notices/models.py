from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class NoticeKind(models.TextChoices):
    """Events someone must hear about. An officer chooses per kind whether it also comes by e-mail."""

    LESSON_RETURNED = "lesson_returned", _("A lesson returned with the reviewer's comment")
    LESSON_PUBLISHED = "lesson_published", _("A lesson approved and published")
    RESULTS_PUBLISHED = "results_published", _("Results published")
    LOG_CORRECTED = "log_corrected", _("A shift log corrected by the mentor")
    OBJECTION_ANSWERED = "objection_answered", _("An objection answered")
    SIGN_OFF_WITHDRAWN = "sign_off_withdrawn", _("A sign-off withdrawn")
    OVERRIDE_GRANTED = "override_granted", _("Extra time or attempts granted")


class Notice(models.Model):
    """One event told to one officer (消息), read or unread."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notices", verbose_name=_("recipient")
    )
    kind = models.CharField(_("kind"), max_length=32, choices=NoticeKind.choices)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("from"),
    )
    created_at = models.DateTimeField(_("sent"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        indexes = [models.Index(fields=["recipient", "read_at"], name="notice_unread_idx")]

    def __str__(self):
        return self.title


class EmailMode(models.TextChoices):
    IMMEDIATE = "immediate", _("At once, one e-mail per notice")
    DIGEST = "digest", _("Once a day, in a digest")


class NoticePreference(models.Model):
    """Which notices an officer also gets by e-mail (when the bureau has intranet mail)."""

    officer = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notice_preference",
        verbose_name=_("officer"),
    )
    email_kinds = models.JSONField(_("e-mail these notices"), default=list, blank=True)
    email_mode = models.CharField(_("when"), max_length=10, choices=EmailMode.choices, default=EmailMode.DIGEST)

    class Meta:
        verbose_name = _("notice preference")
        verbose_name_plural = _("notice preferences")

    def __str__(self):
        return str(self.officer)


class DigestDay(models.Model):
    """A day whose digest is scheduled: the unique date keeps it to one run a day."""

    day = models.DateField(_("day"), unique=True)
    scheduled_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    sent_count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("digest day")
        verbose_name_plural = _("digest days")

    def __str__(self):
        return self.day.isoformat()
