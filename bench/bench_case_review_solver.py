"""The case-review assignment solver alone: 500 reviewers in 30 units over 60 files,
2 or 3 files each, with three earlier rounds of history (target: <= 0.5 s median for
the solver; the whole assignment, database included, <= 2 s — see the case-review
benchmark).

Run: .venv/bin/python bench/bench_case_review_solver.py
No database: the solver is pure Python. Django settings are loaded only so gettext works.

The bureau is modelled as 6 brigades with 4 squads beneath each (30 units). A
reviewer may not get a file of their own unit or of a unit beneath it, nor a file
they reviewed in one of the three earlier rounds, which reused the same 60 files
(the heaviest history: every earlier assignment excludes something).
A second, lopsided bureau puts half the files and half the reviewers in one brigade,
so the constraints, not the arithmetic, decide the loads.
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

from assessments.case_review.assignment import assignment_solve  # noqa: E402

RUNS = 7
TARGET_SECONDS = 0.5
REVIEWERS = 500
FILES = 60
BRIGADES = 6
SQUADS_PER_BRIGADE = 4


def build_bureau(rng, *, lopsided=False):
    """Units as (brigade, squad|None); reviewers and files placed in units."""
    units = []
    for brigade in range(BRIGADES):
        units.append((brigade, None))
        units += [(brigade, squad) for squad in range(SQUADS_PER_BRIGADE)]
    brigade_0 = [u for u in units if u[0] == 0]

    def place():
        if lopsided and rng.random() < 0.5:
            return rng.choice(brigade_0)
        return rng.choice(units)

    reviewer_unit = {r: place() for r in range(1, REVIEWERS + 1)}
    file_unit = {f: place() for f in range(10_001, 10_001 + FILES)}
    return reviewer_unit, file_unit


def own_unit_exclusions(reviewer_unit, file_unit):
    """Files of the reviewer's unit, and of every squad beneath a brigade reviewer."""
    excluded = {}
    for reviewer, (brigade, squad) in reviewer_unit.items():
        excluded[reviewer] = {
            f
            for f, (f_brigade, f_squad) in file_unit.items()
            if f_brigade == brigade and (squad is None or f_squad == squad)
        }
    return excluded


def build_round(per_reviewer, *, lopsided=False):
    rng = random.Random(2026)
    reviewer_unit, file_unit = build_bureau(rng, lopsided=lopsided)
    reviewers, files = list(reviewer_unit), list(file_unit)
    own = own_unit_exclusions(reviewer_unit, file_unit)
    earlier = {r: set() for r in reviewers}
    for past_round in range(3):
        plan = assignment_solve(
            reviewer_ids=reviewers,
            file_ids=files,
            per_reviewer=per_reviewer,
            excluded={r: own[r] | earlier[r] for r in reviewers},
            seed=past_round,
        )
        assert plan.feasible, plan.problems[:3]
        for reviewer, chosen in plan.files_of.items():
            earlier[reviewer].update(chosen)
    excluded = {r: own[r] | earlier[r] for r in reviewers}
    reasons = {
        r: {"own_unit": len(own[r]), "earlier_rounds": len(earlier[r] - own[r])}
        for r in reviewers
    }
    return reviewers, files, excluded, reasons


def measure(per_reviewer, *, lopsided=False):
    reviewers, files, excluded, reasons = build_round(per_reviewer, lopsided=lopsided)
    times = []
    for run in range(RUNS):
        start = time.perf_counter()
        plan = assignment_solve(
            reviewer_ids=reviewers,
            file_ids=files,
            per_reviewer=per_reviewer,
            excluded=excluded,
            seed=100 + run,
            excluded_reasons=reasons,
        )
        times.append(time.perf_counter() - start)
    assert plan.feasible, plan.problems[:3]
    eligible = statistics.mean(len(files) - len(excluded[r]) for r in reviewers)
    loads = plan.load.values()
    median = statistics.median(times)
    label = "lopsided" if lopsided else "even"
    verdict = "OK" if median <= TARGET_SECONDS else "SLOW"
    print(
        f"{label:8} per_reviewer={per_reviewer}: median {median * 1000:6.1f} ms "
        f"(max {max(times) * 1000:6.1f} ms, target <= {TARGET_SECONDS * 1000:.0f} ms) "
        f"{verdict}; loads min {min(loads)} / max {max(loads)} "
        f"(even share {len(reviewers) * per_reviewer / len(files):.1f}); "
        f"eligible files per reviewer {eligible:.1f}"
    )


def main():
    print(
        f"Case-review assignment solver: {REVIEWERS} reviewers, "
        f"{BRIGADES * (SQUADS_PER_BRIGADE + 1)} units, {FILES} files, "
        f"3 earlier rounds, {RUNS} runs each"
    )
    for lopsided in (False, True):
        for per_reviewer in (2, 3):
            measure(per_reviewer, lopsided=lopsided)


if __name__ == "__main__":
    main()
