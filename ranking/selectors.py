"""Reads of the ranking: standings of a period, an officer's breakdown, trends.

Ties share a rank, standard competition ranking (1, 2, 2, 4: SQL's RANK()),
on the page and in the bulletin.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Max, Sum
from django.utils import timezone

from assessments.selectors import rank_with_ties
from officers.models import Officer

from .models import (
    PointEntry,
    Ranking,
    RuleBook,
    RuleBookVersion,
    Track,
    VersionStatus,
    tiers_of_track,
)
from .periods import (
    Period,
    PeriodKind,
    period_containing,
    period_parse,
    periods_between,
)
from .rule_kinds import get_kind


def rule_book_for(track: str) -> RuleBook | None:
    return RuleBook.objects.filter(track=track).first()


def period_for(*, track: str, code: str, book: RuleBook | None = None) -> Period:
    book = book if book is not None else rule_book_for(track)
    return period_parse(code, start_month=book.year_start_month if book else 1)


def publish_warnings(*, track: str, period: Period) -> list[str]:
    """What the publisher confirms before publishing the period (e.g. it has not ended yet)."""
    from .publications import ranking_publish_warnings

    return ranking_publish_warnings(Ranking(track=track, period=period.code))


def version_for_period(*, track: str, period: Period) -> RuleBookVersion | None:
    """The rule: a period is ranked under the version in force at the period's end."""
    return (
        RuleBookVersion.objects.filter(rule_book__track=track, status=VersionStatus.IN_FORCE, effective_from__lte=period.end)
        .select_related("rule_book", "approved_by").order_by("-effective_from", "-number").first()
    )


def clamp(value: Decimal, floor: Decimal | None, cap: Decimal | None) -> Decimal:
    if cap is not None and value > cap:
        value = cap
    if floor is not None and value < floor:
        value = floor
    return value


@dataclass
class StandingRow:
    rank: int
    officer_id: int
    name: str
    police_number: str
    unit_id: int | None
    unit: str
    points: Decimal


@dataclass
class UnitRow:
    rank: int
    unit_id: int | None
    unit: str
    head_count: int
    average: Decimal
    total: Decimal


@dataclass
class Standings:
    track: str
    period: Period
    version: RuleBookVersion | None
    rows: list[StandingRow] = field(default_factory=list)
    units: list[UnitRow] = field(default_factory=list)

    def row_of(self, officer_id: int) -> StandingRow | None:
        return next((r for r in self.rows if r.officer_id == officer_id), None)

    @property
    def track_label(self) -> str:
        return Track(self.track).label


def officer_points(*, version: RuleBookVersion, period: Period, officer_ids=None) -> dict[int, Decimal]:
    """Each officer's counted points for the period: per rule the period's cap and floor,
    then the version's base points and its cap and floor on the total. Summed in SQL."""
    rules = {r.pk: r for r in version.rules.all()}
    sums = PointEntry.objects.filter(rule_version=version, occurred_on__gte=period.start, occurred_on__lte=period.end)
    if officer_ids is not None:
        sums = sums.filter(officer_id__in=officer_ids)
    totals: dict[int, Decimal] = defaultdict(Decimal)
    for officer_id, rule_id, points in sums.values_list("officer_id", "rule_id").annotate(points=Sum("points")).order_by():
        rule = rules.get(rule_id)
        totals[officer_id] += clamp(points, rule.period_floor, rule.period_cap) if rule else points
    return totals


def standings(*, track: str, period: Period) -> Standings:
    """Every active officer of the track, ordered by points (ties share a rank), and the unit table."""
    version = version_for_period(track=track, period=period)
    result = Standings(track, period, version)
    if version is None:
        return result
    totals = officer_points(version=version, period=period)
    officers = Officer.objects.filter(
        tier__in=tiers_of_track(track), is_active=True, is_superuser=False
    ).values_list("pk", "name", "police_number", "unit_id", "unit__name")
    base = version.base_points
    rows = [
        StandingRow(0, pk, name, number, unit_id, unit or "",
                    clamp(base + totals.get(pk, Decimal(0)), version.period_floor, version.period_cap))
        for pk, name, number, unit_id, unit in officers
    ]
    rows.sort(key=lambda r: (-r.points, r.police_number))
    for row, rank in zip(rows, rank_with_ties([r.points for r in rows]), strict=True):
        row.rank = rank
    result.rows = rows
    result.units = unit_table(rows)
    return result


# Officers' names and units in cached standings may lag this long; points never lag.
STANDINGS_CACHE_SECONDS = 120


def ledger_stamp() -> int:
    """The newest ledger entry's id: any posting (or reversal) changes it. One indexed query."""
    return PointEntry.objects.aggregate(last=Max("id"))["last"] or 0


def standings_cached(*, track: str, period: Period) -> Standings:
    """The standings for pages, remembered until the ledger changes (publishing always
    recomputes them: a snapshot must be exact)."""
    key = f"ranking:standings:{track}:{period.code}:{ledger_stamp()}"
    table = cache.get(key)
    if table is None:
        table = standings(track=track, period=period)
        cache.set(key, table, STANDINGS_CACHE_SECONDS)
    return table


