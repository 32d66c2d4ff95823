"""Reads for shadowing: who may see what, progress per recruit, alerts, overviews."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import (
    Count,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    Window,
)
from django.db.models.functions import Coalesce, RowNumber
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from officers.models import Officer, Unit
from officers.roles import Role, Tier

from . import permissions, readiness
from .models import (
    OPEN_STATUSES,
    RATING_ACCEPTABLE,
    Competency,
    CompetencySignOff,
    LogDraft,
    LogRating,
    LogStatus,
    MentorCapacity,
    Mentorship,
    ShadowingLog,
    SignOffEvent,
)
from .permissions import Capacity

LOW_STREAK = 3  # a competency rated below 4 this many times running raises an alert
NOT_RESPONDING_DAYS = 14  # a "not responding" flag (or a rating of 1 or 2) stays an alert this long
VERY_LOW_AT_OR_BELOW = 2  # a single rating this low is an alert on its own
UNACKNOWLEDGED_DAYS = 3  # a log the recruit has left unacknowledged longer than this is an alert


# --- access (decided in mentoring.permissions) ------------------------------


def mentorship_capacities(officer: Officer, mentorship: Mentorship) -> frozenset[Capacity]:
    """Every capacity in which the officer may see this mentorship (empty: none)."""
    return permissions.capacities(officer, mentorship)


def visible_mentorships(officer: Officer) -> QuerySet[Mentorship]:
    """The mentorships an officer may see: own (as mentor or recruit), their units', or all."""
    condition = permissions.visible_mentorships_q(officer)
    qs = Mentorship.objects.all()
    return qs if condition is None else qs.filter(condition)


def units_of(mentorships: QuerySet[Mentorship]) -> list[Unit]:
    """The recruits' units among these mentorships, for the overview's filter."""
    return list(Unit.objects.filter(officers__mentorships_as_recruit__in=mentorships).distinct().order_by("name"))


def is_involved(officer: Officer) -> bool:
    """Whether the shadowing pages concern this officer at all (for navigation)."""
    return permissions.can_open_mentoring(
        officer,
        has_mentorship=lambda: Mentorship.objects.filter(Q(recruit=officer) | Q(mentor=officer)).exists(),
    )


def log_by_form_token(*, mentorship: Mentorship, token: str) -> ShadowingLog | None:
    """The log already submitted from this form, if any (a double tap or a resend)."""
    token = (token or "")[:32]
    return ShadowingLog.objects.filter(mentorship=mentorship, form_token=token).first() if token else None


def sign_off_to_do(mentorships: QuerySet[Mentorship]) -> dict[str, list[Mentorship]]:
    """The legal affairs unit's to-do list: final sign-offs to approve, recruits to move to the officer tier."""
    rows = mentorships.select_related("mentor", "recruit__unit").order_by("final_proposed_at", "final_approved_at")
    return {
        "to_approve": list(
            rows.filter(status__in=OPEN_STATUSES, final_proposed_at__isnull=False, final_approved_at__isnull=True)
        ),
        "to_promote": list(rows.filter(final_approved_at__isnull=False, promoted_at__isnull=True)),
    }


def mentorship_for(officer: Officer, pk: int) -> tuple[Mentorship, frozenset[Capacity]]:
    """The mentorship if the officer may see it, with their capacities; 404 otherwise."""
    mentorship = (
        Mentorship.objects.select_related("mentor__unit", "recruit__unit", "assigned_by", "final_approved_by")
        .filter(pk=pk)
        .first()
    )
    if mentorship is None:
        raise Http404
    capacities = mentorship_capacities(officer, mentorship)
    if not capacities:
        raise Http404
    return mentorship, capacities


def log_for(officer: Officer, pk: int) -> tuple[ShadowingLog, frozenset[Capacity]]:
    """A shadowing log with everything its page shows, if the officer may see it; 404 otherwise."""
    log = (
        ShadowingLog.objects.select_related(
            "mentorship__mentor__unit", "mentorship__recruit__unit", "author"
        )
        .prefetch_related("activities", "remedials", "addenda__author", "ratings__competency")
        .filter(pk=pk)
        .first()
    )
    if log is None:
        raise Http404
    capacities = mentorship_capacities(officer, log.mentorship)
    if not capacities:
        raise Http404
    return log, capacities


def mentor_limit(mentor: Officer) -> int:
    capacity = MentorCapacity.objects.filter(mentor=mentor).values_list("max_recruits", flat=True).first()
    return capacity if capacity is not None else settings.MENTORING_MENTOR_LIMIT


