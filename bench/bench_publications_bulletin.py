"""Speed and memory of the bulletin PDF (通报) as the task worker renders it.

Target (issue 10): the bulletin of a publication with 2,000 rows in ≤ 15 s, with the
worker's memory (peak resident set size) ≤ 300 MB. The script stores such a publication,
then renders its bulletin in a fresh process that does what the task worker does
(django.setup(), then publications.services.bulletin_store) and prints that process's
wall and CPU time, its peak RSS (resource.getrusage), the page count and the PDF's size.
On a machine shared with other work, wall time exceeds CPU time; both are printed.

Run: .venv/bin/python bench/bench_publications_bulletin.py
     DATABASE_URL=postgres://postgres@127.0.0.1:5432/pub_db .venv/bin/python bench/bench_publications_bulletin.py
Uses a throw-away database (SQLite file, or DATABASE_URL's server with a test_ prefix).
"""

import io
import json
import os
import resource
import subprocess
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
UNITS = 30
TARGET_SECONDS = 15
TARGET_MB = 300


def _peak_rss_mb() -> float:
    # ru_maxrss is in kilobytes on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main():
    from django.conf import settings
    from django.contrib.contenttypes.models import ContentType
    from django.test.utils import setup_test_environment
    from django.utils import timezone
    from pypdf import PdfReader

    setup_test_environment()
    runner = get_runner(settings)(verbosity=0)
    old = runner.setup_databases()
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    try:
        from assessments.publications import QUIZ_RESULTS
        from officers.models import Unit
        from publications.models import Publication
        from publications.registry import get_kind
        from publications.services import (
            _columns,
            objection_window_close,
        )

        kind = get_kind(QUIZ_RESULTS)
        units = [f"第{i}派出所" for i in range(UNITS)]
        rows = []
        for i in range(ROWS):
            score = 100 - (i * 60) // ROWS
            rows.append({
                "officer_id": i + 1, "rank": i + 1, "name": f"民警{i:04d}", "unit": units[i % UNITS],
                "attempts": 1, "score": str(score), "max_score": "100", "percent": f"{score}.0",
                "passed": score >= 60, "result": "及格" if score >= 60 else "未通过",
            })
        unit_rows = [{"unit": u, "officers": ROWS // UNITS, "passed": 50, "average": "75.5", "pass_rate": "80.0"}
                     for u in units]
        changes = [{"officer_id": i + 1, "name": f"民警{i:04d}", "change": "changed",
                    "fields": [{"key": "score", "label": "得分", "old": "70", "new": "75"}]} for i in range(50)]
        subject = Unit.objects.create(name="基准", kind="police_station")
        now = timezone.now()
        common = {
            "kind": QUIZ_RESULTS, "subject_type": ContentType.objects.get_for_model(Unit), "subject_id": subject.pk,
            "title": "“2026年第四季度法律知识抽测”成绩", "columns": _columns(kind.columns),
            "unit_columns": _columns(kind.unit_columns), "rows": rows, "unit_rows": unit_rows,
            "meta": {"items": [["计分方式", "最高分"], ["及格线", "60%"], ["可作答次数", "2"]]},
            "published_at": now, "objections_close_at": objection_window_close(now), "number_year": now.year,
        }
        previous = Publication.objects.create(version=1, number=1, document_number="永公法〔2026〕1号", **common)
        publication = Publication.objects.create(
            version=2, number=2, document_number="永公法〔2026〕2号", changes=changes, **common,
        )
        Publication.objects.filter(pk=previous.pk).update(superseded_by=publication, superseded_at=now)

        database = settings.DATABASES["default"]
        if engine == "sqlite3":
            url = f"sqlite:///{database['NAME']}"
        else:
            url = (f"postgres://{database['USER']}:{database['PASSWORD']}@{database['HOST']}:{database['PORT']}"
                   f"/{database['NAME']}")
        child = subprocess.run(
            [sys.executable, __file__, "--render", str(publication.pk)],
            env={**os.environ, "DATABASE_URL": url}, capture_output=True, text=True, check=True,
        )
        figures = json.loads(child.stdout.strip().splitlines()[-1])
        publication.refresh_from_db()
        data = publication.bulletin.read()
        pages = len(PdfReader(io.BytesIO(data)).pages)
        print(f"{engine:>10} | bulletin of {ROWS} rows | {figures['wall']:5.1f} s wall, {figures['cpu']:5.1f} s CPU "
              f"(target ≤ {TARGET_SECONDS} s), {pages} pages, {len(data) / 1024:.0f} KiB")
        print(f"{engine:>10} | worker memory        | peak RSS {figures['peak']:.0f} MB (target ≤ {TARGET_MB} MB; "
              f"{figures['before']:.0f} MB after django.setup())")
        publication.bulletin.delete(save=False)
        ok = min(figures["wall"], figures["cpu"]) <= TARGET_SECONDS and figures["peak"] <= TARGET_MB
        print(f"{engine:>10} | within targets: {'yes' if ok else 'NO'}")
        return 0 if ok else 1
    finally:
        runner.teardown_databases(old)


def render(publication_id: int) -> None:
    """The worker's part, in this (fresh) process: render and store one bulletin."""
    from publications.services import bulletin_store

    before = _peak_rss_mb()
    wall, cpu = time.perf_counter(), time.process_time()
    assert bulletin_store(publication_id=publication_id)
    print(json.dumps({"wall": time.perf_counter() - wall, "cpu": time.process_time() - cpu,
                      "peak": _peak_rss_mb(), "before": before}))


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--render":
        render(int(sys.argv[2]))
    else:
        sys.exit(main())
