"""Answer saves after the last login had finished, from a load-test run's records.

    python3 bench/loadtest/steady.py /tmp/yongjing-loadtest/sqlite-200 [...]
"""

import glob
import json
import statistics
import sys


def percentile(values, share):
    values = sorted(values)
    return values[min(len(values) - 1, round(share * (len(values) - 1)))] if values else float("nan")


for directory in sys.argv[1:]:
    rows = []
    for path in glob.glob(f"{directory}/scenario/requests-*.jsonl"):
        with open(path) as handle:
            rows += [json.loads(line) for line in handle if line.strip()]
    rows.sort()
    start = rows[0][0]
    logins_done = max(r[0] + r[2] / 1000 for r in rows if r[1] == "login")
    steady = [r[2] for r in rows if r[1] == "answers" and r[0] > logins_done]
    after = [r for r in rows if r[0] > logins_done]
    median = statistics.median(steady) if steady else float("nan")
    print(f"{directory}: logins done at {logins_done - start:.0f} s of {rows[-1][0] - start:.0f} s; "
          f"answers after: n={len(steady)} median {median:.0f} ms p95 {percentile(steady, 0.95):.0f} ms; "
          f"all requests after: {len(after)} failures {sum(1 for r in after if not r[3])}")
