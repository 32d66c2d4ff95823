#!/usr/bin/env bash
# The exam-day runs for the report (issue 11), one after another, on a quiet machine:
# SQLite with 200 officers, PostgreSQL with 500, then the fault runs (a gunicorn worker
# killed, PostgreSQL restarted, the task worker stopped and started again), each
# followed by its zero-loss check. Every run's section is appended to REPORT.
#
#   bash bench/loadtest/run_all.sh [REPORT]     (default /tmp/yongjing-loadtest/report.md)
#
# PostgreSQL: LOADTEST_PG (default postgres://postgres@127.0.0.1:5432); the fault run
# restarts the cluster with pg_ctlcluster, so run it where nobody else uses that server.
set -uo pipefail
cd "$(dirname "$0")/../.."
report="${1:-/tmp/yongjing-loadtest/report.md}"
mkdir -p "$(dirname "$report")"
: > "$report"
py=.venv/bin/python
status=0
run() { echo "== $*"; "$py" bench/loadtest/run.py --report "$report" "$@" || status=1; }

# Templates (migrated, seeded databases) and static files first, so the runs only copy them.
"$py" bench/loadtest/run.py --db sqlite --prepare-only --label prepare-sqlite
"$py" bench/loadtest/run.py --db postgres --prepare-only --label prepare-postgres
# Logging in costs ~26 ms of CPU (Argon2id, config/hashers.py): 500 officers arrive at 8 a
# second (about a minute, as a bureau's officers do when the test opens); the figures after
# the ramp-up are reported apart.
run --db sqlite --users 200 --spawn-rate 5 --duration "${DURATION:-170}"
run --db postgres --users 500 --spawn-rate 8 --duration "${DURATION:-240}"
run --db postgres --users 200 --duration 120 --ceiling-seconds 5 --capacity-seconds 8 --capacity-users 20 \
    --minutes 1 --faults worker,postgres,tasks --label postgres-faults
run --db sqlite --users 200 --duration 120 --ceiling-seconds 5 --capacity-seconds 8 --capacity-users 20 \
    --minutes 1 --faults worker,tasks --label sqlite-faults
echo "report: $report"
exit $status
