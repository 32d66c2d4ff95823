"""The ranking's kind of publication (积分排名公示): a Ranking (track, period), frozen when published.

The snapshot is built from the ledger as it stands (ranking.selectors.standings):
rank, officer, unit and points of every officer on the track, the unit table,
and the rule book version, period and caps it was ranked under. Once published
nothing in it changes; a correction (through the facts and the ledger) is
published as the next version.
"""

from decimal import Decimal

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from officers.permissions import is_legal_affairs_reviewer
from publications.registry import Column, PublicationKind, Snapshot, register

RANKING = "ranking"


def number(value) -> str | None:
    """A Decimal as plain text without trailing zeros (85, 85.5, -3)."""
    if value is None:
        return None
    text = f"{Decimal(value).quantize(Decimal('0.01')):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def ranking_title(ranking, period) -> str:
    """E.g. 2026年第三季度 中层干部执法质效积分排名."""
    from .models import Track

    return _("%(period)s %(track)s law-enforcement points ranking") % {
        "period": period.label, "track": Track(ranking.track).label}


def ranking_snapshot(ranking) -> Snapshot:
    from .selectors import period_for, standings

    period = period_for(track=ranking.track, code=ranking.period)
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
    if version is not None:
        items[1:1] = [
            [_("Rule book version"), _("%(book)s, version %(number)s, in force from %(date)s, approved by %(who)s") % {
                "book": version.rule_book.name, "number": version.number, "date": version.effective_from.isoformat(),
                "who": version.approved_by.name if version.approved_by else "—"}],
            [_("Base points"), number(version.base_points)],
            [_("Points per period"), "{} … {}".format(
                number(version.period_floor) if version.period_floor is not None else "—",
                number(version.period_cap) if version.period_cap is not None else "—")],
        ]
        limited = [r for r in version.rules.all() if r.period_cap is not None or r.period_floor is not None]
        if limited:
            items.append([_("Limits per rule and period"), "；".join(
                f"{r.name} {number(r.period_floor) if r.period_floor is not None else '—'} … "
                f"{number(r.period_cap) if r.period_cap is not None else '—'}" for r in limited)])
        settings.update({
            "rule_book_version_id": version.pk, "rule_book_version": version.number,
            "effective_from": version.effective_from.isoformat(), "base_points": number(version.base_points),
            "period_cap": number(version.period_cap), "period_floor": number(version.period_floor),
            "rules": [{"code": r.code, "name": r.name, "kind": r.kind, "params": r.params,
                       "cap": number(r.period_cap), "floor": number(r.period_floor)} for r in version.rules.all()],
        })
    return Snapshot(title=ranking_title(ranking, period), rows=rows, unit_rows=unit_rows,
                    meta={"items": items, "settings": settings})


def ranking_entry_url(ranking, row: dict) -> str | None:
    """The officer's breakdown for the period (visible to them, their unit head and the legal affairs unit)."""
    return reverse("ranking:breakdown", args=[ranking.track, ranking.period, row["officer_id"]])


register(PublicationKind(
    code=RANKING,
    label=gettext_lazy("Points ranking"),
    subject_model="ranking.Ranking",
    columns=[
        Column("rank", gettext_lazy("Rank"), numeric=True),
        Column("name", gettext_lazy("Name")),
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
))
