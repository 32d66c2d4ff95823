"""我的课程 and the course dashboard at bureau scale (targets: constant query
counts; dashboard median ≤ 300 ms for a course with 2,000 officers).

Run: .venv/bin/python bench/bench_lessons_dashboard.py
     DATABASE_URL=postgres://postgres@127.0.0.1:5432/lessons_dev .venv/bin/python bench/bench_lessons_dashboard.py
Uses a throw-away database (SQLite file, or DATABASE_URL's server with a test_ prefix).
"""

import os
import random
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

OFFICERS, COURSES, LESSONS_PER_COURSE, UNITS = 2000, 50, 10, 30
DASHBOARD_TARGET_MS = 300


def build(*, courses: int, officers: int, units, hall, start: int = 0):
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from lessons.models import (
        CourseCompletion,
        CoursePage,
        LessonCompletion,
        LessonPage,
    )
    from officers.models import Officer

    rng = random.Random(7)
    existing = Officer.objects.count()
    new = [
        Officer(police_number=f"{700000 + existing + i:06d}", name=f"民警{existing + i}", unit=units[(existing + i) % len(units)], password="!")
        for i in range(officers - existing)
    ]
    Officer.objects.bulk_create(new, batch_size=500)
    legal, _ = Group.objects.get_or_create(name="legal_officer")
    membership = Officer.groups.through
    ids = list(Officer.objects.values_list("pk", flat=True))
    membership.objects.bulk_create(
        [membership(officer_id=pk, group_id=legal.pk) for pk in ids if pk % 5 == 0], ignore_conflicts=True
    )
    body = [{"type": "text", "value": "<p>取保候审的适用条件与执行。</p>", "id": f"b{n}"} for n in range(3)]
    for c in range(start, courses):
        course = CoursePage(title=f"课程{c}", slug=f"course-{c}", is_required=c % 3 == 0,
                            due_on=timezone.localdate() if c % 3 == 0 else None,
                            audience_roles=["legal_officer"] if c % 2 else [])
        hall.add_child(instance=course)
        for n in range(LESSONS_PER_COURSE):
            course.add_child(instance=LessonPage(title=f"第{n + 1}讲", slug=f"c{c}-l{n}", body=body))
    # Half the bureau has done some of the first course; a quarter finished it.
    first = CoursePage.objects.order_by("path").first()
    lessons = list(LessonPage.objects.child_of(first).order_by("path"))
    now = timezone.now()
    rows, done = [], []
    for pk in ids:
        k = rng.choice([0, 0, 3, len(lessons)])
        rows += [LessonCompletion(officer_id=pk, lesson=lesson, course=first, completed_at=now) for lesson in lessons[:k]]
        if k == len(lessons):
            done.append(CourseCompletion(officer_id=pk, course=first, completed_at=now, certificate_number=f"YJ-B-{pk:08d}"))
    LessonCompletion.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
    CourseCompletion.objects.bulk_create(done, batch_size=1000, ignore_conflicts=True)
    return first


def measure(client, url, runs=15):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm caches
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, response.status_code
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    return statistics.median(times), len(ctx)


def main():
    from django.conf import settings
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    runner = get_runner(settings)(verbosity=0)
    old = runner.setup_databases()
    try:
        from wagtail.models import Site

        from lessons.models import LectureHallPage, LessonPage
        from officers.models import Officer, Unit
        from officers.roles import Role

        engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
        units = [Unit.objects.create(name=f"第{i}派出所", kind="police_station") for i in range(UNITS)]
        hall = LectureHallPage(title="法律讲堂", slug="lecture-hall")
        Site.objects.get(is_default_site=True).root_page.add_child(instance=hall)

        trainer = Officer.objects.create(police_number="100001", name="陈教官", unit=units[0])
        from django.contrib.auth.models import Group

        trainer.groups.add(Group.objects.get_or_create(name=Role.TRAINER)[0])
        learner_client, trainer_client = Client(), Client()
        trainer_client.force_login(trainer, backend="django.contrib.auth.backends.ModelBackend")

        for label, courses, officers in (("small", 5, 200), ("full", COURSES, OFFICERS)):
            start = 0 if label == "small" else 5
            t0 = time.perf_counter()
            first = build(courses=courses, officers=officers, units=units, hall=hall, start=start)
            built = time.perf_counter() - t0
            learner = Officer.objects.filter(pk__gt=trainer.pk, groups__name="legal_officer").first()
            learner_client.force_login(learner, backend="django.contrib.auth.backends.ModelBackend")
            my_ms, my_q = measure(learner_client, "/lessons/")
            dash_ms, dash_q = measure(trainer_client, f"/lessons/dashboard/{first.pk}/")
            unit_ms, unit_q = measure(trainer_client, f"/lessons/dashboard/{first.pk}/?unit={units[1].pk}")
            export_ms, export_q = measure(trainer_client, f"/lessons/dashboard/{first.pk}/export.xlsx", runs=3)
            print(
                f"{engine:>10} | {label:<5} {Officer.objects.count():>5} officers, {courses:>2} courses, "
                f"{LessonPage.objects.count():>3} lessons (built in {built:5.1f} s)"
            )
            # Issue 3's targets: constant query counts everywhere; the dashboard (whole
            # course, or one unit) ≤ 300 ms median for a course with 2,000 officers.
            for name, ms, queries, target_ms in (
                ("我的课程", my_ms, my_q, None),
                ("dashboard (course)", dash_ms, dash_q, DASHBOARD_TARGET_MS),
                ("dashboard + unit", unit_ms, unit_q, DASHBOARD_TARGET_MS),
                (".xlsx export", export_ms, export_q, None),
            ):
                target = f"target ≤ {target_ms} ms: {'met' if ms <= target_ms else 'MISSED'}" if target_ms else "target: constant queries"
                print(f"{'':>10} |   {name:<19} median {ms:7.1f} ms, {queries:>2} queries   ({target})")
    finally:
        runner.teardown_databases(old)


if __name__ == "__main__":
    main()
