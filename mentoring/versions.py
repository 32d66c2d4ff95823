"""A shadowing log's content as one comparable dict, and the changes between two of them.

Both services (to keep a version) and selectors (to show what changed) use it, so it
sits below both. Ratings, activities and remedial training are kept as the words the
page shows, so an old version reads the same after the curriculum is renamed.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

FIELD_LABELS = {
    "date": gettext_lazy("Date"),
    "time": gettext_lazy("Time"),
    "is_simulation": gettext_lazy("Simulated case handling (模拟办案)"),
    "not_responding": gettext_lazy("Not responding to training"),
    "activities": gettext_lazy("Incidents and cases handled"),
    "best": gettext_lazy("What went best"),
    "worst": gettext_lazy("What went worst"),
    "next_plan": gettext_lazy("Plan for the next shift"),
    "remedials": gettext_lazy("Remedial training"),
}


def _yes_no(value: bool) -> str:
    return _("yes") if value else _("no")


def _rating_text(rating: int | None, comment: str) -> str:
    text = str(rating) if rating is not None else _("Not observed")
    return f"{text}（{comment}）" if comment else text


def _activity_text(kind_label: str, part_label: str, case_number: str, summary: str) -> str:
    return " · ".join(p for p in (kind_label, case_number, part_label, summary) if p)


def log_content(log) -> dict:
    """What a submitted log says now (its children read from the database)."""
    return {
        "date": log.date.isoformat(),
        "time": f"{log.start_time:%H:%M}–{log.end_time:%H:%M}",
        "is_simulation": bool(log.is_simulation),
        "not_responding": bool(log.not_responding),
        "activities": [
            _activity_text(str(a.get_kind_display()), str(a.get_part_display()), a.case_number, a.summary)
            for a in log.activities.all()
        ],
        "ratings": {
            r.competency.name: _rating_text(r.rating, r.comment)
            for r in log.ratings.select_related("competency").order_by("competency__position", "competency_id")
        },
        "remedials": [f"{r.topic} · {r.minutes}" for r in log.remedials.all()],
        "best": log.best,
        "worst": log.worst,
        "next_plan": log.next_plan,
    }


def entry_content(entry, competencies) -> dict:
    """The same shape for a filled-in form (services.LogEntry) not yet stored."""
    from .models import ActivityKind, RecruitPart

    names = {c.pk: c.name for c in competencies}
    order = {c.pk: i for i, c in enumerate(competencies)}
    return {
        "date": entry.date.isoformat(),
        "time": f"{entry.start_time:%H:%M}–{entry.end_time:%H:%M}",
        "is_simulation": bool(entry.is_simulation),
        "not_responding": bool(entry.not_responding),
        "activities": [
            _activity_text(
                str(ActivityKind(a.kind).label), str(RecruitPart(a.part).label), a.case_number.strip(), a.summary.strip()
            )
            for a in entry.activities
        ],
        "ratings": {
            names.get(cid, str(cid)): _rating_text(r.rating, r.comment.strip())
            for cid, r in sorted(entry.ratings.items(), key=lambda item: order.get(item[0], 0))
        },
        "remedials": [f"{topic.strip()} · {minutes}" for topic, minutes in entry.remedials],
        "best": entry.best.strip(),
        "worst": entry.worst.strip(),
        "next_plan": entry.next_plan.strip(),
    }


@dataclass(frozen=True)
class Change:
    """One thing that differs between two versions, as the page shows it."""

    label: str
    before: str
    after: str


def _show(value) -> str:
    if isinstance(value, bool):
        return _yes_no(value)
    if isinstance(value, list):
        return "；".join(value) if value else "—"
    return value or "—"


def content_changes(before: dict, after: dict) -> list[Change]:
    """What changed from `before` to `after`: fields, then each competency's rating."""
    changes = []
    for key, label in FIELD_LABELS.items():
        if key in ("best",):  # ratings read best between the shift facts and the narrative
            changes.extend(_rating_changes(before.get("ratings", {}), after.get("ratings", {})))
        old, new = before.get(key), after.get(key)
        if old != new:
            changes.append(Change(str(label), _show(old), _show(new)))
    return changes


def _rating_changes(before: dict, after: dict) -> list[Change]:
    changes = []
    for name in list(before) + [n for n in after if n not in before]:
        old, new = before.get(name), after.get(name)
        if old != new:
            changes.append(
                Change(_("Rating: %(competency)s") % {"competency": name}, old or _("not practised"), new or _("not practised"))
            )
    return changes
