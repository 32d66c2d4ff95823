"""Writes of the ranking app: posting to the ledger, rule book versions, manual entries.

Posting is a reconciliation: for a scope (a rule book, some officers, some days)
the rules are evaluated against today's facts, and the ledger is brought to
match — a missing fact is posted, a changed one reversed and posted again as the
next generation, a vanished one reversed. Nothing is ever edited or deleted.
Running it twice changes nothing the second time, and concurrent posters cannot
count a fact twice (a unique constraint on rule, fact key and generation).
"""

import datetime as dt
import logging
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from officers.models import Officer

from .models import (
    ManualEntry,
    ManualStatus,
    PointEntry,
    PointRule,
    Ranking,
    RuleBook,
    RuleBookVersion,
    Track,
    VersionStatus,
    tiers_of_track,
)
from .periods import period_parse, year_start
from .rule_kinds import Award, Scope, get_kind

logger = logging.getLogger(__name__)

DAY_MIN, DAY_MAX = dt.date(1900, 1, 1), dt.date(9999, 12, 31)


@dataclass
class PostingResult:
    posted: int = 0
    reversed: int = 0
    unchanged: int = 0
    conflicts: int = 0
    keys: set = field(default_factory=set)

    def add(self, other: "PostingResult") -> None:
        self.posted += other.posted
        self.reversed += other.reversed
        self.unchanged += other.unchanged
        self.conflicts += other.conflicts


def versions_in_force(*, rule_book: RuleBook) -> list[RuleBookVersion]:
    return list(
        RuleBookVersion.objects.filter(rule_book=rule_book, status=VersionStatus.IN_FORCE)
        .prefetch_related("rules").order_by("effective_from", "number")
    )


def version_coverage(*, versions: list[RuleBookVersion], index: int, start_month: int) -> tuple[dt.date, dt.date]:
    """The days whose facts a version must score.

    A period is ranked under the version in force at its end, and the longest
    period is an assessment year; so a version scores facts from the start of
    the assessment year it takes effect in, up to the day before the next
    version takes effect (periods ending later are ranked under that one).
    """
    version = versions[index]
    start = year_start(version.effective_from, start_month=start_month)
    end = versions[index + 1].effective_from - dt.timedelta(days=1) if index + 1 < len(versions) else DAY_MAX
    return start, end


def track_officer_ids(track: str) -> frozenset[int]:
    """Everyone ranked on a track: active officers of its tiers (system accounts excluded)."""
    return frozenset(
        Officer.objects.filter(tier__in=tiers_of_track(track), is_active=True, is_superuser=False).values_list("pk", flat=True)
    )


def desired_awards(*, version: RuleBookVersion, scope: Scope) -> dict[tuple[int, str], tuple[PointRule, Award]]:
    """What the ledger should hold for the version within the scope, by (rule id, fact key)."""
    desired = {}
    for rule in version.rules.all():
        kind = get_kind(rule.kind)
        if kind is None:
            logger.warning("Rule %s has an unknown kind %s; it scores nothing.", rule.pk, rule.kind)
            continue
        for award in kind.evaluate(rule, scope):
            desired[(rule.pk, award.fact_key)] = (rule, award)
    return desired


def _live_entries(*, version: RuleBookVersion, start, end, officer_ids) -> dict[tuple[int, str], PointEntry]:
    entries = PointEntry.objects.filter(
        rule_version=version, reverses__isnull=True, reversed_by__isnull=True,
        occurred_on__gte=start, occurred_on__lte=end,
    )
    if officer_ids is not None:
        entries = entries.filter(officer_id__in=officer_ids)
    return {(e.rule_id, e.fact_key): e for e in entries}


def _live_by_keys(keys: list[tuple[int, str]]) -> dict[tuple[int, str], PointEntry]:
    found = {}
    by_rule = defaultdict(list)
    for rule_id, key in keys:
        by_rule[rule_id].append(key)
    for rule_id, fact_keys in by_rule.items():
        for i in range(0, len(fact_keys), 500):
            for entry in PointEntry.objects.filter(
                rule_id=rule_id, fact_key__in=fact_keys[i:i + 500], reverses__isnull=True, reversed_by__isnull=True,
            ):
                found[(entry.rule_id, entry.fact_key)] = entry
    return found