def open_mentorship_count(mentor: Officer) -> int:
    return Mentorship.objects.filter(mentor=mentor, status__in=OPEN_STATUSES).count()


def assignable_recruits(officer: Officer) -> QuerySet[Officer]:
    """Recruits without an open mentorship whom this officer may assign."""
    qs = (
        Officer.objects.filter(is_active=True, tier=Tier.RECRUIT)
        .exclude(mentorships_as_recruit__status__in=OPEN_STATUSES)
        .select_related("unit")
        .order_by("unit__name", "police_number")
    )
    units = permissions.assign_unit_ids(officer)
    return qs if units is None else qs.filter(unit__in=units)


def mentor_loads(officer: Officer | None = None) -> QuerySet[Officer]:
    """Active mentors (in the officer's assigning scope, if given), each with `open_count`
    (recruits now) and `limit` (their own, else the bureau's default). A recruit, or an
    officer still being mentored, is never a mentor here, whatever roles they hold."""
    own_limit = MentorCapacity.objects.filter(mentor=OuterRef("pk")).values("max_recruits")[:1]
    qs = (
        Officer.objects.filter(is_active=True, groups__name=Role.MENTOR)
        .exclude(tier=Tier.RECRUIT)
        .exclude(pk__in=Mentorship.objects.filter(status__in=OPEN_STATUSES).values("recruit_id"))
        .select_related("unit")
        .annotate(
            open_count=Count("mentorships_as_mentor", filter=Q(mentorships_as_mentor__status__in=OPEN_STATUSES)),
            own_limit=Subquery(own_limit, output_field=IntegerField()),
            limit=Coalesce(Subquery(own_limit, output_field=IntegerField()), Value(settings.MENTORING_MENTOR_LIMIT)),
        )
        .order_by("unit__name", "police_number")
    )
    units = permissions.assign_unit_ids(officer) if officer is not None else None
    return qs if units is None else qs.filter(unit__in=units)


def assignable_mentors(officer: Officer) -> QuerySet[Officer]:
    """Mentors the officer may pair a recruit with: in scope and below their limit."""
    return mentor_loads(officer).filter(open_count__lt=F("limit"))


def full_mentors(officer: Officer) -> list[Officer]:
    """Mentors in scope who have reached their limit (named on the assign page, not offered)."""
    return list(mentor_loads(officer).filter(open_count__gte=F("limit")))


def active_competencies() -> list[Competency]:
    return list(Competency.objects.filter(is_active=True))


@dataclass
class TodayLog:
    """A mentor's open mentorship on the landing page: today's log, a draft, or nothing yet."""

    mentorship: Mentorship
    log: ShadowingLog | None
    has_draft: bool


def mentor_today(officer: Officer, *, today: dt.date | None = None) -> list[TodayLog]:
    """The mentor's open mentorships, each with today's log if written (three queries)."""
    today = today or timezone.localdate()
    mentorships = list(
        Mentorship.objects.filter(mentor=officer, status__in=OPEN_STATUSES).select_related("recruit")
        .order_by("recruit__police_number")
    )
    if not mentorships:
        return []
    ids = [m.pk for m in mentorships]
    logs = {}
    for log in ShadowingLog.objects.filter(mentorship_id__in=ids, date=today).order_by("start_time"):
        logs.setdefault(log.mentorship_id, log)
    drafts = set(LogDraft.objects.filter(mentorship_id__in=ids, author=officer).values_list("mentorship_id", flat=True))
    return [TodayLog(m, logs.get(m.pk), m.pk in drafts) for m in mentorships]


def log_draft(*, mentorship: Mentorship, author: Officer) -> LogDraft | None:
    return LogDraft.objects.filter(mentorship=mentorship, author=author).first()


# --- alerts ---------------------------------------------------------------


@dataclass(frozen=True)
class Alert:
    # "silent", "low", "not_responding", "very_low", "overdue", "unacknowledged", "signoff_flag"
    kind: str
    message: str


