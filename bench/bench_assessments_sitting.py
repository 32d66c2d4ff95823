"""Speed of the legal-knowledge tests against a large bank.

Targets (issue 4): with 100,000 questions in 50 categories, starting a
100-question sitting ≤ 30 ms median and within 2× of the same start against a
1,000-question bank (the draw must not scan the bank); saving an answer
≤ 10 ms median; submitting and grading a 100-question sitting ≤ 50 ms; the
results page of a test with 2,000 sittings in a constant number of queries.

Run: .venv/bin/python bench/bench_assessments_sitting.py
     DATABASE_URL=postgres://postgres@127.0.0.1:5432/assessments_bench .venv/bin/python bench/bench_assessments_sitting.py
Uses a throw-away database (SQLite file, or DATABASE_URL's server with a test_ prefix).
"""

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

CATEGORIES = 50
DIFFICULTIES = ["easy", "medium", "hard"]


def _add_questions(categories, per_category, start_id):
    """Bulk-add questions (and their version 1) keeping every pool dense."""
    from django.db.models import F

    from assessments.models import PoolSize, Question, QuestionVersion, draw_slot_of

    sizes = {(p.category_id, p.difficulty): p for p in PoolSize.objects.all()}
    questions, versions = [], []
    next_id = start_id
    for category in categories:
        for n in range(per_category):
            difficulty = DIFFICULTIES[n % 3]
            pool = sizes.get((category.pk, difficulty))
            if pool is None:
                pool = sizes[(category.pk, difficulty)] = PoolSize.objects.create(category=category, difficulty=difficulty, size=0)
            pool.size += 1
            stem = f"{category.name}第{next_id}题：依照法律规定，下列说法正确的是？"
            options = ["正确选项", "干扰项一", "干扰项二", "干扰项三"]
            questions.append(Question(
                id=next_id, category=category, type="single", difficulty=difficulty, stem=stem,
                option_a=options[0], option_b=options[1], option_c=options[2], option_d=options[3], answer="A",
                pool_seq=pool.size, draw_slot=draw_slot_of(category.pk, difficulty, pool.size),
            ))
            versions.append(QuestionVersion(
                id=next_id, question_id=next_id, number=1, category=category, type="single", difficulty=difficulty,
                stem=stem, options=options, key=[0],
            ))
            next_id += 1
    Question.objects.bulk_create(questions, batch_size=2000)
    QuestionVersion.objects.bulk_create(versions, batch_size=2000)
    Question.objects.filter(id__gte=start_id).update(current_version_id=F("id"))
    PoolSize.objects.bulk_update(list(sizes.values()), ["size"])
    from django.db import connection

    if connection.vendor == "postgresql":  # fresh statistics, as a live database would have
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return next_id


def _median_ms(samples):
    return statistics.median(samples) * 1000


def _time_starts(quiz, officers):
    from assessments.services import sitting_start

    samples, sittings = [], []
    for officer in officers:
        t = time.perf_counter()
        sittings.append(sitting_start(quiz=quiz, officer=officer))
        samples.append(time.perf_counter() - t)
    return samples, sittings


