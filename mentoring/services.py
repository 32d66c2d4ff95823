"""Writes for shadowing: assignment, logs, acknowledgement, addenda, drafts, sign-off."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from officers.models import Officer
from officers.roles import Role, Tier

from . import notify, permissions
from .models import (
    COMMENT_ABOVE,
    COMMENT_BELOW,
    OPEN_STATUSES,
    RATING_ACCEPTABLE,
    RATING_MAX,
    RATING_MIN,
    Competency,
    CompetencySignOff,
    CurriculumMinimums,
    LogActivity,
    LogAddendum,
    LogDraft,
    LogObjection,
    LogRating,
    LogStatus,
    LogVersion,
    MentorCapacity,
    MentorEvaluation,
    Mentorship,
    MentorshipStatus,
    RemedialTraining,
    ShadowingLog,
    SignOffEvent,
    SignOffEventKind,
)
from .readiness import mentor_refusal, mentorship_signoff_flags, minimums_unmet
from .selectors import mentor_limit
from .versions import Change, content_changes, log_content

# --- mentorships ----------------------------------------------------------


def add_months(day: dt.date, months: int) -> dt.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def default_planned_end(started_on: dt.date) -> dt.date:
    return add_months(started_on, settings.MENTORING_PLANNED_MONTHS)


# A mentorship's dates (start, planned end, extension) lie within this many years of
# today: 0001-01-01 or 9999-12-31 is a typing slip, and date arithmetic overflows there.
DATE_RANGE_YEARS = 10
REASON_MAX = 1000  # a written reason (withdrawal, return); forms.REASON_MAX matches it


def date_range_error(day: dt.date, *, today: dt.date | None = None) -> str | None:
    """Why a mentorship date is impossible (more than DATE_RANGE_YEARS from today), or None."""
    today = today or timezone.localdate()
    earliest = today.replace(year=today.year - DATE_RANGE_YEARS, day=min(today.day, 28))
    latest = today.replace(year=today.year + DATE_RANGE_YEARS, day=min(today.day, 28))
    if earliest <= day <= latest:
        return None
    return _("Choose a date between %(earliest)s and %(latest)s (within %(years)s years of today).") % {
        "earliest": earliest.isoformat(), "latest": latest.isoformat(), "years": DATE_RANGE_YEARS,
    }


def _check_dates(**days: dt.date | None) -> None:
    errors = {name: [message] for name, day in days.items() if day and (message := date_range_error(day))}
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def mentorship_assign(
    *,
    recruit: Officer,
    mentor: Officer,
    assigned_by: Officer,
    started_on: dt.date,
    planned_end_on: dt.date | None = None,
) -> Mentorship:
    """Pair a recruit with a mentor; one open mentorship per recruit, the mentor's limit held.

    The mentor's row is locked first so that two assignments at once cannot both
    take the mentor's last place (SQLite serialises writers with IMMEDIATE transactions).
    """
    if not permissions.can_assign(assigned_by) or not permissions.can_assign_for(assigned_by, recruit):
        raise PermissionDenied
    _check_dates(started_on=started_on, planned_end_on=planned_end_on)
    mentor = Officer.objects.select_for_update().get(pk=mentor.pk)
    if recruit.tier != Tier.RECRUIT:
        raise ValidationError({"recruit": _("Only a recruit can be assigned a mentor.")})
    if not mentor.has_role(Role.MENTOR):
        raise ValidationError({"mentor": _("This officer is not a mentor.")})
    if refusal := mentor_refusal(mentor):
        raise ValidationError({"mentor": refusal})
    limit = mentor_limit(mentor)
    taken = Mentorship.objects.filter(mentor=mentor, status__in=OPEN_STATUSES).count()
    if taken >= limit:
        raise ValidationError(
            {"mentor": _("%(name)s already has %(count)s recruits, the most allowed.")
             % {"name": mentor.name, "count": taken}}
        )
    mentorship = Mentorship(
        recruit=recruit,
        mentor=mentor,
        assigned_by=assigned_by,
        started_on=started_on,
        planned_end_on=planned_end_on or default_planned_end(started_on),
    )
    mentorship.full_clean()
    try:
        with transaction.atomic():
            mentorship.save()
    except IntegrityError as error:  # a concurrent assignment won the race
        raise ValidationError({"recruit": _("This recruit already has an active mentorship.")}) from error
    return mentorship




def _require_open(mentorship: Mentorship) -> None:
    if not mentorship.is_open:
        raise ValidationError(_("This mentorship has ended."))


@transaction.atomic
def mentorship_extend(*, mentorship: Mentorship, by: Officer, planned_end_on: dt.date) -> Mentorship:
    """Give the recruit more time: a later planned end, status extended."""
    if not permissions.can_extend(by, mentorship):
        raise PermissionDenied
    _require_open(mentorship)
    _check_dates(planned_end_on=planned_end_on)
    if planned_end_on <= mentorship.planned_end_on:
        raise ValidationError({"planned_end_on": _("The new end must be after the planned end.")})
    mentorship.planned_end_on = planned_end_on
    mentorship.status = MentorshipStatus.EXTENDED
    mentorship.full_clean()
    mentorship.save(update_fields=["planned_end_on", "status"])
    return mentorship


@transaction.atomic
def mentorship_end_early(*, mentorship: Mentorship, by: Officer, reason: str) -> Mentorship:
    """End a mentorship before sign-off; the reason is required and kept."""
    if not permissions.can_end(by, mentorship):
        raise PermissionDenied
    _require_open(mentorship)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the mentorship ends early.")})
    mentorship.status = MentorshipStatus.ENDED_EARLY
    mentorship.end_reason = reason.strip()
    mentorship.ended_on = timezone.localdate()
    mentorship.full_clean()
    mentorship.save(update_fields=["status", "end_reason", "ended_on"])
    return mentorship


# --- shift logs -----------------------------------------------------------


@dataclass
class ActivityEntry:
    kind: str
    part: str
    case_number: str = ""
    summary: str = ""


@dataclass
class RatingEntry:
    rating: int | None  # None: practised but not observed
    comment: str = ""


@dataclass
class LogEntry:
    """What the mentor filled in for one shift."""

    date: dt.date
    start_time: dt.time
    end_time: dt.time
    best: str
    worst: str
    next_plan: str
    is_simulation: bool = False
    not_responding: bool = False
    activities: list[ActivityEntry] = field(default_factory=list)
    ratings: dict[int, RatingEntry] = field(default_factory=dict)  # competency id → rating
    # (topic, minutes) or (topic, minutes, competency id or None)
    remedials: list[tuple] = field(default_factory=list)
    long_shift_confirmed: bool = False  # the mentor confirmed a shift over LONG_SHIFT_MINUTES
    form_token: str = ""  # the form's one-time token (see ShadowingLog.form_token)


def shift_minutes(start: dt.time, end: dt.time) -> int:
    """Minutes between start and end; a night shift may end after midnight."""
    minutes = (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)
    return minutes if minutes > 0 else minutes + 24 * 60


# A shift longer than this is usually a typing slip (17:00–08:00 for 08:00–17:00):
# the mentor confirms it before it is saved.
LONG_SHIFT_MINUTES = 12 * 60


def long_shift_error(entry: LogEntry) -> str | None:
    """The question a shift over 12 hours must answer before it is saved, or None."""
    minutes = shift_minutes(entry.start_time, entry.end_time)
    if minutes <= LONG_SHIFT_MINUTES or entry.long_shift_confirmed:
        return None
    overnight = entry.end_time <= entry.start_time
    return _(
        "This shift lasts %(hours)s hours (%(start)s to %(next_day)s%(end)s). Check the times; "
        "if it really was that long, tick the confirmation and submit again."
    ) % {
        "hours": round(minutes / 60, 1),
        "start": entry.start_time.strftime("%H:%M"),
        "end": entry.end_time.strftime("%H:%M"),
        "next_day": _("the next day ") if overnight else "",
    }


def rating_needs_comment(rating: int | None) -> bool:
    return rating is not None and (rating < COMMENT_BELOW or rating > COMMENT_ABOVE)


def shift_span(date: dt.date, start: dt.time, end: dt.time) -> tuple[dt.datetime, dt.datetime]:
    """A shift as a time span; a night shift ends on the next day."""
    begins = dt.datetime.combine(date, start)
    return begins, begins + dt.timedelta(minutes=shift_minutes(start, end))


def overlapping_log(*, mentorship: Mentorship, entry: LogEntry, exclude_log_id: int | None = None) -> ShadowingLog | None:
    """Another log of this mentorship whose shift overlaps the entry's: the same hours counted twice."""
    begins, ends = shift_span(entry.date, entry.start_time, entry.end_time)
    nearby = ShadowingLog.objects.filter(
        mentorship=mentorship, date__range=(entry.date - dt.timedelta(days=1), entry.date + dt.timedelta(days=1))
    ).exclude(pk=exclude_log_id)
    for log in nearby.order_by("date", "start_time"):
        other_begins, other_ends = shift_span(log.date, log.start_time, log.end_time)
        if begins < other_ends and other_begins < ends:
            return log
    return None