def _alerts_for(rows: list[Mentorship], *, today: dt.date) -> None:
    """Attach `.alerts` to each mentorship row, in two queries whatever the number of rows."""
    open_rows = [m for m in rows if m.status in OPEN_STATUSES]
    for m in rows:
        m.alerts = []
    if not open_rows:
        return
    ids = [m.pk for m in open_rows]
    flagged = set(
        ShadowingLog.objects.filter(
            mentorship_id__in=ids, not_responding=True,
            date__gte=today - dt.timedelta(days=NOT_RESPONDING_DAYS),
        ).values_list("mentorship_id", flat=True)
    )
    # The last three ratings of every competency of every mentorship, in one window query.
    recent = (
        LogRating.objects.filter(log__mentorship_id__in=ids, rating__isnull=False)
        .annotate(
            rn=Window(
                RowNumber(),
                partition_by=[F("log__mentorship_id"), F("competency_id")],
                order_by=[F("log__date").desc(), F("log__start_time").desc(), F("log_id").desc()],
            )
        )
        .filter(rn__lte=LOW_STREAK)
        .values_list("log__mentorship_id", "competency__name", "rating")
    )
    streaks: dict[tuple[int, str], list[int]] = defaultdict(list)
    for mentorship_id, name, rating in recent:
        streaks[(mentorship_id, name)].append(rating)
    low: dict[int, list[str]] = defaultdict(list)
    for (mentorship_id, name), ratings in streaks.items():
        if len(ratings) == LOW_STREAK and max(ratings) < RATING_ACCEPTABLE:
            low[mentorship_id].append(name)
    very_low: dict[int, list[tuple]] = defaultdict(list)
    for mentorship_id, name, rating, date in (
        LogRating.objects.filter(
            log__mentorship_id__in=ids, rating__lte=VERY_LOW_AT_OR_BELOW,
            log__date__gte=today - dt.timedelta(days=NOT_RESPONDING_DAYS),
        )
        .order_by("log__date", "competency__position")
        .values_list("log__mentorship_id", "competency__name", "rating", "log__date")
    ):
        very_low[mentorship_id].append((name, rating, date))
    stale_before = timezone.now() - dt.timedelta(days=UNACKNOWLEDGED_DAYS)
    unacknowledged = dict(
        ShadowingLog.objects.filter(mentorship_id__in=ids, status=LogStatus.SUBMITTED, submitted_at__lt=stale_before)
        .values_list("mentorship_id")
        .annotate(n=Count("id"))
        .values_list("mentorship_id", "n")
    )
    flags = readiness.signoff_flags(mentorship_ids=ids)
    silent_days = settings.MENTORING_SILENT_DAYS
    for m in open_rows:
        if m.planned_end_on < today and m.final_approved_at is None:
            m.alerts.append(Alert("overdue", _("Planned end %(date)s passed without 出师") % {
                "date": m.planned_end_on.isoformat()}))
        for name, rating, date in very_low.get(m.pk, []):
            m.alerts.append(Alert("very_low", _("%(competency)s rated %(rating)s on %(date)s") % {
                "competency": name, "rating": rating, "date": date.strftime("%m-%d")}))
        if count := unacknowledged.get(m.pk):
            m.alerts.append(Alert("unacknowledged", _(
                "%(count)s log(s) unacknowledged for more than %(days)s days") % {
                "count": count, "days": UNACKNOWLEDGED_DAYS}))
        for flag in flags.get(m.pk, []):
            m.alerts.append(Alert("signoff_flag", _(
                "%(competency)s was signed off on %(signed)s but rated %(rating)s on %(date)s") % {
                "competency": flag.competency_name, "rating": flag.rating, "date": flag.rated_on.strftime("%m-%d"),
                "signed": timezone.localtime(flag.signed_at).strftime("%m-%d")}))
        since = m.last_log_on or m.started_on
        days = (today - since).days
        if days >= silent_days:
            m.alerts.append(Alert("silent", _("No log for %(days)s days") % {"days": days}))
        for name in sorted(low.get(m.pk, [])):
            m.alerts.append(
                Alert("low", _("%(competency)s rated below 4 three times running") % {"competency": name})
            )
        if m.pk in flagged:
            m.alerts.append(Alert("not_responding", _("Marked as not responding to training")))