def _next_generation(rule_id: int, fact_key: str) -> int:
    top = PointEntry.objects.filter(rule_id=rule_id, fact_key=fact_key, reverses__isnull=True).aggregate(g=Max("generation"))["g"]
    return (top or 0) + 1


def _same(entry: PointEntry, award: Award) -> bool:
    return (
        entry.officer_id == award.officer_id and entry.points == award.points
        and entry.occurred_on == award.occurred_on and entry.fact_id == award.fact_id
        and entry.fact_type_id == award.fact_type_id
    )


def _reversal_of(entry: PointEntry, now) -> PointEntry:
    return PointEntry(
        officer_id=entry.officer_id, track=entry.track, rule_version_id=entry.rule_version_id, rule_id=entry.rule_id,
        fact_type_id=entry.fact_type_id, fact_id=entry.fact_id, fact_key=entry.fact_key, generation=entry.generation,
        points=-entry.points, occurred_on=entry.occurred_on, posted_at=now, reverses=entry,
        note=_("Reversal: the fact changed or no longer counts")[:200],
    )


def _entry_for(rule: PointRule, version: RuleBookVersion, award: Award, generation: int, now) -> PointEntry:
    return PointEntry(
        officer_id=award.officer_id, track=version.rule_book.track, rule_version=version, rule=rule,
        fact_type_id=award.fact_type_id, fact_id=award.fact_id, fact_key=award.fact_key, generation=generation,
        points=award.points, occurred_on=award.occurred_on, posted_at=now, note=award.note[:200],
    )


def _settle_key(*, key, rule, version, award: Award | None, live: PointEntry | None, result: PostingResult, now) -> None:
    """Bring one (rule, fact) to match its award; retried when a concurrent poster got there first."""
    for _attempt in range(5):
        if live is not None and award is not None and _same(live, award):
            result.unchanged += 1
            return
        if live is None and award is None:
            return
        try:
            with transaction.atomic():
                if live is not None:
                    _reversal_of(live, now).save()
                    result.reversed += 1
                if award is not None:
                    _entry_for(rule, version, award, _next_generation(rule.pk, award.fact_key), now).save()
                    result.posted += 1
            return
        except IntegrityError:
            # Someone else reversed or posted this fact meanwhile: look again.
            result.conflicts += 1
            if live is not None:
                result.reversed -= 1
            live = _live_by_keys([key]).get(key)
    raise RuntimeError(f"Could not settle ledger entry {key} after repeated conflicts")


def _reconcile_version(*, version, start, end, scope: Scope | None, officer_ids, now) -> PostingResult:
    result = PostingResult()
    desired = desired_awards(version=version, scope=scope) if scope is not None else {}
    live = _live_entries(version=version, start=start, end=end, officer_ids=officer_ids)
    # A fact that moved into the window (its date changed) still has its live entry elsewhere.
    missing = [key for key in desired if key not in live]
    live.update(_live_by_keys(missing))
    rules = {r.pk: r for r in version.rules.all()}
    for key in sorted(set(desired) | set(live), key=lambda k: (k[0], k[1])):
        pair = desired.get(key)
        rule = pair[0] if pair else rules.get(key[0])
        _settle_key(key=key, rule=rule, version=version, award=pair[1] if pair else None,
                    live=live.get(key), result=result, now=now)
    return result


