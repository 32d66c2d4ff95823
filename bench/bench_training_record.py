"""The training-record PDF of a long mentorship at the text limits (target: under 3 s).

A year of shifts (250 logs x 13 competencies), every narrative field at its limit
(2,000 characters), a 500-character comment on every rating, 20 withdrawals or
returns with 1,000-character reasons and an end reason of 1,000 characters.
Run: .venv/bin/python bench/bench_training_record.py  (DATABASE_URL=postgres://... for PostgreSQL)
Uses a throw-away database (SQLite file, or DATABASE_URL's server with a test_ prefix).
"""

import datetime as dt
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.test.utils import get_runner  # noqa: E402

TARGET_SECONDS = 3.0
LOGS = 250
EVENTS = 20


def text(limit: int, seed: str) -> str:
    return (seed * (limit // len(seed) + 1))[:limit]


def main():
    from django.conf import settings
    from django.test.utils import setup_test_environment
    from django.utils import timezone

    setup_test_environment()
    runner = get_runner(settings)(verbosity=0)
    old = runner.setup_databases()
    try:
        from mentoring.curriculum import curriculum_seed
        from mentoring.forms import COMMENT_MAX, NARRATIVE_MAX
        from mentoring.models import (
            Competency,
            LogRating,
            Mentorship,
            ShadowingLog,
            SignOffEvent,
        )
        from mentoring.services import (
            REASON_MAX,
            RECORD_INLINE_MAX_CHARS,
            record_html,
            record_render_pdf,
        )
        from officers.models import Officer, Unit

        curriculum_seed()
        competencies = list(Competency.objects.all())
        station = Unit.objects.create(name="东城派出所", kind="police_station")
        mentor = Officer.objects.create_user("300001", "x", name="刘师傅", unit=station)
        recruit = Officer.objects.create_user("400001", "x", name="李新警", unit=station, tier="recruit")
        today = timezone.localdate()
        mentorship = Mentorship.objects.create(
            mentor=mentor, recruit=recruit, assigned_by=mentor, started_on=today - dt.timedelta(days=LOGS + 10),
            planned_end_on=today + dt.timedelta(days=30), status="ended_early",
            end_reason=text(REASON_MAX, "因工作调动提前结束带教，"),
        )
        ShadowingLog.objects.bulk_create([
            ShadowingLog(
                mentorship=mentorship, author=mentor, date=mentorship.started_on + dt.timedelta(days=i),
                start_time=dt.time(8, 30), end_time=dt.time(17, 30), duration_minutes=540,
                best=text(NARRATIVE_MAX, "现场询问条理清楚，证据固定及时。"),
                worst=text(NARRATIVE_MAX, "执法记录仪开启不及时，照片不全。"),
                next_plan=text(NARRATIVE_MAX, "练习询问笔录制作。"), is_simulation=i % 5 == 4,
            )
            for i in range(LOGS)
        ])
        logs = list(ShadowingLog.objects.filter(mentorship=mentorship))
        LogRating.objects.bulk_create([
            LogRating(log=log, competency=c, rating=3 + (i + j) % 4, comment=text(COMMENT_MAX, "说明，"))
            for i, log in enumerate(logs) for j, c in enumerate(competencies)
        ])
        SignOffEvent.objects.bulk_create([
            SignOffEvent(mentorship=mentorship, kind="withdrawn", competency=competencies[i % len(competencies)],
                         by=mentor, reason=text(REASON_MAX, "复核发现笔录存在问题，撤回签字。"))
            for i in range(EVENTS)
        ])
        engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
        short = Mentorship.objects.create(
            mentor=mentor, recruit=Officer.objects.create_user("400002", "x", name="王新警", unit=station, tier="recruit"),
            assigned_by=mentor, started_on=today - dt.timedelta(days=100), planned_end_on=today + dt.timedelta(days=30),
        )
        ShadowingLog.objects.bulk_create([
            ShadowingLog(mentorship=short, author=mentor, date=short.started_on + dt.timedelta(days=i),
                         start_time=dt.time(8, 30), end_time=dt.time(17, 30), duration_minutes=540,
                         best="询问条理清楚，证据固定及时。", worst="照片不全。", next_plan="练习笔录。")
            for i in range(90)
        ])
        record_render_pdf(mentorship=short)  # warm up fonts
        for label, m in (("usual record (90 logs, short texts)", short),
                         (f"long record ({LOGS} logs, texts at their limits, {EVENTS} withdrawals)", mentorship)):
            html = record_html(mentorship=m)
            start = time.perf_counter()
            data = record_render_pdf(mentorship=m)
            elapsed = time.perf_counter() - start
            where = "by the task worker" if len(html) > RECORD_INLINE_MAX_CHARS else "in the request"
            print(f"{engine:>10} | {label} | {elapsed:5.2f} s (request target < {TARGET_SECONDS:.0f} s) "
                  f"| {len(html):,} HTML chars -> rendered {where} | {len(data) // 1024} KB")
    finally:
        runner.teardown_databases(old)


if __name__ == "__main__":
    main()