def mentorship_rows(qs: QuerySet[Mentorship], *, today: dt.date | None = None) -> list[Mentorship]:
    """Mentorships for a list, each with shifts, hours, last log, sign-offs and alerts.

    A fixed number of queries, however many rows.
    """
    today = today or timezone.localdate()
    logs = ShadowingLog.objects.filter(mentorship=OuterRef("pk")).order_by().values("mentorship")
    signoffs = CompetencySignOff.objects.filter(
        mentorship=OuterRef("pk"), competency__is_active=True
    ).order_by().values("mentorship")
    rows = list(
        qs.select_related("mentor__unit", "recruit__unit")
        .annotate(
            shift_count=Coalesce(Subquery(logs.annotate(n=Count("id")).values("n"), output_field=IntegerField()), 0),
            minutes=Coalesce(Subquery(logs.annotate(n=Sum("duration_minutes")).values("n"), output_field=IntegerField()), 0),
            unacknowledged=Coalesce(
                Subquery(
                    logs.filter(status=LogStatus.SUBMITTED).annotate(n=Count("id")).values("n"),
                    output_field=IntegerField(),
                ),
                0,
            ),
            last_log_on=Subquery(
                ShadowingLog.objects.filter(mentorship=OuterRef("pk")).order_by("-date").values("date")[:1]
            ),
            signed_count=Coalesce(Subquery(signoffs.annotate(n=Count("id")).values("n"), output_field=IntegerField()), 0),
        )
        .order_by("recruit__unit__name", "recruit__police_number", "-started_on")
    )
    total = Competency.objects.filter(is_active=True).count()
    for m in rows:
        m.competency_total = total
        m.hours = round(m.minutes / 60, 1)
    _alerts_for(rows, today=today)
    return rows


def alerts_for_mentorship(mentorship: Mentorship, *, today: dt.date | None = None) -> list[Alert]:
    row = mentorship_rows(Mentorship.objects.filter(pk=mentorship.pk), today=today)
    return row[0].alerts if row else []


# --- progress -------------------------------------------------------------


@dataclass
class CompetencyProgress:
    competency: Competency
    ratings: list[tuple[dt.date, int]] = field(default_factory=list)  # rated, oldest first
    practised: int = 0  # includes "not observed"
    signoff: CompetencySignOff | None = None

    @property
    def latest(self) -> int | None:
        return self.ratings[-1][1] if self.ratings else None

    @property
    def average(self) -> float | None:
        return sum(r for _d, r in self.ratings) / len(self.ratings) if self.ratings else None

    @property
    def trend(self) -> str:
        """"up", "down", "steady" or "" (too few ratings): the last three against the three before."""
        values = [r for _d, r in self.ratings]
        if len(values) < 2:
            return ""
        recent = values[-3:]
        before = values[-6:-3] or values[:1]
        change = sum(recent) / len(recent) - sum(before) / len(before)
        if change >= 0.5:
            return "up"
        if change <= -0.5:
            return "down"
        return "steady"

    @property
    def can_sign_off(self) -> bool:
        return self.signoff is None and self.latest is not None and self.latest >= RATING_ACCEPTABLE


@dataclass
class Progress:
    mentorship: Mentorship
    shift_count: int
    minutes: int
    simulation_count: int
    competencies: list[CompetencyProgress]
    shift_averages: list[tuple[dt.date, float]]  # per shift with ratings, oldest first
    logs: list[ShadowingLog]

    @property
    def hours(self) -> float:
        return round(self.minutes / 60, 1)

    @property
    def signed_count(self) -> int:
        return sum(1 for c in self.competencies if c.signoff)

    @property
    def all_signed(self) -> bool:
        return bool(self.competencies) and all(c.signoff for c in self.competencies)


def mentorship_progress(*, mentorship: Mentorship) -> Progress:
    """A recruit's progress under one mentorship, in a fixed number of queries."""
    competencies = active_competencies()
    by_id = {c.pk: CompetencyProgress(c) for c in competencies}
    for signoff in CompetencySignOff.objects.filter(mentorship=mentorship).select_related("signed_by"):
        if signoff.competency_id in by_id:
            by_id[signoff.competency_id].signoff = signoff
    logs = list(
        ShadowingLog.objects.filter(mentorship=mentorship)
        .only("id", "date", "start_time", "end_time", "duration_minutes", "is_simulation",
              "not_responding", "status", "version", "mentorship_id")
        .order_by("-date", "-start_time", "-id")
    )
    per_shift: dict[int, list[int]] = defaultdict(list)
    shift_dates = {}
    rows = (
        LogRating.objects.filter(log__mentorship=mentorship)
        .order_by("log__date", "log__start_time", "log_id")
        .values_list("log_id", "log__date", "competency_id", "rating")
    )
    for log_id, date, competency_id, rating in rows:
        progress = by_id.get(competency_id)
        if progress is None:
            continue
        progress.practised += 1
        if rating is not None:
            progress.ratings.append((date, rating))
            per_shift[log_id].append(rating)
            shift_dates[log_id] = date
    shift_averages = [
        (shift_dates[log_id], sum(values) / len(values)) for log_id, values in per_shift.items()
    ]
    return Progress(
        mentorship=mentorship,
        shift_count=len(logs),
        minutes=sum(log.duration_minutes for log in logs),
        simulation_count=sum(1 for log in logs if log.is_simulation),
        competencies=list(by_id.values()),
        shift_averages=shift_averages,
        logs=logs,
    )