def points_post(
    *, track: str | None = None, officer_ids=None, start: dt.date | None = None, end: dt.date | None = None,
) -> PostingResult:
    """Post the ledger for the given officers (None: everyone) and days (None: every day).

    Idempotent: a second run with the same facts posts nothing.
    """
    now = timezone.now()
    officer_set = frozenset(officer_ids) if officer_ids is not None else None
    total = PostingResult()
    books = RuleBook.objects.all() if track is None else RuleBook.objects.filter(track=track)
    for book in books:
        versions = versions_in_force(rule_book=book)
        if not versions:
            continue
        eligible = track_officer_ids(book.track)
        window_start, window_end = start or DAY_MIN, end or DAY_MAX
        for index, version in enumerate(versions):
            version.rule_book = book
            cover_start, cover_end = version_coverage(versions=versions, index=index, start_month=book.year_start_month)
            s, e = max(window_start, cover_start), min(window_end, cover_end)
            scope = Scope(s, e, eligible, officer_set) if s <= e else None
            # Entries outside the coverage (a newer version now in force) are reversed too.
            total.add(_reconcile_version(version=version, start=window_start, end=window_end, scope=scope,
                                         officer_ids=officer_set, now=now))
    return total


@dataclass
class LedgerDifference:
    missing: list = field(default_factory=list)   # (rule id, fact key, officer, points, day) the facts give, the ledger lacks
    extra: list = field(default_factory=list)     # live entries the facts no longer give
    changed: list = field(default_factory=list)   # (live entry, award) differing in points, officer or day

    @property
    def empty(self) -> bool:
        return not (self.missing or self.extra or self.changed)


def ledger_compare(*, track: str | None = None, start: dt.date, end: dt.date) -> LedgerDifference:
    """What a rebuild from the facts would change in the ledger for the days (nothing if consistent)."""
    diff = LedgerDifference()
    books = RuleBook.objects.all() if track is None else RuleBook.objects.filter(track=track)
    for book in books:
        versions = versions_in_force(rule_book=book)
        eligible = track_officer_ids(book.track)
        for index, version in enumerate(versions):
            version.rule_book = book
            cover_start, cover_end = version_coverage(versions=versions, index=index, start_month=book.year_start_month)
            s, e = max(start, cover_start), min(end, cover_end)
            desired = desired_awards(version=version, scope=Scope(s, e, eligible)) if s <= e else {}
            live = _live_entries(version=version, start=start, end=end, officer_ids=None)
            for key, (_rule, award) in desired.items():
                entry = live.get(key)
                if entry is None:
                    diff.missing.append((key[0], key[1], award.officer_id, award.points, award.occurred_on))
                elif not _same(entry, award):
                    diff.changed.append((entry, award))
            diff.extra.extend(entry for key, entry in live.items() if key not in desired)
    return diff


def period_rebuild(*, period_code: str, track: str | None = None) -> PostingResult:
    """Recompute a period's ledger from the facts (rank_rebuild): posts only what differs."""
    result = PostingResult()
    books = RuleBook.objects.all() if track is None else RuleBook.objects.filter(track=track)
    for book in books:
        period = period_parse(period_code, start_month=book.year_start_month)
        result.add(points_post(track=book.track, start=period.start, end=period.end))
    return result


# --- rule book versions ------------------------------------------------------


def version_is_locked(version: RuleBookVersion) -> bool:
    """In force, or used by a published ranking: then read-only (copy it instead)."""
    if version.pk is None:
        return False
    if version.status == VersionStatus.IN_FORCE:
        return True
    return PointEntry.objects.filter(rule_version=version).exists()


def version_next_number(rule_book: RuleBook) -> int:
    return (RuleBookVersion.objects.filter(rule_book=rule_book).aggregate(n=Max("number"))["n"] or 0) + 1


@transaction.atomic
def version_copy(*, version: RuleBookVersion, effective_from: dt.date | None = None, by=None) -> RuleBookVersion:
    """A new draft with the version's settings and rules, to edit and bring into force."""
    copy = RuleBookVersion(
        rule_book=version.rule_book, number=version_next_number(version.rule_book),
        summary="", effective_from=effective_from or max(version.effective_from, timezone.localdate()),
        status=VersionStatus.DRAFT, base_points=version.base_points, period_cap=version.period_cap,
        period_floor=version.period_floor, copied_from=version,
    )
    copy.full_clean(exclude=["rules"])
    copy.save()
    for rule in version.rules.all():
        PointRule.objects.create(
            version=copy, code=rule.code, name=rule.name, kind=rule.kind, params=rule.params,
            period_cap=rule.period_cap, period_floor=rule.period_floor, sort_order=rule.sort_order,
        )
    return copy


