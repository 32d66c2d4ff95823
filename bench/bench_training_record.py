"""The training-record PDF, which prints every log: the time the task worker takes.

A full mentorship: three months, 60 shifts, 13 competencies rated on each, usual
texts (a sentence or two per field, a comment on one rating in four), incidents
handled, one log corrected and one objection answered, every competency signed off
and 出师 approved. The record is printed once by the task worker and kept until it
changes, so a view after the first costs only the state key (also timed).
BENCH_LONG=1 adds a year at the text limits (250 logs, every field at its limit),
which takes minutes: the worker's worst case.
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

LOGS = 250
EVENTS = 20
FULL_LOGS = 60


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
            CompetencySignOff,
            LogActivity,
            LogObjection,
            LogRating,
            LogStatus,
            LogVersion,
            Mentorship,
            ShadowingLog,
            SignOffEvent,
        )
        from mentoring.selectors import record_state_key
        from mentoring.services import (
            REASON_MAX,
            record_html,
            record_render_pdf,
        )
        from mentoring.versions import log_content
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
        full = Mentorship.objects.create(
            mentor=mentor, recruit=Officer.objects.create_user("400002", "x", name="王新警", unit=station, tier="recruit"),
            assigned_by=mentor, started_on=today - dt.timedelta(days=95), planned_end_on=today - dt.timedelta(days=3),
            status="completed", final_proposed_at=timezone.now(), final_approved_at=timezone.now(),
            final_approved_by=mentor, final_opinion="经审核，各培训项目均已签字确认，同意出师。",
        )
        ShadowingLog.objects.bulk_create([
            ShadowingLog(mentorship=full, author=mentor, date=full.started_on + dt.timedelta(days=i * 3 // 2),
                         start_time=dt.time(8, 30), end_time=dt.time(17, 30), duration_minutes=540,
                         best="接警后询问报警人要素齐全，现场处置冷静，能主动向群众说明处理依据。",
                         worst="执法记录仪开启不及时，现场照片缺少全景，受案登记缺少报警人联系方式。",
                         next_plan="练习受案登记和询问笔录制作，下次由新警主问。",
                         is_simulation=i % 10 == 9, not_responding=i == 7, status=LogStatus.ACKNOWLEDGED,
                         acknowledged_at=timezone.now(), acknowledged_version=1, recruit_read_version=1)
            for i in range(FULL_LOGS)
        ])
        full_logs = list(ShadowingLog.objects.filter(mentorship=full))
        LogRating.objects.bulk_create([
            LogRating(log=log, competency=c, rating=3 + (i + j) % 4,
                      comment="询问时能抓住案件要素。" if (i + j) % 4 == 0 else "")
            for i, log in enumerate(full_logs) for j, c in enumerate(competencies)
        ])
        LogActivity.objects.bulk_create([
            LogActivity(log=log, kind=("call", "administrative", "dispute")[i % 3], part="assisted",
                        case_number=f"A33078420260{i:03d}", summary="邻里纠纷引发的殴打他人案")
            for i, log in enumerate(full_logs)
        ])
        for log in full_logs[:2]:  # one corrected log and one objection, as in the demo
            LogVersion.objects.create(log=log, number=1, author=mentor, content=log_content(log))
        second = full_logs[1]
        LogVersion.objects.create(log=second, number=2, author=mentor, content={**log_content(second), "time": "08:30–18:00"})
        ShadowingLog.objects.filter(pk=second.pk).update(version=2)
        LogObjection.objects.create(log=second, raised_by=full.recruit, log_version=2, reason="盘查由我独立完成。",
                                    answer="核实后确认，已补充说明。", answered_by=mentor, answered_at=timezone.now())
        CompetencySignOff.objects.bulk_create([
            CompetencySignOff(mentorship=full, competency=c, signed_by=mentor) for c in competencies
        ])
        record_render_pdf(mentorship=full)  # warm up fonts
        cases = [(f"full mentorship ({FULL_LOGS} logs, usual texts, 13 ratings each)", full)]
        if os.environ.get("BENCH_LONG"):
            cases.append((f"a year at the text limits ({LOGS} logs, {EVENTS} withdrawals)", mentorship))
        for label, m in cases:
            html = record_html(mentorship=m)
            start = time.perf_counter()
            data = record_render_pdf(mentorship=m)
            elapsed = time.perf_counter() - start
            start = time.perf_counter()
            record_state_key(mentorship=m)
            key_ms = (time.perf_counter() - start) * 1000
            load = os.getloadavg()[0]
            print(f"{engine:>10} | {label} | rendered by the task worker in {elapsed:5.2f} s | "
                  f"{len(html):,} HTML chars, {len(data) // 1024} KB | "
                  f"a kept record's state key: {key_ms:.1f} ms | load average {load:.1f}")
    finally:
        runner.teardown_databases(old)


if __name__ == "__main__":
    main()