def log_entry_errors(
    *, mentorship: Mentorship, entry: LogEntry, exclude_log_id: int | None = None
) -> dict[str, list[str]]:
    """The rules a log must meet, keyed by field ("rating_<id>" for a competency)."""
    errors: dict[str, list[str]] = {}
    if entry.date > timezone.localdate():
        errors["date"] = [_("The shift cannot be in the future.")]
    elif entry.date < mentorship.started_on:
        errors["date"] = [_("The shift is before the mentorship started.")]
    if entry.start_time == entry.end_time:
        errors["end_time"] = [_("The shift must end after it starts.")]
    elif long_error := long_shift_error(entry):
        errors["long_shift_confirmed"] = [long_error]
    elif "date" not in errors and (
        other := overlapping_log(mentorship=mentorship, entry=entry, exclude_log_id=exclude_log_id)
    ):
        errors["start_time"] = [
            _("This shift overlaps the log of %(date)s %(start)s–%(end)s: correct that log instead of adding another.")
            % {
                "date": other.date.isoformat(),
                "start": other.start_time.strftime("%H:%M"),
                "end": other.end_time.strftime("%H:%M"),
            }
        ]
    active = set(Competency.objects.filter(is_active=True).values_list("id", flat=True))
    for competency_id, rated in entry.ratings.items():
        if competency_id not in active:
            errors[f"rating_{competency_id}"] = [_("This competency is not in the curriculum.")]
        elif rated.rating is not None and not RATING_MIN <= rated.rating <= RATING_MAX:
            errors[f"rating_{competency_id}"] = [_("Ratings run from 1 to 7.")]
        elif rating_needs_comment(rated.rating) and not rated.comment.strip():
            errors[f"comment_{competency_id}"] = [
                _("A rating below 3 or above 6 needs a comment saying what you saw.")
            ]
    if not entry.ratings:
        errors["__all__"] = [_("Rate at least one competency practised on the shift.")]
    for field_name in ("best", "worst", "next_plan"):
        if not getattr(entry, field_name).strip():
            errors[field_name] = [_("This field is required.")]
    return errors


