"""A recruit's progress page with 90 shift logs x 13 competencies (target: <= 100 ms median,
a constant number of queries).

Run: .venv/bin/python bench/bench_mentoring_progress.py  (DATABASE_URL=postgres://... for PostgreSQL)
Uses a throw-away database (SQLite file, or DATABASE_URL's server with a test_ prefix).
"""

import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.test.utils import get_runner  # noqa: E402

RUNS = 30


def build_logs(mentorship, competencies, count):
    from mentoring.models import LogRating, ShadowingLog

    logs = ShadowingLog.objects.bulk_create(
        [
            ShadowingLog(
                mentorship=mentorship, author=mentorship.mentor,
                date=mentorship.started_on + dt.timedelta(days=i), start_time=dt.time(8, 30),
                end_time=dt.time(17, 30), duration_minutes=540, best="询问条理清楚", worst="照片不全",
                next_plan="练习笔录", is_simulation=i % 5 == 4,
            )
            for i in range(count)
        ]
    )
    if not logs[0].pk:  # backends that do not return ids from bulk_create
        logs = list(ShadowingLog.objects.filter(mentorship=mentorship).order_by("date"))
    LogRating.objects.bulk_create(
        [
            LogRating(log=log, competency=c, rating=3 + (i + j) % 4)
            for i, log in enumerate(logs)
            for j, c in enumerate(competencies)
        ]
    )


def measure(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm up
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    return statistics.median(times), len(ctx.captured_queries)


def main():
    from django.conf import settings
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.utils import timezone

    setup_test_environment()
    runner = get_runner(settings)(verbosity=0)
    old = runner.setup_databases()
    try:
        from django.urls import reverse

        from mentoring.curriculum import curriculum_seed
        from mentoring.models import Competency, Mentorship
        from officers.models import Officer, Unit

        curriculum_seed()
        competencies = list(Competency.objects.all())
        station = Unit.objects.create(name="东城派出所", kind="police_station")
        mentor = Officer.objects.create_user("300001", "x", name="刘师傅", unit=station)
        engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
        client = Client()
        client.force_login(mentor, backend="django.contrib.auth.backends.ModelBackend")
        for number, count in ((400001, 10), (400002, 90)):
            recruit = Officer.objects.create_user(str(number), "x", name="李新警", unit=station, tier="recruit")
            mentorship = Mentorship.objects.create(
                mentor=mentor, recruit=recruit, assigned_by=mentor,
                started_on=timezone.localdate() - dt.timedelta(days=100), planned_end_on=timezone.localdate() + dt.timedelta(days=30),
            )
            build_logs(mentorship, competencies, count)
            median, queries = measure(client, reverse("mentoring:mentorship", args=[mentorship.pk]))
            print(
                f"{engine:>10} | progress page, {count:>2} logs x {len(competencies)} competencies "
                f"| median {median:6.1f} ms | {queries} queries"
            )
            # The recruit's logs finish; the mentor may take the next one.
            Mentorship.objects.filter(pk=mentorship.pk).update(status="completed")
    finally:
        runner.teardown_databases(old)


if __name__ == "__main__":
    main()
