"""The knowledge tests' kind of publication: a test's results (成绩公示), frozen when published."""

from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from officers.permissions import is_legal_affairs_reviewer
from publications.registry import Column, PublicationKind, Snapshot, register

QUIZ_RESULTS = "quiz_results"


def _number(value) -> str | None:
    """A Decimal as plain text without trailing zeros (85, 85.5), as the pages show it."""
    if value is None:
        return None
    value = Decimal(value).quantize(Decimal("0.01"))
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def quiz_results_snapshot(quiz) -> Snapshot:
    """The counted result of every officer who sat the test, ranked, with the test's settings."""
    from .selectors import quiz_absentees, quiz_results, quiz_unit_summary

    results = quiz_results(quiz=quiz)
    absentees = quiz_absentees(quiz=quiz)
    rows = [{
        "officer_id": r.officer_id,
        "rank": r.rank,
        "name": r.name,
        "unit": r.unit,
        "attempts": r.attempts,
        "score": None if r.pending else _number(r.score),
        "max_score": _number(r.max_score),
        "percent": None if r.pending else _number(r.percent),
        "passed": r.passed,
        "result": _("Awaiting marking") if r.pending else (_("Passed") if r.passed else _("Not passed")),
    } for r in results]
    taking_part = len(rows)
    # Absentees (缺考): in the audience, never sat; listed after everyone who sat, by unit.
    rows += [{
        "officer_id": a.officer_id, "rank": None, "name": a.name, "unit": a.unit, "attempts": 0,
        "score": None, "max_score": None, "percent": None, "passed": None, "result": _("Absent"),
    } for a in absentees]
    unit_rows = [{
        "unit": u.unit, "officers": u.officers, "passed": u.passed, "absent": u.absent,
        "average": _number(u.average), "pass_rate": _number(u.pass_rate) if u.officers else None,
    } for u in quiz_unit_summary(rows=results, absentees=absentees)]
    opens, closes = timezone.localtime(quiz.opens_at), timezone.localtime(quiz.closes_at)
    meta = {
        "items": [
            [_("Which attempt counts"), quiz.get_counting_display()],
            [_("Pass mark"), f"{_number(quiz.pass_mark)}%"],
            [_("Attempts allowed"), str(quiz.attempts_allowed)],
            [_("Test window"), f"{opens:%Y-%m-%d %H:%M} – {closes:%Y-%m-%d %H:%M}"],
            [_("Time limit"), _("%(minutes)s min") % {"minutes": quiz.time_limit_minutes}],
            [_("Officers taking part"), str(taking_part)],
            [_("Passed"), str(sum(1 for r in results if r.passed))],
            [_("Absent"), str(len(absentees))],
        ],
        "settings": {
            "counting": quiz.counting, "pass_mark": _number(quiz.pass_mark),
            "attempts_allowed": quiz.attempts_allowed, "opens_at": quiz.opens_at.isoformat(),
            "closes_at": quiz.closes_at.isoformat(), "time_limit_minutes": quiz.time_limit_minutes,
        },
    }
    return Snapshot(title=_("Results of “%(title)s”") % {"title": quiz.title}, rows=rows, meta=meta,
                    unit_rows=unit_rows)


def can_publish_quiz_results(officer) -> bool:
    """Trainers (who run the tests) and the legal affairs unit's reviewers publish results."""
    from .selectors import can_manage_tests

    return bool(officer.is_authenticated and (can_manage_tests(officer) or is_legal_affairs_reviewer(officer)))


def quiz_publish_warnings(quiz) -> list[str]:
    """The same confirmation the test's own publish button asks (still open, unmarked essays),
    so that issuing a new version from the publications page asks it too."""
    from .selectors import publish_warnings

    return publish_warnings(quiz=quiz)


register(PublicationKind(
    code=QUIZ_RESULTS,
    label=gettext_lazy("Knowledge-test results"),
    subject_model="assessments.Quiz",
    columns=[
        Column("rank", gettext_lazy("Rank"), numeric=True),
        Column("name", pgettext_lazy("person", "Name")),
        Column("unit", gettext_lazy("Unit")),
        Column("attempts", gettext_lazy("Attempts"), numeric=True),
        Column("score", gettext_lazy("Score"), numeric=True),
        Column("percent", gettext_lazy("Percent (%)"), numeric=True),
        Column("result", gettext_lazy("Result")),
    ],
    unit_columns=[
        Column("unit", gettext_lazy("Unit")),
        Column("officers", gettext_lazy("Officers taking part"), numeric=True),
        Column("absent", gettext_lazy("Absent"), numeric=True),
        Column("passed", gettext_lazy("Passed"), numeric=True),
        Column("average", gettext_lazy("Average (%)"), numeric=True),
        Column("pass_rate", gettext_lazy("Pass rate (%)"), numeric=True),
    ],
    snapshot=quiz_results_snapshot,
    can_publish=can_publish_quiz_results,
    publish_warnings=quiz_publish_warnings,
))

# Case-review rotations register their own kind ("case_review_results").
from .case_review import publications as _case_review_publications  # noqa: E402, F401