def _write_children(log: ShadowingLog, entry: LogEntry) -> None:
    LogActivity.objects.bulk_create(
        [
            LogActivity(log=log, kind=a.kind, part=a.part, case_number=a.case_number.strip(), summary=a.summary.strip())
            for a in entry.activities
        ]
    )
    LogRating.objects.bulk_create(
        [
            LogRating(log=log, competency_id=cid, rating=r.rating, comment=r.comment.strip())
            for cid, r in entry.ratings.items()
        ]
    )
    RemedialTraining.objects.bulk_create(
        [
            RemedialTraining(log=log, topic=topic.strip(), minutes=minutes, competency_id=(rest or [None])[0])
            for topic, minutes, *rest in entry.remedials
        ]
    )


def _fill(log: ShadowingLog, entry: LogEntry) -> None:
    log.date, log.start_time, log.end_time = entry.date, entry.start_time, entry.end_time
    log.duration_minutes = shift_minutes(entry.start_time, entry.end_time)
    log.is_simulation, log.not_responding = entry.is_simulation, entry.not_responding
    log.best, log.worst, log.next_plan = entry.best.strip(), entry.worst.strip(), entry.next_plan.strip()


@transaction.atomic
def shadowing_log_submit(*, mentorship: Mentorship, author: Officer, entry: LogEntry) -> ShadowingLog:
    """The mentor submits a shift's log; the recruit then reads and acknowledges it."""
    if not permissions.can_log(author, mentorship):
        raise PermissionDenied
    _require_open(mentorship)
    token = (entry.form_token or "")[:32]
    if token and (done := ShadowingLog.objects.filter(mentorship=mentorship, form_token=token).first()):
        return done  # the same form sent twice: the first submit recorded it
    errors = log_entry_errors(mentorship=mentorship, entry=entry)
    if errors:
        raise ValidationError(errors)
    log = ShadowingLog(mentorship=mentorship, author=author, form_token=token)
    _fill(log, entry)
    log.full_clean()
    try:
        with transaction.atomic():
            log.save()
    except IntegrityError:  # two sends of the same form at the same moment
        return ShadowingLog.objects.get(mentorship=mentorship, form_token=token)
    _write_children(log, entry)
    LogVersion.objects.create(log=log, number=1, author=author, created_at=log.submitted_at, content=log_content(log))
    LogDraft.objects.filter(mentorship=mentorship, author=author).delete()
    return log


class StaleLogVersion(ValidationError):
    """The page showed an older version of the log than the one stored; `changes` says what differs."""

    def __init__(self, message: str, *, current: int, changes: list[Change]):
        super().__init__(message)
        self.current = current
        self.changes = changes


def _locked_message(log: ShadowingLog) -> str:
    if not log.mentorship.is_open:
        return _("The mentorship is closed (出师 approved or ended): its logs are locked; add an addendum instead.")
    return _("This log is acknowledged and locked: add an addendum instead.")