def unit_table(rows: list[StandingRow]) -> list[UnitRow]:
    """Average points per officer of each unit, with its head count (small units swing widely)."""
    groups: dict[tuple, list[Decimal]] = defaultdict(list)
    for row in rows:
        groups[(row.unit_id, row.unit)].append(row.points)
    units = [
        UnitRow(0, unit_id, unit, len(points), (sum(points) / len(points)).quantize(Decimal("0.01")), sum(points))
        for (unit_id, unit), points in groups.items()
    ]
    units.sort(key=lambda u: (-u.average, u.unit))
    for unit, rank in zip(units, rank_with_ties([u.average for u in units]), strict=True):
        unit.rank = rank
    return units


def visible_rows(*, standings: Standings, viewer) -> list[StandingRow]:
    """The rows of the live ranking the viewer may see: everything for the legal affairs
    unit, their units' officers for a unit head, their own row for everyone else."""
    from .permissions import can_view_all, led_units

    if can_view_all(viewer):
        return standings.rows
    units = led_units(viewer)
    return [r for r in standings.rows if r.officer_id == viewer.pk or (r.unit_id is not None and r.unit_id in units)]


def visible_units(*, standings: Standings, viewer) -> list[UnitRow]:
    from .permissions import can_view_all, led_units

    if can_view_all(viewer):
        return standings.units
    units = led_units(viewer)
    return [u for u in standings.units if u.unit_id in units]


@dataclass
class BreakdownLine:
    entry: PointEntry
    kind_label: str
    source_url: str | None


@dataclass
class RuleSubtotal:
    rule_name: str
    raw: Decimal
    counted: Decimal
    floor: Decimal | None
    cap: Decimal | None


@dataclass
class Breakdown:
    officer: Officer
    track: str
    period: Period
    version: RuleBookVersion | None
    lines: list[BreakdownLine]
    subtotals: list[RuleSubtotal]
    base: Decimal
    total_before_limits: Decimal
    total: Decimal


def officer_breakdown(*, officer: Officer, track: str, period: Period, viewer=None) -> Breakdown:
    """Every ledger entry of the officer in the period, with its rule and a link to its
    source fact; reversals are shown too, so every change is visible. Three queries.
    With a `viewer`, a source link is given only where that reader may open the source."""
    version = version_for_period(track=track, period=period)
    if version is None:
        return Breakdown(officer, track, period, None, [], [], Decimal(0), Decimal(0), Decimal(0))
    entries = list(
        PointEntry.objects.filter(rule_version=version, officer=officer, occurred_on__gte=period.start,
                                  occurred_on__lte=period.end)
        .select_related("rule", "fact_type").order_by("occurred_on", "id")
    )
    lines, raw = [], defaultdict(Decimal)
    rules, visible = {}, {}
    for entry in entries:
        kind = get_kind(entry.rule.kind)
        model = f"{entry.fact_type.app_label}.{entry.fact_type.model}" if entry.fact_type_id else ""
        url = kind.source_url(model, entry.fact_id, entry.fact_key) if kind and entry.fact_id else None
        if url and viewer is not None:
            if kind.code not in visible:
                visible[kind.code] = kind.source_visible(viewer, officer)
            url = url if visible[kind.code] else None
        lines.append(BreakdownLine(entry, str(kind.label) if kind else entry.rule.kind, url))
        raw[entry.rule_id] += entry.points
        rules[entry.rule_id] = entry.rule
    subtotals = [
        RuleSubtotal(rules[rid].name, points, clamp(points, rules[rid].period_floor, rules[rid].period_cap),
                     rules[rid].period_floor, rules[rid].period_cap)
        for rid, points in sorted(raw.items(), key=lambda item: rules[item[0]].sort_order or 0)
    ]
    base = version.base_points
    before = base + sum((s.counted for s in subtotals), Decimal(0))
    return Breakdown(officer, track, period, version, lines, subtotals, base, before,
                     clamp(before, version.period_floor, version.period_cap))


@dataclass
class TrendPoint:
    period: Period
    rank: int | None
    points: Decimal | None
    of: int


def officer_trend(*, officer: Officer, track: str, kind: str = PeriodKind.QUARTER, count: int = 8,
                  today: dt.date | None = None) -> list[TrendPoint]:
    """The officer's rank and points in each of the last `count` periods (oldest first)."""
    today = today or timezone.localdate()
    book = rule_book_for(track)
    start_month = book.year_start_month if book else 1
    last = period_containing(today, kind, start_month=start_month)
    first_day = last.start
    for _i in range(count - 1):
        first_day = period_containing(first_day - dt.timedelta(days=1), kind, start_month=start_month).start
    points = []
    for period in periods_between(first_day, last.end, kind, start_month=start_month):
        table = standings_cached(track=track, period=period)
        row = table.row_of(officer.pk) if table.version else None
        points.append(TrendPoint(period, row.rank if row else None, row.points if row else None, len(table.rows)))
    return points


def recent_periods(*, track: str, kind: str = PeriodKind.QUARTER, count: int = 6, today: dt.date | None = None) -> list[Period]:
    """The current period of a kind and those before it, newest first."""
    today = today or timezone.localdate()
    book = rule_book_for(track)
    start_month = book.year_start_month if book else 1
    periods, day = [], today
    for _i in range(count):
        period = period_containing(day, kind, start_month=start_month)
        periods.append(period)
        day = period.start - dt.timedelta(days=1)
    return periods
