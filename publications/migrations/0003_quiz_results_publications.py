"""Keep the tests' existing published results: each becomes version 1 of a "quiz_results" publication.

Until now a test was published by setting Quiz.results_published_at, and its results
page recomputed the table from the sittings on every visit. This migration freezes,
for every quiz published that way, the table as it stands now, with the rules of
assessments.selectors.quiz_results copied here (historical models cannot call it).
Its bulletin is rendered by the task worker on the first download. The column stays
in the schema, unused; it is to be dropped later with an assessments migration.
"""

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.conf import settings
from django.db import migrations
from django.utils import timezone

COUNTING = {"highest": "最高分", "last": "最后一次", "first": "第一次", "average": "各次平均分"}
COLUMNS = [
    {"key": "rank", "label": "名次", "numeric": True},
    {"key": "name", "label": "姓名", "numeric": False},
    {"key": "unit", "label": "所队", "numeric": False},
    {"key": "attempts", "label": "作答次数", "numeric": True},
    {"key": "score", "label": "得分", "numeric": True},
    {"key": "percent", "label": "得分率（%）", "numeric": True},
    {"key": "result", "label": "结果", "numeric": False},
]
UNIT_COLUMNS = [
    {"key": "unit", "label": "所队", "numeric": False},
    {"key": "officers", "label": "参考人数", "numeric": True},
    {"key": "passed", "label": "及格", "numeric": True},
    {"key": "average", "label": "平均得分率（%）", "numeric": True},
    {"key": "pass_rate", "label": "及格率（%）", "numeric": True},
]


def _number(value):
    if value is None:
        return None
    text = f"{Decimal(value).quantize(Decimal('0.01')):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _counted(sittings, counting):
    ordered = sorted(sittings, key=lambda s: s.attempt)
    if counting in ("first", "last"):
        chosen = ordered[0] if counting == "first" else ordered[-1]
        return (chosen.score if chosen.status == "final" else None), chosen.max_score
    if any(s.status != "final" for s in ordered):
        return None, ordered[-1].max_score
    if counting == "average":
        return (sum((s.score for s in ordered), Decimal(0)) / len(ordered)).quantize(Decimal("0.01")), ordered[-1].max_score
    chosen = max(ordered, key=lambda s: (s.score * 100 / s.max_score if s.max_score else 0, -s.attempt))
    return chosen.score, chosen.max_score


def _snapshot(quiz, Sitting):
    by_officer = defaultdict(list)
    for sitting in Sitting.objects.filter(quiz=quiz, status__in=["final", "marking"]).select_related("officer__unit"):
        by_officer[sitting.officer_id].append(sitting)
    rows = []
    for _officer_id, mine in by_officer.items():
        score, max_score = _counted(mine, quiz.counting)
        officer = mine[0].officer
        pending = score is None
        percent = None if pending else (score * 100 / max_score if max_score else Decimal(0))
        passed = None if pending else percent >= quiz.pass_mark
        rows.append({
            "officer_id": officer.pk, "rank": None, "name": officer.name,
            "unit": officer.unit.name if officer.unit_id else "", "attempts": len(mine),
            "score": None if pending else _number(score), "max_score": _number(max_score),
            "percent": None if pending else _number(round(percent, 1)), "passed": passed,
            "result": "待阅卷" if pending else ("及格" if passed else "未通过"),
            "_percent": None if pending else round(percent, 1), "_number": officer.police_number,
        })
    ranked = sorted((r for r in rows if r["_percent"] is not None), key=lambda r: (-r["_percent"], r["_number"]))
    previous = object()
    for index, row in enumerate(ranked, start=1):
        row["rank"] = ranked[index - 2]["rank"] if row["_percent"] == previous else index
        previous = row["_percent"]
    pending = sorted((r for r in rows if r["_percent"] is None), key=lambda r: r["_number"])
    units = defaultdict(list)
    for row in ranked:
        units[row["unit"]].append(row)
    unit_rows = sorted((
        {"unit": unit, "officers": len(rs), "passed": sum(1 for r in rs if r["passed"]),
         "average": _number(round(sum(r["_percent"] for r in rs) / len(rs), 1)),
         "pass_rate": _number(round(Decimal(sum(1 for r in rs if r["passed"]) * 100) / len(rs), 1)),
         "_average": round(sum(r["_percent"] for r in rs) / len(rs), 1)}
        for unit, rs in units.items()
    ), key=lambda u: (-u["_average"], u["unit"]))
    for row in ranked + pending:
        del row["_percent"], row["_number"]
    for row in unit_rows:
        del row["_average"]
    opens, closes = timezone.localtime(quiz.opens_at), timezone.localtime(quiz.closes_at)
    meta = {
        "items": [
            ["计分方式", COUNTING.get(quiz.counting, quiz.counting)],
            ["及格线", f"{_number(quiz.pass_mark)}%"],
            ["可作答次数", str(quiz.attempts_allowed)],
            ["考试时间", f"{opens:%Y-%m-%d %H:%M} – {closes:%Y-%m-%d %H:%M}"],
            ["限时", f"{quiz.time_limit_minutes} 分钟"],
            ["参考人数", str(len(rows))],
            ["及格", str(sum(1 for r in ranked if r["passed"]))],
        ],
        "settings": {
            "counting": quiz.counting, "pass_mark": _number(quiz.pass_mark),
            "attempts_allowed": quiz.attempts_allowed, "opens_at": quiz.opens_at.isoformat(),
            "closes_at": quiz.closes_at.isoformat(), "time_limit_minutes": quiz.time_limit_minutes,
        },
        "migrated": True,
    }
    return ranked + pending, unit_rows, meta