def log_version_content(log: ShadowingLog, number: int) -> dict | None:
    """The content of one stored version (None for a log older than versions)."""
    return LogVersion.objects.filter(log=log, number=number).values_list("content", flat=True).first()


def _changes_since(log: ShadowingLog, number: int) -> list[Change]:
    before = log_version_content(log, number)
    return content_changes(before, log_content(log)) if before is not None else []


@transaction.atomic
def shadowing_log_update(
    *, log: ShadowingLog, author: Officer, entry: LogEntry, base_version: int | None = None
) -> ShadowingLog:
    """The mentor corrects a log the recruit has not yet acknowledged; each change is a new version.

    `base_version` is the version the form was opened on: a correction made on an
    older version (another device saved one since) is refused, showing the changes.
    """
    log = ShadowingLog.objects.select_for_update().select_related("mentorship").get(pk=log.pk)
    if not permissions.can_edit_log(author, log):
        raise PermissionDenied
    if log.is_locked:
        raise ValidationError(_locked_message(log))
    if base_version is not None and base_version != log.version:
        raise StaleLogVersion(
            _("This log was corrected (version %(current)s) after you opened version %(shown)s: "
              "check the changes below, your text is kept in the form.") % {"current": log.version, "shown": base_version},
            current=log.version, changes=_changes_since(log, base_version),
        )
    errors = log_entry_errors(mentorship=log.mentorship, entry=entry, exclude_log_id=log.pk)
    if errors:
        raise ValidationError(errors)
    before = log_content(log)
    if not LogVersion.objects.filter(log=log).exists():  # a log from before versions: keep what it said
        LogVersion.objects.create(log=log, number=log.version, author=log.author, created_at=log.updated_at, content=before)
    _fill(log, entry)
    log.full_clean()
    log.activities.all().delete()
    log.ratings.all().delete()
    log.remedials.all().delete()
    _write_children(log, entry)
    after = log_content(log)
    if after == before:  # saved without a change: no new version for the recruit to read
        log.save()
        return log
    log.version += 1
    log.updated_at = timezone.now()
    log.save()
    LogVersion.objects.create(log=log, number=log.version, author=author, created_at=log.updated_at, content=after)
    notify.log_corrected(log=log, by=author)
    return log


@transaction.atomic
def shadowing_log_acknowledge(
    *, log: ShadowingLog, recruit: Officer, version: int | None, comment: str = ""
) -> ShadowingLog:
    """The recruit has read this version of the log; from now on it is locked.

    `version` is the version the page showed: acknowledging one the mentor has
    corrected since is refused (StaleLogVersion, with the changes), so what is
    acknowledged is exactly what is stored.
    """
    log = ShadowingLog.objects.select_for_update().select_related("mentorship").get(pk=log.pk)
    if not permissions.can_acknowledge(recruit, log):
        raise PermissionDenied
    if log.is_acknowledged:
        raise ValidationError(_("This log is already acknowledged."))
    if log.is_locked:
        raise ValidationError(_locked_message(log))
    if version != log.version:
        raise StaleLogVersion(
            _("The mentor corrected this log after you opened it: read the changes below and acknowledge again."),
            current=log.version, changes=_changes_since(log, version) if version else [],
        )
    log.status = LogStatus.ACKNOWLEDGED
    log.acknowledged_at = timezone.now()
    log.acknowledged_version = log.version
    log.recruit_read_version = log.version
    log.recruit_comment = comment.strip()
    log.save(update_fields=["status", "acknowledged_at", "acknowledged_version", "recruit_read_version", "recruit_comment"])
    return log


def log_mark_read(*, log: ShadowingLog, officer: Officer) -> int:
    """The recruit opened the log: remember the version read; returns the one read before."""
    before = log.recruit_read_version
    if officer.pk == log.mentorship.recruit_id and before < log.version:
        ShadowingLog.objects.filter(pk=log.pk, recruit_read_version__lt=log.version).update(
            recruit_read_version=log.version
        )
    return before


OBJECTION_MAX = 2000  # an objection's reason and the mentor's answer


