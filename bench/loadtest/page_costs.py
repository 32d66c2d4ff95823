"""What each request of the exam-day scenario costs in CPU, in-process (issue 11).

    DJANGO_SETTINGS_MODULE=config.settings.production DATABASE_URL=… SECRET_KEY=… REDIS_URL=… \\
        .venv/bin/python bench/loadtest/page_costs.py [--repeat 20]

Uses the load test's officers and test (setup_data.py; a run's database under
its --workdir): one officer, signed in, asks each page the scenario asks, through
the whole middleware stack, and the wall and CPU time of each are printed (the
mean of --repeat requests after one warm-up). No HTTP server, no load generator:
what Django itself spends on each kind of request.
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
os.environ["ALLOWED_HOSTS"] = os.environ.get("ALLOWED_HOSTS", "127.0.0.1") + ",testserver"

import django  # noqa: E402

django.setup()

from django.test import Client  # noqa: E402

from assessments.models import Quiz  # noqa: E402
from assessments.services import sitting_start  # noqa: E402
from bench.loadtest.setup_data import QUIZ  # noqa: E402
from officers.models import Officer  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    quiz = Quiz.objects.get(title=QUIZ)
    officer = Officer.objects.filter(unit__name="压力测试大队").order_by("-police_number")[1]
    client = Client()
    client.force_login(officer)
    sitting = sitting_start(quiz=quiz, officer=officer)
    positions = list(sitting.paper.order_by("position").values_list("position", flat=True))
    revision = [10_000]

    def save_five():
        revision[0] += 1
        body = {"answers": [{"position": p, "choice": [revision[0] % 2], "revision": revision[0]} for p in positions[:5]]}
        return client.post(f"/assessments/sittings/{sitting.pk}/answers/", data=json.dumps(body),
                           content_type="application/json", secure=True)

    kinds = {
        "answers ×5": save_five,
        "paper": lambda: client.get(f"/assessments/sittings/{sitting.pk}/", secure=True),
        "start (resume)": lambda: client.post(f"/assessments/tests/{quiz.pk}/start/", secure=True),
        "tests": lambda: client.get("/assessments/", secure=True),
        "lessons": lambda: client.get("/lessons/", secure=True),
        "lecture hall": lambda: client.get("/lecture-hall/", secure=True),
        "publications": lambda: client.get("/publications/", secure=True),
        "home (我的待办)": lambda: client.get("/", secure=True),
    }
    print(f"{'request':<18} {'status':>6} {'wall ms':>8} {'CPU ms':>8}")
    for label, ask in kinds.items():
        response = ask()
        started, cpu = time.perf_counter(), time.process_time()
        for _ in range(args.repeat):
            response = ask()
        wall = (time.perf_counter() - started) / args.repeat * 1000
        used = (time.process_time() - cpu) / args.repeat * 1000
        print(f"{label:<18} {response.status_code:>6} {wall:>8.1f} {used:>8.1f}")


if __name__ == "__main__":
    main()
