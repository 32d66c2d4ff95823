"""What one answer save costs the database, middleware included (issue 11).

    DJANGO_SETTINGS_MODULE=config.settings.production DATABASE_URL=… SECRET_KEY=… REDIS_URL=… \\
        .venv/bin/python bench/loadtest/save_path.py [--json]

Uses the load test's officers and test (setup_data.py): logs one officer in,
starts a sitting, then posts one answer, then ten in one request, through the
whole middleware stack (sessions, authentication, CSRF, …) under the settings
given, and prints every SQL statement each request sent, with the count. A
request is measured after the session's once-a-minute expiry refresh has been
written, as almost every save is.
"""

import argparse
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
os.environ["ALLOWED_HOSTS"] = os.environ.get("ALLOWED_HOSTS", "127.0.0.1") + ",testserver"

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from assessments.models import Quiz  # noqa: E402
from assessments.services import sitting_start  # noqa: E402
from bench.loadtest.setup_data import QUIZ  # noqa: E402
from officers.models import Officer  # noqa: E402


def measure() -> dict:
    quiz = Quiz.objects.get(title=QUIZ)
    officer = Officer.objects.filter(unit__name="压力测试大队").order_by("-police_number").first()
    client = Client(enforce_csrf_checks=False)
    client.force_login(officer)
    sitting = sitting_start(quiz=quiz, officer=officer)
    url = f"/assessments/sittings/{sitting.pk}/answers/"
    positions = list(sitting.paper.order_by("position").values_list("position", flat=True))

    def post(answers):
        with CaptureQueriesContext(connection) as queries:
            response = client.post(url, data=json.dumps({"answers": answers}), content_type="application/json",
                                   secure=True)
        assert response.status_code == 200, response.content
        assert all(r["saved"] for r in response.json()["results"]), response.content
        return [q["sql"] for q in queries.captured_queries]

    post([{"position": positions[0], "choice": [0], "revision": 1}])  # the session's first refresh
    one = post([{"position": positions[0], "choice": [1], "revision": 2}])
    ten = post([{"position": p, "choice": [0], "revision": 3} for p in positions[:10]])
    return {"database": connection.vendor, "session_engine": django.conf.settings.SESSION_ENGINE,
            "one_answer": one, "ten_answers": ten}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result = measure()
    if args.json:
        print(json.dumps(result))
        return
    print(f"{result['database']}, sessions: {result['session_engine']}")
    for label in ("one_answer", "ten_answers"):
        print(f"{label.replace('_', ' ')}: {len(result[label])} statements")
        for sql in result[label]:
            print("   ", sql[:160])


if __name__ == "__main__":
    main()