def version_bring_into_force(*, version: RuleBookVersion, by) -> RuleBookVersion:
    """Approve a draft: it is in force from its effective date and can no longer be edited.

    The ledger is then reposted in the background under the new version (and
    reversed under the previous one beyond the new effective date).
    """
    from officers.permissions import is_legal_affairs_reviewer

    if not is_legal_affairs_reviewer(by):
        raise ValidationError(_("Only the legal affairs unit brings a rule book version into force."))
    with transaction.atomic():
        version = RuleBookVersion.objects.select_for_update().select_related("rule_book").get(pk=version.pk)
        if version.status != VersionStatus.DRAFT:
            raise ValidationError(_("This version is already in force."))
        if not version.rules.exists():
            raise ValidationError(_("A version needs at least one rule."))
        for rule in version.rules.all():
            rule.full_clean(exclude=["version"])
        if RuleBookVersion.objects.filter(rule_book=version.rule_book, status=VersionStatus.IN_FORCE,
                                          effective_from=version.effective_from).exists():
            raise ValidationError(_("Another version of this rule book is already in force from that day."))
        version.status, version.approved_by, version.approved_at = VersionStatus.IN_FORCE, by, timezone.now()
        version.save(update_fields=["status", "approved_by", "approved_at"])
        from officers.services import audit_record

        audit_record(actor=by, action="ranking.rule_book_version.approve", target=version,
                     detail=f"{version.rule_book.track} v{version.number} from {version.effective_from}")
        track = version.rule_book.track
        transaction.on_commit(lambda: _enqueue_post(track=track, officer_ids=None, day=None))
    return version


def _enqueue_post(*, track, officer_ids, day) -> None:
    from .tasks import ledger_post

    ledger_post.enqueue(
        track=track, officer_ids=sorted(officer_ids) if officer_ids is not None else None,
        day=day.isoformat() if day else None,
    )


# --- manual entries ------------------------------------------------------------


# A manual award or deduction is for an event of the last few years, never 0001-01-01.
MANUAL_MAX_AGE_YEARS = 5
MAX_EVIDENCE_BYTES = 20 * 1024 * 1024
EVIDENCE_EXTENSIONS = {"pdf", "jpg", "jpeg", "png", "doc", "docx"}


def manual_rules(*, track: str) -> list[PointRule]:
    """The manual-kind rules of the track's newest in-force version (what an entry can fall under)."""
    version = (RuleBookVersion.objects.filter(rule_book__track=track, status=VersionStatus.IN_FORCE)
               .order_by("-effective_from", "-number").first())
    return list(version.rules.filter(kind="manual")) if version else []