def main():
    from django.conf import settings
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    setup_test_environment()
    runner = get_runner(settings)(verbosity=0)
    old = runner.setup_databases()
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    try:
        from django.utils import timezone

        from assessments.models import BlueprintRow, Category, Quiz, Sitting
        from assessments.services import (
            answer_save,
            category_save,
            quiz_publish,
            sitting_submit,
        )
        from officers.models import Officer, Unit

        units = [Unit.objects.create(name=f"第{i}派出所", kind="police_station") for i in range(30)]
        officers = Officer.objects.bulk_create([
            Officer(police_number=f"{200000 + i:06d}", name=f"民警{i}", unit=units[i % 30], tier="mid_level", password="!")
            for i in range(2100)
        ])
        categories = [category_save(category=Category(name=f"法律门类{i:02d}")) for i in range(CATEGORIES)]
        quiz = Quiz.objects.create(
            title="基准测试", opens_at=timezone.now() - timezone.timedelta(days=1),
            closes_at=timezone.now() + timezone.timedelta(days=1), time_limit_minutes=60,
        )
        for i in range(10):  # 10 rows × 10 questions = a 100-question paper
            BlueprintRow.objects.create(quiz=quiz, category=categories[i * 5], count=10, points=Decimal(1), sort_order=i)

        next_id = _add_questions(categories, 20, 1)  # 1,000 questions
        _time_starts(quiz, officers[:5])  # warm-up
        small, _ = _time_starts(quiz, officers[5:45])
        print(f"{engine:>10} | start, 1,000-question bank    | median {_median_ms(small):6.1f} ms")

        t = time.perf_counter()
        _add_questions(categories, 1980, next_id)  # now 100,000
        print(f"{engine:>10} | (bank grown to 100,000 in {time.perf_counter() - t:.0f} s)")
        with CaptureQueriesContext(connection) as captured:
            large, sittings = _time_starts(quiz, officers[45:85])
        per_start = len(captured.captured_queries) / 40
        ratio = statistics.median(large) / statistics.median(small)
        assert all(s.paper.count() == 100 for s in sittings[:3])
        print(f"{engine:>10} | start, 100,000-question bank  | median {_median_ms(large):6.1f} ms, "
              f"{per_start:.0f} queries, {ratio:.2f}× the 1,000 bank (target ≤ 30 ms, ≤ 2×)")

        rng = random.Random(1)
        saves = []
        for sitting in sittings[:10]:
            for position in range(20):
                t = time.perf_counter()
                answer_save(sitting_id=sitting.pk, officer=sitting.officer, position=position,
                            choice=[rng.randrange(4)], revision=position + 1)
                saves.append(time.perf_counter() - t)
        print(f"{engine:>10} | save an answer                | median {_median_ms(saves):6.1f} ms over {len(saves)} (target ≤ 10 ms)")

        for sitting in sittings[10:40]:  # answer every question: about half right
            for position in range(100):
                answer_save(sitting_id=sitting.pk, officer=sitting.officer, position=position,
                            choice=[rng.randrange(2)], revision=1)
        submits = []
        for sitting in sittings[10:40]:
            sitting_obj = Sitting.objects.select_related("quiz").get(pk=sitting.pk)
            t = time.perf_counter()
            sitting_submit(sitting=sitting_obj)
            submits.append(time.perf_counter() - t)
        print(f"{engine:>10} | submit + grade 100 questions  | median {_median_ms(submits):6.1f} ms (target ≤ 50 ms)")

        # Results page: 2,000 final sittings of one test, constant queries.
        # Published results are a frozen publication: publish each size, then read its page.
        results_quiz = Quiz.objects.create(title="成绩页基准", opens_at=quiz.opens_at, closes_at=quiz.closes_at)
        now = timezone.now()
        client = Client()
        client.force_login(officers[0], backend="django.contrib.auth.backends.ModelBackend")
        counts = {}
        for total in (20, 2000):
            have = results_quiz.sittings.count()
            Sitting.objects.bulk_create([
                Sitting(quiz=results_quiz, officer=officers[i], attempt=1, status="final", seed=i, started_at=now,
                        deadline=now, submitted_at=now, score=Decimal(rng.randint(40, 100)), max_score=Decimal(100), passed=True)
                for i in range(have, total)
            ], batch_size=1000)
            url = f"/publications/{quiz_publish(quiz=results_quiz, by=None).pk}/"
            client.get(url)
            reset_queries()
            with CaptureQueriesContext(connection) as captured:
                t = time.perf_counter()
                response = client.get(url)
                elapsed = time.perf_counter() - t
            assert response.status_code == 200
            counts[total] = len(captured.captured_queries)
            print(f"{engine:>10} | results page, {total:>5} sittings  | {counts[total]} queries, {elapsed * 1000:6.0f} ms")
        print(f"{engine:>10} | results page queries constant: {'yes' if counts[20] == counts[2000] else 'NO'}")
    finally:
        runner.teardown_databases(old)


if __name__ == "__main__":
    main()
