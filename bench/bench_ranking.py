"""The points ranking at bureau scale: 2,000 officers and 500,000 ledger entries over a year.

Prints, beside each target:
- ranking a quarter for one track (summed in SQL, caps applied per officer and rule) ≤ 1 s;
- the live ranking page (paginated, 50 rows a page) and the published ranking page
  (the publications app's page of the frozen snapshot): a constant number of queries, median ≤ 150 ms;
- an officer's breakdown ≤ 100 ms.

Run: .venv/bin/python bench/bench_ranking.py  (DATABASE_URL=postgres://... for PostgreSQL)
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

OFFICERS = 2000
MID_LEVEL = 300
ENTRIES = 500_000
UNITS = 30
YEAR = 2026


def measure(fn, repeat=9):
    from django.db import connection, reset_queries

    fn()  # warm up
    times, queries = [], []
    for _ in range(repeat):
        reset_queries()
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
        queries.append(len(connection.queries))
    return statistics.median(times), max(queries)


def build():
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from officers.models import Officer, Unit
    from ranking.models import PointEntry, PointRule, RuleBook, RuleBookVersion, Track

    units = Unit.objects.bulk_create([Unit(name=f"第{i}派出所", kind="police_station") for i in range(UNITS)])
    legal = Unit.objects.create(name="法制大队", kind="legal_affairs")
    password = make_password("x")
    officers = Officer.objects.bulk_create([
        Officer(police_number=f"{700000 + i:06d}", name=f"民警{i}", unit=units[i % UNITS], password=password,
                tier="mid_level" if i < MID_LEVEL else "officer")
        for i in range(OFFICERS)
    ])
    reviewer = Officer.objects.create_user("100002", "x", name="周审核", unit=legal, tier="mid_level")
    reviewer.groups.add(Group.objects.get_or_create(name="legal_reviewer")[0])
    versions, rules = {}, {}
    for track in Track.values:
        book = RuleBook.objects.create(track=track, name=f"{track}办法")
        version = RuleBookVersion.objects.create(
            rule_book=book, number=1, effective_from=dt.date(YEAR, 1, 1), status="in_force",
            approved_by=reviewer, approved_at=timezone.now(),
        )
        versions[track] = version
        rules[track] = [
            PointRule.objects.create(version=version, code=f"r{i}", name=f"规则{i}", kind="manual", sort_order=i,
                                     period_cap=Decimal(40) if i == 0 else None,
                                     period_floor=Decimal(-20) if i == 1 else None)
            for i in range(8)
        ]
    rng = random.Random(10)
    start = dt.date(YEAR, 1, 1)
    choices = [Decimal(v) for v in ("0.5", "1", "1", "2", "3", "5", "-2", "-3")]
    batch, made = [], 0
    now = timezone.now()
    began = time.perf_counter()
    for i in range(ENTRIES):
        officer = officers[rng.randrange(OFFICERS)]
        track = "mid_level" if officer.tier == "mid_level" else "officer"
        rule = rules[track][rng.randrange(8)]
        batch.append(PointEntry(
            officer_id=officer.pk, track=track, rule_version_id=versions[track].pk, rule_id=rule.pk,
            fact_key=f"bench:{i}", points=choices[rng.randrange(len(choices))],
            occurred_on=start + dt.timedelta(days=rng.randrange(365)), posted_at=now, note="基准数据",
        ))
        if len(batch) == 10_000:
            PointEntry.objects.bulk_create(batch)
            made += len(batch)
            batch = []
    PointEntry.objects.bulk_create(batch)
    print(f"built {OFFICERS} officers and {ENTRIES} ledger entries in {time.perf_counter() - began:.0f} s")
    return reviewer, officers


def main():
    from django.conf import settings
    from django.test import Client
    from django.test.utils import override_settings, setup_test_environment

    setup_test_environment()
    settings.DEBUG = True  # count queries
    runner = get_runner(settings)(verbosity=0)
    old = runner.setup_databases()
    try:
        from django.db import connection
        from django.urls import reverse

        from ranking.selectors import standings
        from ranking.services import ranking_get_or_create, ranking_publish

        engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
        reviewer, officers = build()
        if engine == "postgresql":
            # What autovacuum does after a bulk load: statistics, and the visibility map
            # that lets the ranking's covering index answer without the table.
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE ranking_pointentry")
        from ranking.periods import period_parse

        period = period_parse(f"{YEAR}Q3")
        client = Client()
        client.force_login(reviewer, backend="django.contrib.auth.backends.ModelBackend")
        table = standings(track="officer", period=period)
        ms, _q = measure(lambda: standings(track="officer", period=period), repeat=5)
        print(f"{engine:>10} | rank a quarter, officers' track ({len(table.rows)} officers) | median {ms:7.1f} ms | target ≤ 1000 ms")
        url = reverse("ranking:ranking", args=["officer", period.code])
        ms, q = measure(lambda: client.get(url))
        print(f"{engine:>10} | live ranking page (50 rows a page)             | median {ms:7.1f} ms | {q} queries | target ≤ 150 ms")
        from django.core.cache import cache

        def uncached():
            cache.clear()
            client.get(url)

        ms, q = measure(uncached)
        print(f"{engine:>10} |   … right after a posting (standings recomputed) | median {ms:7.1f} ms | {q} queries")
        officer = officers[MID_LEVEL + 5]
        url = reverse("ranking:breakdown", args=["officer", period.code, officer.pk])
        ms, q = measure(lambda: client.get(url))
        lines = len(client.get(url).context["data"].lines)
        print(f"{engine:>10} | an officer's breakdown ({lines} entries)           | median {ms:7.1f} ms | {q} queries | target ≤ 100 ms")
        ranking = ranking_get_or_create(track="officer", period_code=period.code)
        began = time.perf_counter()
        # The bulletin PDF is the worker's job (benchmarked by the publications app): not rendered here.
        with override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}):
            publication = ranking_publish(ranking=ranking, by=reviewer)
        print(f"{engine:>10} | publish the quarter (snapshot of {len(publication.rows)} rows)   | {(time.perf_counter() - began) * 1000:7.1f} ms")
        try:
            url = reverse("publications:detail", args=[publication.pk])
        except Exception:  # noqa: BLE001 — the publications pages not installed
            url = None
        if url:
            ms, q = measure(lambda: client.get(url))
            print(f"{engine:>10} | published ranking page ({len(publication.rows)} rows)        | median {ms:7.1f} ms | {q} queries | target ≤ 150 ms")
    finally:
        runner.teardown_databases(old)


if __name__ == "__main__":
    main()