@transaction.atomic
def manual_entry_create(*, officer: Officer, rule_code: str, points: Decimal, occurred_on: dt.date, reason: str,
                        evidence, by: Officer) -> ManualEntry:
    """Enter an award or deduction; it counts only once another reviewer approves it."""
    from officers.permissions import is_legal_affairs_reviewer

    from .models import track_of_tier

    if not is_legal_affairs_reviewer(by):
        raise ValidationError(_("Only the legal affairs unit enters awards and deductions."))
    track = track_of_tier(officer.tier)
    rules = {r.code: r for r in manual_rules(track=track)}
    rule = rules.get(rule_code)
    if rule is None:
        raise ValidationError({"rule_code": _("Choose a rule for manual entries of this officer's track.")})
    errors = {}
    if not points:
        errors["points"] = _("Enter points other than zero (negative for a deduction).")
    low, high = rule.params.get("min_points"), rule.params.get("max_points")
    if low not in (None, "") and points < Decimal(low) or high not in (None, "") and points > Decimal(high):
        errors["points"] = _("This rule allows between %(low)s and %(high)s points.") % {"low": low or "—", "high": high or "—"}
    if not reason.strip():
        errors["reason"] = _("Give the reason.")
    if evidence is None:
        errors["evidence"] = _("Upload the evidence (a PDF, picture or Word document).")
    else:
        extension = evidence.name.rsplit(".", 1)[-1].lower() if "." in evidence.name else ""
        if extension not in EVIDENCE_EXTENSIONS:
            errors["evidence"] = _("The evidence must be a PDF, JPG, PNG or Word document.")
        elif evidence.size > MAX_EVIDENCE_BYTES:
            errors["evidence"] = _("The evidence file is larger than 20 MB.")
    today = timezone.localdate()
    earliest = today.replace(year=today.year - MANUAL_MAX_AGE_YEARS, day=min(today.day, 28))
    if occurred_on > today:
        errors["occurred_on"] = _("The date cannot be in the future.")
    elif occurred_on < earliest:
        # 0001-01-01 would be ranked in no period there is (and run dates off the calendar).
        errors["occurred_on"] = _("The date cannot be before %(earliest)s.") % {"earliest": earliest.isoformat()}
    if errors:
        raise ValidationError(errors)
    entry = ManualEntry(
        officer=officer, track=track, rule_code=rule_code, points=points, occurred_on=occurred_on,
        reason=reason.strip(), evidence_name=evidence.name[:200], entered_by=by,
    )
    entry.evidence.save(evidence.name, evidence, save=False)
    entry.full_clean()
    entry.save()
    return entry


@transaction.atomic
def manual_entry_decide(*, entry: ManualEntry, by: Officer, approve: bool, note: str = "") -> ManualEntry:
    """Approve or reject a manual entry: never by the one who entered it (two-person rule)."""
    from officers.permissions import is_legal_affairs_reviewer
    from officers.services import audit_record

    entry = ManualEntry.objects.select_for_update().get(pk=entry.pk)
    if not is_legal_affairs_reviewer(by):
        raise ValidationError(_("Only the legal affairs unit decides awards and deductions."))
    if entry.entered_by_id == by.pk:
        raise ValidationError(_("Another reviewer must decide this entry: whoever enters an entry cannot approve it."))
    if entry.status != ManualStatus.PENDING:
        raise ValidationError(_("This entry has already been decided."))
    if not approve and not note.strip():
        raise ValidationError({"note": _("Say why the entry is rejected.")})
    entry.status = ManualStatus.APPROVED if approve else ManualStatus.REJECTED
    entry.decided_by, entry.decided_at, entry.decision_note = by, timezone.now(), note.strip()
    entry.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    audit_record(actor=by, action="ranking.manual_entry." + ("approve" if approve else "reject"), target=entry,
                 detail=f"{entry.points:+} {entry.reason[:100]}")
    return entry


# --- rankings ------------------------------------------------------------------


def ranking_get_or_create(*, track: str, period_code: str) -> Ranking:
    if track not in Track.values:
        raise ValidationError(_("Unknown track."))
    book = RuleBook.objects.filter(track=track).first()
    period = period_parse(period_code, start_month=book.year_start_month if book else 1)
    ranking, _created = Ranking.objects.get_or_create(track=track, period=period.code)
    return ranking


def ranking_publish(*, ranking: Ranking, by: Officer, note: str = ""):
    """Publish (or issue a new version of) the ranking through the publications app."""
    from .permissions import can_publish_ranking

    if not can_publish_ranking(by):
        raise ValidationError(_("Only the legal affairs unit publishes rankings."))
    try:
        from publications.services import publication_publish
    except ImportError:
        raise ValidationError(_("Publishing is not available yet.")) from None
    # The kind's objection_days hook gives the rule book's window (公示期) on every publish path.
    return publication_publish(subject=ranking, kind="ranking", by=by, note=note)
