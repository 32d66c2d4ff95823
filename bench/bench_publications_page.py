"""Speed of a published table's page (挂网公示) with 2,000 rows.

Target (issue 10): the published ranking page in a constant number of queries and
≤ 150 ms median. The page of a version is the same for every kind; this measures it
for a 2,000-row publication of test results (first page, the reader's own page via
"find my row", and a later page), and the list of publications, as a signed-in officer.

Run: .venv/bin/python bench/bench_publications_page.py
     DATABASE_URL=postgres://postgres@127.0.0.1:5432/pub_db .venv/bin/python bench/bench_publications_page.py
Uses a throw-away database (SQLite file, or DATABASE_URL's server with a test_ prefix).
"""

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

ROWS = 2000
RUNS = 15
TARGET_MS = 150


def main():
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    setup_test_environment()
    runner = get_runner(settings)(verbosity=0)
    old = runner.setup_databases()
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    try:
        from django.contrib.contenttypes.models import ContentType
        from django.utils import timezone

        from assessments.publications import QUIZ_RESULTS
        from officers.models import Officer, Unit
        from publications.models import Publication
        from publications.registry import get_kind
        from publications.services import _columns, objection_window_close

        units = [Unit.objects.create(name=f"第{i}派出所", kind="police_station") for i in range(30)]
        officers = Officer.objects.bulk_create([
            Officer(police_number=f"{300000 + i:06d}", name=f"民警{i}", unit=units[i % 30], password="!")
            for i in range(ROWS)
        ])
        kind = get_kind(QUIZ_RESULTS)
        rows = [{"officer_id": o.pk, "rank": i + 1, "name": o.name, "unit": units[i % 30].name, "attempts": 1,
                 "score": str(100 - i // 40), "percent": f"{100 - i // 40}.0", "result": "及格"}
                for i, o in enumerate(officers)]
        now = timezone.now()
        publication = Publication.objects.create(
            kind=QUIZ_RESULTS, subject_type=ContentType.objects.get_for_model(Unit), subject_id=units[0].pk,
            version=1, title="基准成绩", columns=_columns(kind.columns), unit_columns=_columns(kind.unit_columns),
            rows=rows, unit_rows=[{"unit": u.name, "officers": ROWS // 30} for u in units], meta={"items": []},
            published_at=now, objections_close_at=objection_window_close(now), number_year=now.year, number=1,
            document_number="永公法〔2026〕1号",
        )
        reader = officers[1500]
        client = Client()
        client.force_login(reader, backend="django.contrib.auth.backends.ModelBackend")
        ok = True
        for label, url in (
            ("detail, first page", f"/publications/{publication.pk}/"),
            ("detail, my row (?me)", f"/publications/{publication.pk}/?me"),
            ("detail, page 20", f"/publications/{publication.pk}/?page=20"),
            ("list of publications", "/publications/"),
        ):
            client.get(url)
            times = []
            for _ in range(RUNS):
                with CaptureQueriesContext(connection) as captured:
                    started = time.perf_counter()
                    response = client.get(url)
                    times.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200, response.status_code
            median = statistics.median(times)
            ok = ok and median <= TARGET_MS
            print(f"{engine:>10} | {label:<22} | median {median:6.1f} ms (target ≤ {TARGET_MS} ms), "
                  f"{len(captured.captured_queries)} queries")
        print(f"{engine:>10} | within targets: {'yes' if ok else 'NO'}")
        return 0 if ok else 1
    finally:
        runner.teardown_databases(old)


if __name__ == "__main__":
    sys.exit(main())
