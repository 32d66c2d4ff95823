"""Speed of case-review rotations (issue 9).

Targets: assigning a round of 500 reviewers over 60 files with three earlier rounds
of history (database read + solve + write) <= 2 s, on SQLite and PostgreSQL; the
reviewer's file page <= 150 ms median (and each watermarked page image, once the
document's pages are rendered); the round's result page in a constant number of
queries (also pinned by tests/assessments/case_review/test_views.py).

Run: .venv/bin/python bench/bench_case_review.py
     DATABASE_URL=postgres://postgres@127.0.0.1:5432/cr_bench .venv/bin/python bench/bench_case_review.py
Uses a throw-away database (SQLite file, or DATABASE_URL's server with a test_ prefix).
"""

import datetime as dt
import os
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.test.utils import get_runner  # noqa: E402

REVIEWERS, FILES, PER_REVIEWER, EARLIER_ROUNDS = 500, 60, 2, 3


def _build():
    """A bureau of 6 brigades with 4 squads each (30 units), 500 mid-level officers,
    60 keyed files spread over the units, three earlier rounds that used the same files."""
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from assessments.case_review import documents, services  # noqa: I001
    from assessments.case_review.models import (
        CaseDocument,
        CaseFile,
        CaseReview,
        DefectType,
        KeyDefect,
        ReviewRound,
    )
    from officers.models import Officer, Unit
    from tests.factories.case_review import pdf_bytes

    rng = random.Random(9)
    units = []
    for b in range(6):
        brigade = Unit.objects.create(name=f"大队{b}", kind="brigade")
        units.append(brigade)
        for s in range(4):
            units.append(Unit.objects.create(name=f"大队{b}中队{s}", kind="brigade", parent=brigade))
    password = make_password("x")
    Officer.objects.bulk_create([
        Officer(police_number=f"{800000 + i:06d}", name=f"审核人{i}", unit=units[i % len(units)], tier="mid_level",
                password=password)
        for i in range(REVIEWERS)
    ])
    defect_type, _created = DefectType.objects.get_or_create(name="单人讯问")  # seeded by migration 0006
    name, digest = documents.pdf_store(data=pdf_bytes(3), title="讯问笔录")
    files = CaseFile.objects.bulk_create([
        CaseFile(title=f"案卷{i}", kind="criminal", unit=units[i % len(units)], correct_conclusion="return")
        for i in range(FILES)
    ])
    docs = CaseDocument.objects.bulk_create([
        CaseDocument(case_file=f, title="讯问笔录", pdf=name, page_count=3, size=1, digest=digest) for f in files
    ])
    KeyDefect.objects.bulk_create([
        KeyDefect(case_file=d.case_file, defect_type=defect_type, document=d, page=2, weight=Decimal(1), description="x")
        for d in docs
    ])
    now = timezone.now()
    officer_ids = list(Officer.objects.values_list("pk", flat=True))
    for r in range(EARLIER_ROUNDS):
        earlier = ReviewRound.objects.create(
            name=f"往期{r}", opens_at=now - dt.timedelta(days=100 - r * 30), closes_at=now - dt.timedelta(days=90 - r * 30),
            released_at=now - dt.timedelta(days=101 - r * 30), files_per_reviewer=1,
        )
        earlier.files.set(files)
        CaseReview.objects.bulk_create([
            CaseReview(round=earlier, reviewer_id=o, case_file=rng.choice(files)) for o in officer_ids
        ])
    round = ReviewRound.objects.create(
        name="本轮", opens_at=now + dt.timedelta(days=1), closes_at=now + dt.timedelta(days=8),
        files_per_reviewer=PER_REVIEWER, audience_tiers=["mid_level"],
    )
    round.files.set(files)
    return round, services


def main():
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django.utils import timezone

    runner = get_runner(settings)(verbosity=0)
    old = runner.setup_databases()
    try:
        vendor = connection.vendor
        round, services = _build()
        timings = []
        for seed in (1, 2, 3):
            started = time.perf_counter()
            plan = services.round_assign(round=round, seed=seed)
            timings.append(time.perf_counter() - started)
            assert plan.feasible, plan.problems[:3]
        from assessments.case_review.models import CaseReview, ReviewRound

        assert CaseReview.objects.filter(round=round).count() == REVIEWERS * PER_REVIEWER
        print(f"[{vendor}] assign {REVIEWERS} reviewers × {PER_REVIEWER} over {FILES} files, {EARLIER_ROUNDS} earlier rounds "
              f"(read + solve + write): median {statistics.median(timings) * 1000:.0f} ms, max {max(timings) * 1000:.0f} ms "
              f"(target ≤ 2000 ms)")

        services.round_release(round=round, by=None)
        ReviewRound.objects.filter(pk=round.pk).update(opens_at=timezone.now() - dt.timedelta(hours=1))
        review = CaseReview.objects.filter(round=round).select_related("reviewer", "case_file").first()
        client = Client()
        client.force_login(review.reviewer, backend="django.contrib.auth.backends.ModelBackend")
        url = reverse("case_review:review", args=[review.pk])
        assert client.get(url).status_code == 200
        page_times = []
        for _i in range(30):
            started = time.perf_counter()
            client.get(url)
            page_times.append(time.perf_counter() - started)
        print(f"[{vendor}] reviewer's file page: median {statistics.median(page_times) * 1000:.1f} ms (target ≤ 150 ms)")
        document = review.case_file.documents.first()
        image_url = reverse("case_review:page", args=[document.pk, 1])
        assert client.get(image_url).status_code == 200  # renders the pages once
        image_times = []
        for _i in range(30):
            started = time.perf_counter()
            client.get(image_url)
            image_times.append(time.perf_counter() - started)
        print(f"[{vendor}] watermarked page image (cached render, stamped per viewer): "
              f"median {statistics.median(image_times) * 1000:.1f} ms (target ≤ 150 ms)")

        manager = _grader()
        client.force_login(manager, backend="django.contrib.auth.backends.ModelBackend")
        results_url = reverse("case_review:results", args=[round.pk])
        client.get(results_url)
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            client.get(results_url)
            elapsed = time.perf_counter() - started
        print(f"[{vendor}] round result page, {REVIEWERS} reviewers: {len(queries)} queries, {elapsed * 1000:.0f} ms "
              f"(constant; pinned by a test)")
    finally:
        runner.teardown_databases(old)


def _grader():
    from django.contrib.auth.models import Group

    from officers.models import Officer

    officer = Officer.objects.create(police_number="199999", name="审核员", tier="mid_level")
    officer.groups.add(Group.objects.get_or_create(name="legal_reviewer")[0])
    return officer


if __name__ == "__main__":
    main()