def signoff_events(*, mentorship: Mentorship) -> list[SignOffEvent]:
    """Sign-offs taken back, newest first, with who did it and why."""
    return list(SignOffEvent.objects.filter(mentorship=mentorship).select_related("by", "competency"))


def record_context(*, mentorship: Mentorship) -> dict:
    """Everything the training record PDF prints: every log (with its versions and
    objections), the totals, the incidents and cases, the sign-off history and the approval."""
    from .models import ActivityKind, LogActivity, RemedialTraining

    progress = mentorship_progress(mentorship=mentorship)
    logs = record_logs(mentorship=mentorship)
    remedial_minutes = (
        RemedialTraining.objects.filter(log__mentorship=mentorship).aggregate(n=Sum("minutes"))["n"] or 0
    )
    by_kind = dict(
        LogActivity.objects.filter(log__mentorship=mentorship).order_by().values_list("kind").annotate(n=Count("id"))
    )
    activity_totals = [(label, by_kind[value]) for value, label in ActivityKind.choices if by_kind.get(value)]
    signoffs = list(
        CompetencySignOff.objects.filter(mentorship=mentorship).select_related("competency", "signed_by")
        .order_by("signed_at", "id")
    )
    history = [(s.signed_at, _("%(competency)s signed off") % {"competency": s.competency.name}, s.signed_by, "")
               for s in signoffs]
    for event in signoff_events(mentorship=mentorship):
        what = event.get_kind_display()
        if event.competency:
            what = f"{event.competency.name}：{what}"
        history.append((event.at, what, event.by, event.reason))
    if mentorship.final_proposed_at:
        history.append((mentorship.final_proposed_at, _("Final sign-off proposed"), mentorship.mentor, ""))
    if mentorship.final_approved_at:
        history.append((mentorship.final_approved_at, _("Final sign-off approved"), mentorship.final_approved_by, ""))
    history.sort(key=lambda row: row[0])
    return {
        "mentorship": mentorship,
        "progress": progress,
        "logs": logs,
        "totals": {
            "shifts": progress.shift_count,
            "hours": progress.hours,
            "remedial_minutes": remedial_minutes,
            "not_responding": sum(1 for row in logs if row.log.not_responding),
            "simulations": progress.simulation_count,
            "activities": sum(by_kind.values()),
            "unacknowledged": sum(1 for row in logs if row.log.status == LogStatus.SUBMITTED),
            "acknowledged": sum(1 for row in logs if row.log.status == LogStatus.ACKNOWLEDGED),
            "corrected": sum(1 for row in logs if len(row.versions) > 1),
            "objections": sum(len(row.objections) for row in logs),
        },
        "activity_totals": activity_totals,
        "signoff_history": history,
        "signoff_events": signoff_events(mentorship=mentorship),
    }


# --- the record: versions, objections, the training record ---------------------


@dataclass
class VersionRow:
    """One version of a log, with what it changed from the one before."""

    number: int
    author: Officer
    created_at: dt.datetime
    changes: list  # versions.Change


def log_history(*, log: ShadowingLog) -> list[VersionRow]:
    """The versions of a log, oldest first; the first has no changes (it is the log as submitted)."""
    from .models import LogVersion
    from .versions import content_changes

    rows, previous = [], None
    for version in LogVersion.objects.filter(log=log).select_related("author").order_by("number"):
        changes = content_changes(previous, version.content) if previous is not None else []
        rows.append(VersionRow(version.number, version.author, version.created_at, changes))
        previous = version.content
    return rows


def changes_between(*, log: ShadowingLog, since: int) -> list:
    """What changed in a log from version `since` to the current one (empty if unknown)."""
    from .models import LogVersion
    from .versions import content_changes, log_content

    before = LogVersion.objects.filter(log=log, number=since).values_list("content", flat=True).first()
    return content_changes(before, log_content(log)) if before is not None else []


def log_objections(*, log: ShadowingLog) -> list:
    from .models import LogObjection

    return list(LogObjection.objects.filter(log=log).select_related("raised_by", "answered_by"))


