"""Is a recruit ready for 出师? Sign-offs later contradicted by a low rating, the
curriculum's minimums, and who may be a mentor at all.

Reads only; services (to refuse) and selectors (to show) both import this module.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from officers.models import Officer
from officers.roles import Tier

from .models import (
    OPEN_STATUSES,
    CompetencySignOff,
    CurriculumMinimums,
    LogRating,
    Mentorship,
    RemedialTraining,
    ShadowingLog,
)

# A rating at or below this, given after the competency was signed off, flags the sign-off:
# 3 is below the acceptable 4 that a sign-off needs, so the sign-off no longer holds.
SIGNOFF_FLAG_AT_OR_BELOW = 3


# --- who may be a mentor -----------------------------------------------------


def mentor_refusal(officer: Officer, *, tier: str | None = None) -> str | None:
    """Why this officer cannot mentor (a recruit, or still being mentored), or None.

    `tier` is the tier about to be saved, when a form changes it together with the roles.
    """
    if (tier or officer.tier) == Tier.RECRUIT:
        return _("%(name)s is a recruit: a recruit cannot be a mentor.") % {"name": officer.name}
    if officer.pk and Mentorship.objects.filter(recruit=officer, status__in=OPEN_STATUSES).exists():
        return _("%(name)s is still being mentored: a recruit cannot be a mentor until 出师.") % {
            "name": officer.name
        }
    return None


# --- sign-offs contradicted later -----------------------------------------------


@dataclass(frozen=True)
class SignOffFlag:
    """A signed-off competency rated low afterwards."""

    competency_id: int
    competency_name: str
    signed_at: dt.datetime
    rating: int
    rated_on: dt.date


def signoff_flags(*, mentorship_ids: list[int]) -> dict[int, list[SignOffFlag]]:
    """Per mentorship, the signed-off competencies rated 3 or lower on a later shift (or in a
    log written after the sign-off), the lowest such rating each; two queries."""
    signoffs = {
        (s.mentorship_id, s.competency_id): s
        for s in CompetencySignOff.objects.filter(mentorship_id__in=mentorship_ids).select_related("competency")
    }
    if not signoffs:
        return {}
    low = (
        LogRating.objects.filter(
            log__mentorship_id__in=mentorship_ids, rating__lte=SIGNOFF_FLAG_AT_OR_BELOW,
            # a sign-off of the same competency in another mentorship does not count
            competency__signoffs__mentorship_id=F("log__mentorship_id"),
        )
        .values_list("log__mentorship_id", "competency_id", "rating", "log__date", "log__submitted_at")
        .order_by("rating", "log__date")
    )
    flags: dict[int, dict[int, SignOffFlag]] = {}
    for mentorship_id, competency_id, rating, date, submitted_at in low:
        signoff = signoffs.get((mentorship_id, competency_id))
        if signoff is None:
            continue
        later = date > timezone.localtime(signoff.signed_at).date() or submitted_at > signoff.signed_at
        if not later:
            continue
        flags.setdefault(mentorship_id, {}).setdefault(
            competency_id,
            SignOffFlag(competency_id, signoff.competency.name, signoff.signed_at, rating, date),
        )
    return {
        m: sorted(by_competency.values(), key=lambda f: f.competency_name)
        for m, by_competency in flags.items()
    }


def mentorship_signoff_flags(mentorship: Mentorship) -> list[SignOffFlag]:
    return signoff_flags(mentorship_ids=[mentorship.pk]).get(mentorship.pk, [])


# --- minimums before 出师 -----------------------------------------------------


def curriculum_minimums() -> CurriculumMinimums:
    """The bureau's minimums (all zero until the legal affairs unit sets them)."""
    return CurriculumMinimums.objects.order_by("pk").first() or CurriculumMinimums()


@dataclass(frozen=True)
class MinimumProgress:
    key: str  # "shifts", "hours", "weeks", "simulations"
    label: str
    done: float
    required: int

    @property
    def met(self) -> bool:
        return self.done >= self.required

    @property
    def percent(self) -> int:
        if not self.required:
            return 100
        return min(100, int(self.done * 100 / self.required))


def minimum_progress(mentorship: Mentorship, *, today: dt.date | None = None) -> list[MinimumProgress]:
    """Shifts, hours, weeks and simulated cases done against the curriculum's minimums."""
    today = today or timezone.localdate()
    minimums = curriculum_minimums()
    totals = ShadowingLog.objects.filter(mentorship=mentorship).aggregate(
        minutes=Sum("duration_minutes"),
        shifts=Count("id"),
        simulations=Count("id", filter=Q(is_simulation=True)),
    )
    end = mentorship.ended_on or today
    weeks = max(0, (end - mentorship.started_on).days) // 7
    return [
        MinimumProgress("shifts", _("Shifts"), totals["shifts"] or 0, minimums.shifts),
        MinimumProgress("hours", _("Hours"), round((totals["minutes"] or 0) / 60, 1), minimums.hours),
        MinimumProgress("weeks", _("Weeks"), weeks, minimums.weeks),
        MinimumProgress("simulations", _("Simulated cases"), totals["simulations"] or 0, minimums.simulations),
    ]


def minimums_unmet(mentorship: Mentorship) -> list[MinimumProgress]:
    return [p for p in minimum_progress(mentorship) if not p.met]


# --- remedial training ------------------------------------------------------------


def remedial_minutes(mentorship: Mentorship) -> tuple[dict[int | None, int], int]:
    """Remedial minutes per competency id (None: not tied to one) and overall."""
    per = dict(
        RemedialTraining.objects.filter(log__mentorship=mentorship)
        .values_list("competency_id")
        .annotate(total=Sum("minutes"))
        .values_list("competency_id", "total")
    )
    return per, sum(per.values())
