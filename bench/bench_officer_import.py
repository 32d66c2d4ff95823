"""How long a 2,000-row officer sheet takes to import (target: under 10 s).

Run: make bench  (or .venv/bin/python bench/bench_officer_import.py)
Uses a throw-away database (SQLite file, or DATABASE_URL's server with a test_ prefix).
"""

import io
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.test.utils import get_runner  # noqa: E402
from openpyxl import Workbook  # noqa: E402


def main():
    from django.conf import settings
    from django.test.utils import setup_test_environment

    setup_test_environment()
    runner = get_runner(settings)(verbosity=0)
    old = runner.setup_databases()
    try:
        from officers.models import Officer, Unit
        from officers.services import OFFICER_SHEET_HEADER, officers_import

        units = [Unit.objects.create(name=f"第{i}派出所", kind="police_station") for i in range(30)]
        workbook = Workbook()
        workbook.active.append(OFFICER_SHEET_HEADER)
        for i in range(2000):
            workbook.active.append(
                [f"{100000 + i:06d}", f"民警{i}", units[i % 30].name, ["新警", "民警", "中层"][i % 3],
                 "法制员" if i % 10 == 0 else "", "2015-07-01", "是"]
            )
        out = io.BytesIO()
        workbook.save(out)
        data = out.getvalue()
        for label in ("first import (2,000 new)", "re-import (2,000 updated)"):
            start = time.perf_counter()
            result = officers_import(data=data, filename="officers.xlsx")
            elapsed = time.perf_counter() - start
            print(f"{settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]:>10} | {label:<28} | {elapsed:6.2f} s | created {result.created}, updated {result.updated}")
        assert Officer.objects.count() == 2000
    finally:
        runner.teardown_databases(old)


if __name__ == "__main__":
    main()