def record_state_key(*, mentorship: Mentorship) -> str:
    """A short key of everything the training record prints: it changes whenever the record does.

    The PDF is kept under this key (and rendered once per key by the task worker);
    counts catch deletions, the latest timestamps catch edits.
    """
    import hashlib

    from django.db.models import Max

    from .models import LogAddendum, LogObjection, LogVersion

    m = Mentorship.objects.filter(pk=mentorship.pk).values(
        "status", "planned_end_on", "ended_on", "end_reason", "final_proposed_at", "final_approved_at",
        "final_approved_by", "final_opinion", "unacknowledged_reason", "promoted_at", "mentor", "recruit",
    ).first()
    logs = ShadowingLog.objects.filter(mentorship=mentorship).aggregate(
        n=Count("id"), v=Sum("version"), u=Max("updated_at"), a=Max("acknowledged_at"),
        ack=Count("id", filter=Q(status=LogStatus.ACKNOWLEDGED)),
    )
    parts = [
        m, logs,
        LogVersion.objects.filter(log__mentorship=mentorship).aggregate(n=Count("id"), t=Max("created_at")),
        LogObjection.objects.filter(log__mentorship=mentorship).aggregate(
            n=Count("id"), t=Max("raised_at"), a=Max("answered_at"), c=Count("answered_at")
        ),
        LogAddendum.objects.filter(log__mentorship=mentorship).aggregate(n=Count("id"), t=Max("created_at")),
        CompetencySignOff.objects.filter(mentorship=mentorship).aggregate(n=Count("id"), t=Max("signed_at")),
        SignOffEvent.objects.filter(mentorship=mentorship).aggregate(n=Count("id"), t=Max("at")),
        list(Competency.objects.order_by("id").values_list("id", "name", "position", "is_active")),
        Officer.objects.filter(pk__in=[mentorship.mentor_id, mentorship.recruit_id]).values_list("name", "unit__name"),
        # the layout itself: a new template prints differently
        RECORD_LAYOUT_VERSION,
    ]
    return hashlib.sha256(repr([list(p) if isinstance(p, QuerySet) else p for p in parts]).encode()).hexdigest()[:32]


RECORD_LAYOUT_VERSION = 3  # raise when templates/mentoring/pdf/record.html changes what it prints


@dataclass
class RecordLog:
    """One log as the training record prints it."""

    log: ShadowingLog
    versions: list[VersionRow]
    objections: list


def record_logs(*, mentorship: Mentorship) -> list[RecordLog]:
    """Every log of the mentorship, oldest first, with its children, versions and objections,
    in a fixed number of queries."""
    from .models import LogObjection, LogVersion
    from .versions import content_changes

    logs = list(
        ShadowingLog.objects.filter(mentorship=mentorship)
        .select_related("author")
        .prefetch_related("activities", "remedials", "addenda__author", "ratings__competency")
        .order_by("date", "start_time", "id")
    )
    versions: dict[int, list] = defaultdict(list)
    for v in LogVersion.objects.filter(log__mentorship=mentorship).select_related("author").order_by("log_id", "number"):
        versions[v.log_id].append(v)
    objections: dict[int, list] = defaultdict(list)
    for o in LogObjection.objects.filter(log__mentorship=mentorship).select_related("raised_by", "answered_by"):
        objections[o.log_id].append(o)
    rows = []
    for log in logs:
        history, previous = [], None
        for v in versions.get(log.pk, []):
            history.append(VersionRow(v.number, v.author, v.created_at,
                                      content_changes(previous, v.content) if previous is not None else []))
            previous = v.content
        rows.append(RecordLog(log, history, objections.get(log.pk, [])))
    return rows


def unacknowledged_logs(*, mentorship: Mentorship) -> list[ShadowingLog]:
    """Logs the recruit has not acknowledged, oldest first (shown before 出师 is approved)."""
    return list(
        ShadowingLog.objects.filter(mentorship=mentorship, status=LogStatus.SUBMITTED).order_by("date", "start_time")
    )


def recent_form_tokens(*, mentorship: Mentorship, count: int = 10) -> list[str]:
    """The form tokens of the latest logs: a copy of the form kept on the mentor's device
    under one of these was sent already and is not brought back."""
    return [
        t for t in ShadowingLog.objects.filter(mentorship=mentorship).order_by("-submitted_at", "-id")
        .values_list("form_token", flat=True)[:count] if t
    ]
