"""The zero-loss check after a load test, against the database DATABASE_URL names.

    DJANGO_SETTINGS_MODULE=config.settings.production DATABASE_URL=… SECRET_KEY=… \\
        .venv/bin/python bench/loadtest/check.py --record-dir /tmp/loadtest [--json]

- Every answer the server acknowledged (saved: true) is in the database with that
  revision and that content, or with a later revision of the same officer's (a
  save that landed while its answer was lost on the way back is not a loss).
- Every sitting whose hand-in the server acknowledged, and every other sitting of
  the load-test test that is no longer in progress (handed in by the task worker
  at time-up), is graded: handed in, every question marked, total and pass/fail set.
- No sitting is left open past its time (with --wait-overdue: once the task worker
  has had that long to hand them in).

Exit status 1 on any loss.
"""

import argparse
import datetime as dt
import glob
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")


def records(directory: str, kind: str) -> list[dict]:
    rows = []
    for path in sorted(glob.glob(os.path.join(directory, "**", f"*{kind}-*.jsonl"), recursive=True)):
        with open(path) as handle:
            rows.extend(json.loads(line) for line in handle if line.strip())
    return rows


def overdue_wait(seconds: float) -> int:
    """Wait up to `seconds` for the task worker to hand in every sitting past its time
    (deadline and grace); returns how many are still open past it."""
    from django.utils import timezone

    from assessments.models import Sitting, SittingStatus
    from assessments.services import DEADLINE_GRACE
    from bench.loadtest.setup_data import QUIZ

    deadline = time.time() + seconds
    while True:
        # The worker runs a sitting's hand-in a moment after its deadline and grace.
        overdue = Sitting.objects.filter(quiz__title=QUIZ, status=SittingStatus.IN_PROGRESS,
                                         deadline__lt=timezone.now() - DEADLINE_GRACE - dt.timedelta(seconds=5)).count()
        if not overdue or time.time() > deadline:
            return overdue
        time.sleep(1)


def check(directory: str, wait_overdue: float = 0) -> dict:
    import django

    django.setup()
    from assessments.models import Sitting, SittingQuestion, SittingStatus
    from bench.loadtest.setup_data import QUIZ

    overdue = overdue_wait(wait_overdue)

    acks = records(directory, "acks")
    latest: dict[tuple[int, int], dict] = {}
    for ack in acks:
        key = (ack["sitting"], ack["position"])
        if key not in latest or ack["revision"] >= latest[key]["revision"]:
            latest[key] = ack
    sittings = {s for s, _p in latest}
    stored = {}
    ids = sorted(sittings)
    for start in range(0, len(ids), 500):
        for row in SittingQuestion.objects.filter(sitting_id__in=ids[start:start + 500]).values(
                "sitting_id", "position", "revision", "choice", "text", "option_order"):
            stored[(row["sitting_id"], row["position"])] = row
    lost, later = [], 0
    for key, ack in latest.items():
        row = stored.get(key)
        if row is None or row["revision"] < ack["revision"]:
            lost.append({**ack, "stored_revision": row and row["revision"]})
            continue
        if row["revision"] > ack["revision"]:
            later += 1
            continue
        choice = sorted(row["option_order"][p] for p in ack["choice"])
        if row["choice"] != choice or row["text"] != ack["text"]:
            lost.append({**ack, "stored_revision": row["revision"], "stored_choice": row["choice"]})

    handins = {h["sitting"] for h in records(directory, "handins")}
    started = {s["sitting"] for s in records(directory, "sittings")}
    closed = set(Sitting.objects.filter(quiz__title=QUIZ).exclude(status=SittingStatus.IN_PROGRESS)
                 .filter(pk__in=started | handins | sittings).values_list("pk", flat=True))
    to_grade = handins | closed
    ungraded = []
    graded_ids = sorted(to_grade)
    for start in range(0, len(graded_ids), 500):
        chunk = graded_ids[start:start + 500]
        for sitting in Sitting.objects.filter(pk__in=chunk).values("pk", "status", "score", "passed", "submitted_at"):
            if sitting["status"] != SittingStatus.FINAL or sitting["score"] is None or sitting["passed"] is None \
                    or sitting["submitted_at"] is None:
                ungraded.append(sitting["pk"])
        unmarked = SittingQuestion.objects.filter(sitting_id__in=chunk, score__isnull=True).values_list("sitting_id", flat=True)
        ungraded.extend(set(unmarked) - set(ungraded))
    missing = handins - {s["pk"] for s in Sitting.objects.filter(pk__in=handins).values("pk")}
    auto = Sitting.objects.filter(pk__in=to_grade, auto_submitted=True).count()
    return {
        "acknowledged_answers": len(acks), "answers_checked": len(latest), "lost_answers": len(lost),
        "landed_later_revision": later, "lost_examples": lost[:5],
        "handed_in_acknowledged": len(handins), "sittings_graded_checked": len(to_grade),
        "auto_submitted": auto, "ungraded_sittings": sorted(set(ungraded) | missing)[:20],
        "ungraded_count": len(set(ungraded) | missing), "sittings_started": len(started),
        "overdue_in_progress": overdue,
        "ok": not lost and not ungraded and not missing and not overdue,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--record-dir", required=True)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--wait-overdue", type=float, default=0,
                        help="seconds to wait for the task worker to hand in sittings past their time")
    args = parser.parse_args()
    result = check(args.record_dir, args.wait_overdue)
    if args.json:
        print(json.dumps(result, default=str))
    else:
        print(f"acknowledged answers: {result['acknowledged_answers']} "
              f"({result['answers_checked']} questions, {result['landed_later_revision']} with a later revision stored)")
        print(f"lost answers: {result['lost_answers']}")
        print(f"handed-in sittings acknowledged: {result['handed_in_acknowledged']}, "
              f"sittings checked graded: {result['sittings_graded_checked']} "
              f"({result['auto_submitted']} handed in at time-up), ungraded: {result['ungraded_count']}")
        print(f"sittings past their time still open: {result['overdue_in_progress']}")
        print("ZERO LOSS: yes" if result["ok"] else "ZERO LOSS: NO")
    sys.exit(0 if result["ok"] else 1)


if __name__ == "__main__":
    main()
