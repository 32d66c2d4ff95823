"""The ranking's kind of publication (积分排名公示): a Ranking (track, period), frozen when published.

The snapshot is built from the ledger as it stands (ranking.selectors.standings):
rank, officer, unit and points of every officer on the track, the unit table,
and the rule book version, period and caps it was ranked under. Once published
nothing in it changes; a correction (through the facts and the ledger) is
published as the next version.
"""

from decimal import Decimal

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from officers.permissions import is_legal_affairs_reviewer
from publications.registry import Column, PublicationKind, Snapshot, register

RANKING = "ranking"


def number(value) -> str | None:
    """A Decimal as plain text without trailing zeros (85, 85.5, -3)."""
    if value is None:
        return None
    text = f"{Decimal(value).quantize(Decimal('0.01')):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def limits_text(floor, cap) -> str:
    """A floor and cap as the bulletin reads them: 不设上下限, 不低于 -10, 不超过 10, -10 至 10."""
    if floor is None and cap is None:
        return _("no floor or cap")
    if cap is None:
        return _("at least %(floor)s") % {"floor": number(floor)}
    if floor is None:
        return _("at most %(cap)s") % {"cap": number(cap)}
    return _("%(floor)s to %(cap)s") % {"floor": number(floor), "cap": number(cap)}


def ranking_title(ranking, period) -> str:
    """E.g. 2026年第三季度 中层干部执法质效积分排名."""
    from .models import Track

    return _("%(period)s %(track)s law-enforcement points ranking") % {
        "period": period.label, "track": Track(ranking.track).label}


def _period(ranking):
    from .selectors import period_for

    return period_for(track=ranking.track, code=ranking.period)


def ranking_objection_days(ranking) -> int | None:
    """The rule book sets the objection window (公示期) of every version of its rankings."""
    from .selectors import rule_book_for

    book = rule_book_for(ranking.track)
    return book.objection_days if book else None


def ranking_publish_warnings(ranking) -> list[str]:
    """A period that has not ended yet is ranked on part of its facts: the publisher confirms first."""
    period = _period(ranking)
    if period.end < timezone.localdate():
        return []
    return [_(
        "%(period)s runs until %(end)s and has not ended yet: only the facts up to today would be counted. "
        "The published ranking and its bulletin will say that the period was not complete."
    ) % {"period": period.label, "end": period.end.isoformat()}]


def ranking_snapshot(ranking) -> Snapshot:
    from .selectors import standings

    period = _period(ranking)
    table = standings(track=ranking.track, period=period)
    rows = [{
        "officer_id": r.officer_id, "rank": r.rank, "name": r.name, "police_number": r.police_number,
        "unit": r.unit, "points": number(r.points),
    } for r in table.rows]
    unit_rows = [{
        "rank": u.rank, "unit": u.unit, "head_count": u.head_count, "average": number(u.average),
    } for u in table.units]
    version = table.version
    items = [
        [_("Ranking period"), f"{period.label}（{period.start:%Y-%m-%d} – {period.end:%Y-%m-%d}）"],
        [_("Ranking"), _("Ties share a rank (1, 2, 2, 4)")],
        [_("Officers ranked"), str(len(rows))],
    ]
    settings = {"period": period.code, "period_start": period.start.isoformat(), "period_end": period.end.isoformat(),
                "track": ranking.track}
    notices = []
    today = timezone.localdate()
    if period.end >= today:
        # Said plainly on the page and the bulletin: a partial period is not the period's result.
        notices.append(_(
            "Published before the period ended (%(start)s – %(end)s): only the facts up to %(day)s are counted; "
            "this is not the result of the whole period."
        ) % {"start": period.start.isoformat(), "end": period.end.isoformat(), "day": today.isoformat()})
        items.insert(1, [_("Period complete"), _("No, facts counted up to %(day)s") % {"day": today.isoformat()}])
        settings.update({"period_complete": False, "counted_until": today.isoformat()})
    if version is not None:
        items[1:1] = [
            [_("Rule book version"), _("%(book)s, version %(number)s, in force from %(date)s, approved by %(who)s") % {
                "book": version.rule_book.name, "number": version.number, "date": version.effective_from.isoformat(),
                "who": version.approved_by.name if version.approved_by else "—"}],
            [_("Base points"), number(version.base_points)],
            [_("Points per period"), limits_text(version.period_floor, version.period_cap)],
        ]
        limited = [r for r in version.rules.all() if r.period_cap is not None or r.period_floor is not None]
        if limited:
            items.append([_("Limits per rule and period"), "；".join(
                f"{r.name} {limits_text(r.period_floor, r.period_cap)}" for r in limited)])
        settings.update({
            "rule_book_version_id": version.pk, "rule_book_version": version.number,
            "effective_from": version.effective_from.isoformat(), "base_points": number(version.base_points),
            "period_cap": number(version.period_cap), "period_floor": number(version.period_floor),
            "rules": [{"code": r.code, "name": r.name, "kind": r.kind, "params": r.params,
                       "cap": number(r.period_cap), "floor": number(r.period_floor)} for r in version.rules.all()],
        })
    meta = {"items": items, "settings": settings}
    if notices:
        meta["notices"] = notices
    return Snapshot(title=ranking_title(ranking, period), rows=rows, unit_rows=unit_rows, meta=meta)


def ranking_entry_url(ranking, row: dict) -> str | None:
    """The officer's breakdown for the period (visible to them, their unit head and the legal affairs unit)."""
    return reverse("ranking:breakdown", args=[ranking.track, ranking.period, row["officer_id"]])


def ranking_entries_openable(viewer, ranking, rows: list[dict]) -> set[int]:
    """The rows whose breakdown the reader may open: their own, their units' officers, or all
    for the legal affairs unit (as ranking.permissions.can_view_breakdown decides), in one query."""
    from officers.models import Officer

    from .permissions import can_view_all, led_units

    ids = {row["officer_id"] for row in rows}
    if can_view_all(viewer):
        return ids
    allowed = ids & {viewer.pk}
    units = led_units(viewer)
    if units:
        allowed |= set(Officer.objects.filter(pk__in=ids, unit_id__in=units).values_list("pk", flat=True))
    return allowed


register(PublicationKind(
    code=RANKING,
    label=gettext_lazy("Points ranking"),
    subject_model="ranking.Ranking",
    columns=[
        Column("rank", gettext_lazy("Rank"), numeric=True),
        Column("name", pgettext_lazy("person", "Name")),
        Column("unit", gettext_lazy("Unit")),
        Column("points", gettext_lazy("Points"), numeric=True),
    ],
    unit_columns=[
        Column("rank", gettext_lazy("Rank"), numeric=True),
        Column("unit", gettext_lazy("Unit")),
        Column("head_count", gettext_lazy("Officers"), numeric=True),
        Column("average", gettext_lazy("Average points"), numeric=True),
    ],
    snapshot=ranking_snapshot,
    can_publish=is_legal_affairs_reviewer,
    entry_url=ranking_entry_url,
    entry_openable=ranking_entries_openable,
    objection_days=ranking_objection_days,
    publish_warnings=ranking_publish_warnings,
))
