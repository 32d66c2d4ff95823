"""Case-review results as a kind of publication (挂网公示), frozen when published."""

from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from publications.registry import Column, PublicationKind, Snapshot, register

CASE_REVIEW_RESULTS = "case_review_results"


def _number(value) -> str | None:
    if value is None:
        return None
    text = f"{Decimal(value).quantize(Decimal('0.01')):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def case_review_snapshot(round) -> Snapshot:
    """Every reviewer's round score, ranked; per unit; the round's formula and weights."""
    from .selectors import round_results

    results = round_results(round=round)
    rows = [{
        "officer_id": r.officer_id, "rank": r.rank, "name": r.name, "unit": r.unit, "files": r.files,
        "submitted": r.submitted, "score": _number(r.score),
    } for r in results.reviewers]
    unit_rows = [{"unit": u.unit, "reviewers": u.reviewers, "average": _number(u.average)} for u in results.units]
    opens, closes = timezone.localtime(round.opens_at), timezone.localtime(round.closes_at)
    meta = {
        "items": [
            [_("Review window"), f"{opens:%Y-%m-%d %H:%M} – {closes:%Y-%m-%d %H:%M}"],
            [_("Files per reviewer"), str(round.files_per_reviewer)],
            [_("Score of a file"), _(
                "found weight ÷ total weight × %(defects)s + %(conclusion)s for the right conclusion − "
                "%(deduction)s per wrong finding, at least 0; a file not submitted scores 0"
            ) % {"defects": _number(round.defect_points), "conclusion": _number(round.conclusion_points),
                 "deduction": _number(round.wrong_finding_deduction)}],
            [_("Round score"), _("the mean of the reviewer's file scores")],
            [_("Reviewers"), str(len(rows))],
            [_("Defects missed most"), "、".join(
                f"{t.defect_type}（{_number(t.found_rate)}%）" for t in results.defect_types[:3] if t.found_rate is not None)],
        ],
        "settings": {
            "defect_points": _number(round.defect_points), "conclusion_points": _number(round.conclusion_points),
            "wrong_finding_deduction": _number(round.wrong_finding_deduction),
            "files_per_reviewer": round.files_per_reviewer, "seed": round.seed,
            "opens_at": round.opens_at.isoformat(), "closes_at": round.closes_at.isoformat(),
        },
    }
    return Snapshot(title=_("Case-review rotation results: %(name)s") % {"name": round.name}, rows=rows, meta=meta,
                    unit_rows=unit_rows)


def _can_publish(officer) -> bool:
    from .permissions import can_publish_results

    return can_publish_results(officer)


register(PublicationKind(
    code=CASE_REVIEW_RESULTS,
    label=gettext_lazy("Case-review rotation results"),
    subject_model="assessments.ReviewRound",
    columns=[
        Column("rank", gettext_lazy("Rank"), numeric=True),
        Column("name", pgettext_lazy("person", "Name")),
        Column("unit", gettext_lazy("Unit")),
        Column("files", gettext_lazy("Files"), numeric=True),
        Column("submitted", gettext_lazy("Submitted"), numeric=True),
        Column("score", gettext_lazy("Score"), numeric=True),
    ],
    unit_columns=[
        Column("unit", gettext_lazy("Unit")),
        Column("reviewers", gettext_lazy("Reviewers"), numeric=True),
        Column("average", gettext_lazy("Average score"), numeric=True),
    ],
    snapshot=case_review_snapshot,
    can_publish=_can_publish,
))
