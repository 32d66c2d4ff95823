"""The bureau's roles, tiers and unit kinds: the words every app uses."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Tier(models.TextChoices):
    RECRUIT = "recruit", _("Recruit")
    OFFICER = "officer", _("Officer")
    MID_LEVEL = "mid_level", _("Mid-level officer")


class Role(models.TextChoices):
    """Each role is a Django group of the same name, created by a data migration."""

    LEGAL_OFFICER = "legal_officer", _("Legal officer")
    TRAINER = "trainer", _("Trainer")
    MENTOR = "mentor", _("Mentor")
    # Staff of the legal affairs unit (法制大队) who grade case reviews, approve
    # sign-offs, decide objections and publish: a power given by role, never by
    # belonging to the unit.
    LEGAL_REVIEWER = "legal_reviewer", _("Legal affairs reviewer")
    ADMINISTRATOR = "administrator", _("Administrator")


class UnitKind(models.TextChoices):
    POLICE_STATION = "police_station", _("Police station")
    BRIGADE = "brigade", _("Brigade")
    LEGAL_AFFAIRS = "legal_affairs", _("Legal affairs unit")
    OTHER = "other", _("Other")