def _window_close(published_at):
    holidays = {dt.date.fromisoformat(str(d)) for d in getattr(settings, "PUBLICATION_HOLIDAYS", [])}
    workdays = {dt.date.fromisoformat(str(d)) for d in getattr(settings, "PUBLICATION_WORKDAYS", [])}
    day, counted = timezone.localdate(published_at), 0
    while counted < getattr(settings, "PUBLICATION_OBJECTION_WORKING_DAYS", 5):
        day += dt.timedelta(days=1)
        if day in workdays or (day.weekday() < 5 and day not in holidays):
            counted += 1
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))


def forwards(apps, schema_editor):
    Quiz = apps.get_model("assessments", "Quiz")
    Sitting = apps.get_model("assessments", "Sitting")
    Publication = apps.get_model("publications", "Publication")
    ContentType = apps.get_model("contenttypes", "ContentType")
    quizzes = list(Quiz.objects.filter(results_published_at__isnull=False).order_by("results_published_at", "pk"))
    if not quizzes:
        return
    quiz_type, _created = ContentType.objects.get_or_create(app_label="assessments", model="quiz")
    prefix = getattr(settings, "PUBLICATION_DOCUMENT_PREFIX", "永公法")
    for quiz in quizzes:
        if Publication.objects.filter(kind="quiz_results", subject_type=quiz_type, subject_id=quiz.pk).exists():
            continue
        rows, unit_rows, meta = _snapshot(quiz, Sitting)
        year = timezone.localdate(quiz.results_published_at).year
        number = (Publication.objects.filter(number_year=year).order_by("-number").values_list("number", flat=True).first() or 0) + 1
        Publication.objects.create(
            kind="quiz_results", subject_type=quiz_type, subject_id=quiz.pk, version=1,
            title=f"“{quiz.title}”成绩", columns=COLUMNS, unit_columns=UNIT_COLUMNS, rows=rows,
            unit_rows=unit_rows, meta=meta, note="由原有的成绩公示迁移而来。", published_by=None,
            published_at=quiz.results_published_at, objections_close_at=_window_close(quiz.results_published_at),
            number_year=year, number=number, document_number=f"{prefix}〔{year}〕{number}号", changes=[],
            bulletin_status="pending",
        )


class Migration(migrations.Migration):

    dependencies = [
        ("assessments", "0004_review_after_close_by_default"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("publications", "0002_bulletin_requested_at"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