def _objection_text(text: str, field: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError({field: _("This field is required.")})
    if len(text) > OBJECTION_MAX:
        raise ValidationError({field: _("The text is %(length)s characters long; at most %(limit)s are allowed.")
                               % {"length": len(text), "limit": OBJECTION_MAX}})
    return text


@transaction.atomic
def log_objection_raise(*, log: ShadowingLog, recruit: Officer, reason: str) -> LogObjection:
    """The recruit objects to a log (提出异议), saying why; the mentor is to answer."""
    log = ShadowingLog.objects.select_for_update().select_related("mentorship").get(pk=log.pk)
    if not permissions.can_object(recruit, log):
        raise PermissionDenied
    objection = LogObjection(log=log, raised_by=recruit, log_version=log.version, reason=_objection_text(reason, "reason"))
    objection.full_clean()
    objection.save()
    return objection


@transaction.atomic
def log_objection_answer(*, objection: LogObjection, by: Officer, answer: str) -> LogObjection:
    """The mentor answers an objection, once; the thread stays with the log and in the record."""
    objection = LogObjection.objects.select_for_update().select_related("log__mentorship").get(pk=objection.pk)
    if not permissions.can_answer_objection(by, objection.log):
        raise PermissionDenied
    if objection.answered_at is not None:
        raise ValidationError(_("This objection has already been answered."))
    objection.answer = _objection_text(answer, "answer")
    objection.answered_by = by
    objection.answered_at = timezone.now()
    objection.full_clean()
    objection.save(update_fields=["answer", "answered_by", "answered_at"])
    return objection


@transaction.atomic
def log_addendum_add(*, log: ShadowingLog, author: Officer, text: str) -> LogAddendum:
    """A correction to an acknowledged log, by its mentor or recruit, signed and dated."""
    log = ShadowingLog.objects.select_for_update().select_related("mentorship").get(pk=log.pk)
    if not permissions.can_add_addendum(author, log):
        raise PermissionDenied
    if not log.is_locked:
        raise ValidationError(_("The log is not locked yet: the mentor can still correct it."))
    addendum = LogAddendum(log=log, author=author, text=text.strip())
    addendum.full_clean()
    addendum.save()
    return addendum


class DraftConflict(Exception):
    """The draft was saved from another device since this page last saved it: `draft` is that save."""

    def __init__(self, draft: LogDraft):
        super().__init__("draft conflict")
        self.draft = draft


DRAFT_META_KEYS = {"csrfmiddlewaretoken", "draft_revision"}


def log_draft_save(
    *, mentorship: Mentorship, author: Officer, data: dict, revision: int | None = None
) -> LogDraft | None:
    """Keep the log form as typed so far (called as the mentor types).

    A save that arrives after its form was submitted (the page's last autosave,
    sent as it unloads) is ignored: it would bring the sent log back as a draft.

    `revision` is the draft revision the page last saw (0: none yet). The save
    lands only if the stored draft is still at that revision (a conditional
    UPDATE, as test answers are saved); otherwise another device saved in
    between and DraftConflict carries its text, so neither is overwritten
    unseen. The same save arriving twice (a retry whose first try landed) is
    not a conflict. Without `revision` (the form's own "save draft" button,
    which the mentor sees) the save simply wins.
    """
    if not permissions.can_log(author, mentorship):
        raise PermissionDenied
    token = str(data.get("form_token", ""))[:32]
    if token and ShadowingLog.objects.filter(mentorship=mentorship, form_token=token).exists():
        return None
    clean = {str(k)[:60]: str(v)[:4000] for k, v in data.items() if k not in DRAFT_META_KEYS}
    now = timezone.now()
    with transaction.atomic():
        current = LogDraft.objects.select_for_update().filter(mentorship=mentorship, author=author).first()
        if current is None:
            if revision:  # the draft this page saved is gone: submitted or discarded elsewhere
                conflict = LogDraft(mentorship=mentorship, author=author, data={}, revision=0, updated_at=now)
                raise DraftConflict(conflict)
            try:
                with transaction.atomic():
                    return LogDraft.objects.create(
                        mentorship=mentorship, author=author, data=clean, updated_at=now, revision=1
                    )
            except IntegrityError:  # another device created it at the same moment
                current = LogDraft.objects.get(mentorship=mentorship, author=author)
                if revision is not None:
                    raise DraftConflict(current) from None
        if revision is not None and current.revision != revision:
            if current.data == clean:
                return current
            raise DraftConflict(current)
        updated = LogDraft.objects.filter(pk=current.pk, revision=current.revision).update(
            data=clean, updated_at=now, revision=current.revision + 1
        )
        if not updated:  # pragma: no cover - the row lock above makes this a safeguard only
            raise DraftConflict(LogDraft.objects.get(pk=current.pk))
        current.data, current.updated_at, current.revision = clean, now, current.revision + 1
        return current


def log_draft_discard(*, mentorship: Mentorship, author: Officer) -> None:
    LogDraft.objects.filter(mentorship=mentorship, author=author).delete()


# --- sign-off -------------------------------------------------------------


@transaction.atomic
def competency_sign_off(*, mentorship: Mentorship, competency: Competency, by: Officer) -> CompetencySignOff:
    """The mentor declares the recruit meets a competency: its latest rating must be 4 or more."""
    if not permissions.can_sign_off(by, mentorship):
        raise PermissionDenied
    _require_open(mentorship)
    latest = (
        LogRating.objects.filter(log__mentorship=mentorship, competency=competency, rating__isnull=False)
        .order_by("-log__date", "-log__start_time", "-log_id")
        .values_list("rating", flat=True)
        .first()
    )
    if latest is None or latest < RATING_ACCEPTABLE:
        raise ValidationError(
            _("%(competency)s can be signed off once its latest rating is 4 or more.")
            % {"competency": competency.name}
        )
    signoff, _created = CompetencySignOff.objects.get_or_create(
        mentorship=mentorship, competency=competency, defaults={"signed_by": by}
    )
    return signoff


def _reason_required(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason.")})
    if len(reason) > REASON_MAX:
        raise ValidationError({"reason": _("The reason is %(length)s characters long; at most %(limit)s are allowed.")
                               % {"length": len(reason), "limit": REASON_MAX}})
    return reason


@transaction.atomic
def competency_sign_off_withdraw(
    *, mentorship: Mentorship, competency: Competency, by: Officer, reason: str
) -> SignOffEvent:
    """The mentor takes back a competency's sign-off given too early; the reason is kept."""
    if not permissions.can_sign_off(by, mentorship):
        raise PermissionDenied
    _require_open(mentorship)
    reason = _reason_required(reason)
    mentorship = Mentorship.objects.select_for_update().get(pk=mentorship.pk)
    if mentorship.final_proposed_at is not None:
        raise ValidationError(
            _("The final sign-off is awaiting the legal affairs unit; a competency can be withdrawn only after it is returned.")
        )
    signoff = CompetencySignOff.objects.filter(mentorship=mentorship, competency=competency).first()
    if signoff is None:
        raise ValidationError(_("%(competency)s is not signed off.") % {"competency": competency.name})
    event = SignOffEvent.objects.create(
        mentorship=mentorship, kind=SignOffEventKind.WITHDRAWN, competency=competency,
        signed_at=signoff.signed_at, by=by, reason=reason,
    )
    signoff.delete()
    notify.sign_off_withdrawn(mentorship=mentorship, competency=competency, by=by, reason=reason)
    return event


@transaction.atomic
def final_sign_off_return(*, mentorship: Mentorship, by: Officer, reason: str) -> SignOffEvent:
    """A legal affairs reviewer sends the proposed final sign-off back to the mentor, saying why."""
    if not permissions.can_approve_final(by, mentorship):
        raise PermissionDenied
    _require_open(mentorship)
    reason = _reason_required(reason)
    mentorship = Mentorship.objects.select_for_update().get(pk=mentorship.pk)
    if mentorship.final_proposed_at is None:
        raise ValidationError(_("The mentor has not proposed the final sign-off."))
    event = SignOffEvent.objects.create(
        mentorship=mentorship, kind=SignOffEventKind.RETURNED, signed_at=mentorship.final_proposed_at,
        by=by, reason=reason,
    )
    mentorship.final_proposed_at = None
    mentorship.save(update_fields=["final_proposed_at"])
    return event


@transaction.atomic
def final_sign_off_propose(*, mentorship: Mentorship, by: Officer, reason: str = "") -> Mentorship:
    """The mentor proposes the final sign-off (出师) once every competency is signed off and
    the curriculum's minimums are met. A signed-off competency rated low since (a flag)
    needs the mentor's reason, which is kept with the proposal."""
    if not permissions.can_propose_final(by, mentorship):
        raise PermissionDenied
    _require_open(mentorship)
    mentorship = Mentorship.objects.select_for_update().get(pk=mentorship.pk)
    if mentorship.final_proposed_at is not None:
        raise ValidationError(_("The final sign-off is already proposed."))
    missing = Competency.objects.filter(is_active=True).exclude(signoffs__mentorship=mentorship)
    if missing.exists():
        raise ValidationError(
            _("Not yet signed off: %(names)s.") % {"names": "、".join(missing.values_list("name", flat=True))}
        )
    if unmet := minimums_unmet(mentorship):
        raise ValidationError(
            _("The curriculum's minimums are not met yet: %(items)s.")
            % {"items": "；".join(
                _("%(label)s %(done)s of %(required)s") % {"label": p.label, "done": p.done, "required": p.required}
                for p in unmet
            )}
        )
    reason = (reason or "").strip()
    if flags := mentorship_signoff_flags(mentorship):
        if not reason:
            raise ValidationError({"reason": _(
                "Signed off but rated low since: %(names)s. Say why the recruit is ready all the same."
            ) % {"names": "、".join(f"{f.competency_name}（{f.rating}）" for f in flags)}})
        reason = _reason_required(reason)
    else:
        reason = ""
    mentorship.final_proposed_at = timezone.now()
    mentorship.final_proposal_reason = reason
    mentorship.save(update_fields=["final_proposed_at", "final_proposal_reason"])
    return mentorship


@transaction.atomic
def final_sign_off_approve(
    *, mentorship: Mentorship, by: Officer, opinion: str = "", unacknowledged_reason: str = ""
) -> Mentorship:
    """A legal affairs reviewer approves the final sign-off; the mentorship is completed.

    Every log must be acknowledged by the recruit, or the approver records why
    it is approved without (kept and printed in the record). The opinion (审核意见)
    is printed in the record. From then on every log is locked: addenda only.
    """
    if not permissions.can_approve_final(by, mentorship):
        raise PermissionDenied
    Mentorship.objects.select_for_update().filter(pk=mentorship.pk).first()  # one approval at a time
    mentorship.refresh_from_db()
    _require_open(mentorship)
    if mentorship.final_proposed_at is None:
        raise ValidationError(_("The mentor has not proposed the final sign-off."))
    if Competency.objects.filter(is_active=True).exclude(signoffs__mentorship=mentorship).exists():
        raise ValidationError(_("Every competency must be signed off first."))
    opinion, unacknowledged_reason = (opinion or "").strip(), (unacknowledged_reason or "").strip()
    unacknowledged = ShadowingLog.objects.filter(mentorship=mentorship, status=LogStatus.SUBMITTED).count()
    if unacknowledged and not unacknowledged_reason:
        raise ValidationError({"unacknowledged_reason": _(
            "%(count)s log(s) are not yet acknowledged by the recruit: ask the recruit to acknowledge them, "
            "or give the reason for approving without."
        ) % {"count": unacknowledged}})
    for name, text in (("opinion", opinion), ("unacknowledged_reason", unacknowledged_reason)):
        if len(text) > REASON_MAX:
            raise ValidationError({name: _("The reason is %(length)s characters long; at most %(limit)s are allowed.")
                                   % {"length": len(text), "limit": REASON_MAX}})
    mentorship.final_approved_at = timezone.now()
    mentorship.final_approved_by = by
    mentorship.final_opinion = opinion
    mentorship.unacknowledged_reason = unacknowledged_reason if unacknowledged else ""
    mentorship.status = MentorshipStatus.COMPLETED
    mentorship.ended_on = timezone.localdate()
    mentorship.save(update_fields=[
        "final_approved_at", "final_approved_by", "final_opinion", "unacknowledged_reason", "status", "ended_on",
    ])
    return mentorship


@transaction.atomic
def recruit_promote(*, mentorship: Mentorship, by: Officer) -> Officer:
    """After the approved sign-off, move the recruit to the officer tier."""
    if not permissions.can_promote(by, mentorship):
        raise PermissionDenied
    if mentorship.status != MentorshipStatus.COMPLETED or mentorship.final_approved_at is None:
        raise ValidationError(_("Only a recruit whose final sign-off is approved can be moved."))
    mentorship = Mentorship.objects.select_for_update().get(pk=mentorship.pk)
    if mentorship.promoted_at is not None:  # a second tap, or two reviewers at once
        raise ValidationError(_("%(name)s was already moved to the officer tier on %(date)s.") % {
            "name": mentorship.recruit.name, "date": timezone.localtime(mentorship.promoted_at).date().isoformat(),
        })
    recruit = Officer.objects.select_for_update().get(pk=mentorship.recruit_id)
    recruit.tier = Tier.OFFICER
    recruit.save(update_fields=["tier"])
    mentorship.promoted_at = timezone.now()
    mentorship.save(update_fields=["promoted_at"])
    return recruit


def evaluation_open(mentorship: Mentorship) -> bool:
    """The recruit evaluates the mentor at the end: once sign-off is proposed or it has ended."""
    return mentorship.final_proposed_at is not None or not mentorship.is_open


@transaction.atomic
def mentor_evaluation_submit(
    *, mentorship: Mentorship, recruit: Officer, teaching: int, availability: int, fairness: int, comment: str = ""
) -> MentorEvaluation:
    """The recruit's short evaluation of the mentor, once, at the end."""
    if not permissions.can_submit_evaluation(recruit, mentorship):
        raise PermissionDenied
    if not evaluation_open(mentorship):
        raise ValidationError(_("The evaluation opens at the end of the mentorship."))
    if MentorEvaluation.objects.filter(mentorship=mentorship).exists():
        raise ValidationError(_("You have already evaluated your mentor."))
    evaluation = MentorEvaluation(
        mentorship=mentorship, teaching=teaching, availability=availability, fairness=fairness,
        comment=comment.strip(),
    )
    evaluation.full_clean()
    evaluation.save()
    return evaluation


@transaction.atomic
def mentor_capacity_set(*, mentor: Officer, max_recruits: int | None, by: Officer) -> MentorCapacity | None:
    """A legal affairs reviewer sets a mentor's own limit of recruits at once; None returns
    the mentor to the bureau's default. A limit below the mentor's current recruits is
    refused (it would leave the mentor over the limit)."""
    if not permissions.can_set_mentor_limits(by):
        raise PermissionDenied
    if not mentor.has_role(Role.MENTOR):
        raise ValidationError({"police_number": _("%(name)s does not hold the mentor role.") % {"name": mentor.name}})
    if refusal := mentor_refusal(mentor):
        raise ValidationError({"police_number": refusal})
    if max_recruits is None:
        MentorCapacity.objects.filter(mentor=mentor).delete()
        return None
    taken = Mentorship.objects.filter(mentor=mentor, status__in=OPEN_STATUSES).count()
    if max_recruits < taken:
        raise ValidationError({"max_recruits": _(
            "%(name)s mentors %(count)s recruits now: the limit cannot be lower than that."
        ) % {"name": mentor.name, "count": taken}})
    capacity, _created = MentorCapacity.objects.update_or_create(
        mentor=mentor, defaults={"max_recruits": max_recruits}
    )
    return capacity


@transaction.atomic
def curriculum_minimums_save(
    *, by: Officer, shifts: int, hours: int, weeks: int, simulations: int
) -> CurriculumMinimums:
    """The legal affairs reviewers set what must be done before 出师 can be proposed."""
    if not permissions.can_edit_competencies(by):
        raise PermissionDenied
    minimums = CurriculumMinimums.objects.select_for_update().order_by("pk").first() or CurriculumMinimums()
    minimums.shifts, minimums.hours, minimums.weeks, minimums.simulations = shifts, hours, weeks, simulations
    minimums.updated_at, minimums.updated_by = timezone.now(), by
    minimums.full_clean()
    minimums.save()
    return minimums


def competency_save(*, competency: Competency, by: Officer) -> Competency:
    """The legal affairs reviewers edit the curriculum."""
    if not permissions.can_edit_competencies(by):
        raise PermissionDenied
    competency.full_clean()
    competency.save()
    return competency


# --- the training record ----------------------------------------------------

# Every training record is printed by the task worker and kept until the record
# changes. WeasyPrint takes about 0.13 s per 1,000 characters of Chinese text here: a
# record beyond this many characters would keep a request waiting over 2 s, which is
# why no request prints one (bench/bench_training_record.py reports both).
RECORD_INLINE_MAX_CHARS = 15_000


def record_html(*, mentorship: Mentorship) -> str:
    """The training record's printable HTML (everything the PDF shows, today's date included)."""
    from django.template.loader import render_to_string

    from .selectors import record_context

    context = record_context(mentorship=mentorship)
    context["printed_on"] = timezone.localdate()
    return render_to_string("mentoring/pdf/record.html", {"bureau_name": settings.BUREAU_NAME, **context})


def record_file_name(*, mentorship: Mentorship, state: str | None = None) -> str:
    """Where the PDF of the record in its current state is kept (private storage): any
    change to the record (a log, a version, an objection, a sign-off, the approval) is a
    new state key (selectors.record_state_key), so a kept file is never stale."""
    from .selectors import record_state_key

    state = state or record_state_key(mentorship=mentorship)
    return f"training-records/{mentorship.pk}/{state}.pdf"


def record_render_pdf(*, mentorship: Mentorship) -> bytes:
    """The recruit's training record (新警跟班培训记录) as PDF bytes, in Chinese."""
    from weasyprint import HTML

    return HTML(string=record_html(mentorship=mentorship), base_url=str(settings.BASE_DIR)).write_pdf()


def record_render_to_file(*, mentorship: Mentorship) -> str:
    """Render the record as it stands now into private storage (the worker's job); returns its name.

    Earlier files of the same mentorship are removed: only the current state is kept.
    """
    from django.core.files.base import ContentFile

    from officers.private_files import private_storage

    name = record_file_name(mentorship=mentorship)
    if not private_storage.exists(name):
        data = record_render_pdf(mentorship=mentorship)
        folder = name.rsplit("/", 1)[0]
        if private_storage.exists(folder):
            for old in private_storage.listdir(folder)[1]:
                private_storage.delete(f"{folder}/{old}")
        private_storage.save(name, ContentFile(data))
    return name


def record_request(*, mentorship: Mentorship) -> tuple[str, bool]:
    """(file name, ready) of the current record. Kept until the record changes; otherwise
    printed by the task worker, queued once (the page asking again waits for the same file)."""
    from django.core.cache import cache

    from officers.private_files import private_storage

    from .tasks import training_record_render

    name = record_file_name(mentorship=mentorship)
    if private_storage.exists(name):
        return name, True
    if cache.add(f"mentoring:record:{name}", 1, timeout=600):
        training_record_render.enqueue(mentorship_id=mentorship.pk)
    return name, private_storage.exists(name)
