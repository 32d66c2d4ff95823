"""The legal affairs unit's overview of active mentorships: constant in queries from 10 to 100
mentorships (each with 20 shift logs x 13 competencies), with the time it takes.

Run: .venv/bin/python bench/bench_mentoring_overview.py  (DATABASE_URL=postgres://... for PostgreSQL)
"""

import datetime as dt
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from bench_mentoring_progress import build_logs, measure  # noqa: E402
from django.test.utils import get_runner  # noqa: E402

LOGS_EACH = 20


def main():
    from django.conf import settings
    from django.contrib.auth.models import Group
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
        legal_unit = Unit.objects.create(name="法制大队", kind="legal_affairs")
        legal = Officer.objects.create_user("100002", "x", name="周审核", unit=legal_unit, tier="mid_level")
        mentor_group, _ = Group.objects.get_or_create(name="mentor")
        engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
        client = Client()
        client.force_login(legal, backend="django.contrib.auth.backends.ModelBackend")
        made, number = 0, 700000
        for target in (10, 100):
            while made < target:
                station = Unit.objects.create(name=f"第{made}派出所", kind="police_station")
                number += 2
                mentor = Officer.objects.create_user(str(number), "x", name=f"师傅{made}", unit=station)
                mentor.groups.add(mentor_group)
                recruit = Officer.objects.create_user(str(number + 1), "x", name=f"新警{made}", unit=station, tier="recruit")
                mentorship = Mentorship.objects.create(
                    mentor=mentor, recruit=recruit, assigned_by=legal,
                    started_on=timezone.localdate() - dt.timedelta(days=30), planned_end_on=timezone.localdate() + dt.timedelta(days=60),
                )
                build_logs(mentorship, competencies, LOGS_EACH)
                made += 1
            median, queries = measure(client, reverse("mentoring:home"))
            print(
                f"{engine:>10} | legal affairs overview, {target:>3} active mentorships "
                f"({LOGS_EACH} logs x {len(competencies)} each) | median {median:6.1f} ms | {queries} queries"
            )
    finally:
        runner.teardown_databases(old)


if __name__ == "__main__":
    main()
