"""Exam day load test, set up and run here by one command (issue 11).

    .venv/bin/python bench/loadtest/run.py --db sqlite --users 200            # one full run
    .venv/bin/python bench/loadtest/run.py --db postgres --users 500
    .venv/bin/python bench/loadtest/run.py --db postgres --users 200 --faults worker,postgres,tasks
    .venv/bin/python bench/loadtest/run.py --short                            # CI: seconds, SQLite

Each run: a fresh database (an SQLite file, or the PostgreSQL database
`yongjing_loadtest` on LOADTEST_PG, default postgres://postgres@127.0.0.1:5432),
migrated; the officers and the test (setup_data.py); Redis for cache and
sessions when redis-server is installed; the production settings under two
gunicorn instances (deploy/gunicorn.conf.py) sharing that database and Redis;
the task worker. Then three phases, each a headless Locust run (locustfile.py):

1. ceiling: /healthz with no think time;
2. capacity: officers saving batches of answers with no think time;
3. the scenario: officers sitting the test (answer every ~5 s, go back, flag,
   hand in) while another group browses lessons and published results, with
   the faults asked for injected mid-run (a gunicorn worker killed, PostgreSQL
   restarted, the task worker stopped and started again).

Then the zero-loss check (check.py) and the report (markdown, printed and
appended to --report). Exit status 1 on a lost answer, an ungraded sitting or,
without faults, any failed request.
"""

import argparse
import contextlib
import datetime as dt
import hashlib
import json
import os
import platform
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
VENV_BIN = Path(sys.executable).parent
PG_DEFAULT = "postgres://postgres@127.0.0.1:5432"
PG_DATABASE = "yongjing_loadtest"


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


class Stack:
    """The database, Redis, two gunicorn instances and the task worker."""

    def __init__(self, args, workdir: Path):
        self.args, self.workdir = args, workdir
        self.processes: dict[str, subprocess.Popen] = {}
        self.save_path: dict = {}
        self.ports = [args.port + i for i in range(args.instances)]
        self.env = dict(os.environ)
        self.env.update({
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "SECRET_KEY": secrets.token_urlsafe(64),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "MEDIA_ROOT": str(workdir / "media"), "PRIVATE_MEDIA_ROOT": str(workdir / "private-media"),
            "PYTHONUNBUFFERED": "1",
        })
        if args.db == "sqlite":
            self.env["DATABASE_URL"] = f"sqlite:///{workdir / 'db.sqlite3'}"
        else:
            self.env["DATABASE_URL"] = f"{args.pg.rstrip('/')}/{PG_DATABASE}"
        self.redis = bool(shutil.which("redis-server")) and not args.no_redis
        if self.redis:
            self.env["REDIS_URL"] = f"redis://127.0.0.1:{args.redis_port}/0"
        else:
            self.env.pop("REDIS_URL", None)

    def manage(self, *command):
        logfile = self.workdir / "prepare.log"
        with open(logfile, "ab") as out:
            done = subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=self.env,
                                  stdout=out, stderr=subprocess.STDOUT)
        if done.returncode:
            tail = logfile.read_text(errors="replace").splitlines()[-15:]
            raise SystemExit(f"manage.py {' '.join(command)} failed ({logfile}):\n" + "\n".join(tail))

    def template_key(self) -> str:
        """What a migrated, seeded database depends on: the migrations and the demo data's code."""
        digest = hashlib.sha256()
        for path in sorted([*ROOT.glob("*/migrations/*.py"), *ROOT.glob("*/demo*.py"), *ROOT.glob("*/management/commands/seed_demo.py")]):
            digest.update(str(path.relative_to(ROOT)).encode())
            digest.update(path.read_bytes())
        digest.update(b"demo" if not self.args.no_demo else b"bare")
        return digest.hexdigest()[:16]

    def prepare(self):
        """A fresh database, copied from a migrated and seeded template made once per set of migrations."""
        key = self.template_key()
        cache = Path(self.args.workdir)
        if self.args.db == "sqlite":
            template = cache / f"template-{key}.sqlite3"
            if not template.exists():
                self.build_template(lambda: self.env.update(DATABASE_URL=f"sqlite:///{template}.partial"))
                os.replace(f"{template}.partial", template)
            database = self.workdir / "db.sqlite3"
            for suffix in ("", "-wal", "-shm"):
                with contextlib.suppress(FileNotFoundError):
                    os.remove(f"{database}{suffix}")
            shutil.copy(template, database)  # the template is not live: a file copy is whole
            self.env["DATABASE_URL"] = f"sqlite:///{database}"
        else:
            server = self.args.pg.rstrip("/")
            template = f"{PG_DATABASE}_template_{key}"

            def psql(sql):
                return subprocess.run(["psql", f"{server}/postgres", "-qAt", "-c", sql], check=True,
                                      capture_output=True, text=True).stdout.strip()

            if not psql(f"SELECT 1 FROM pg_database WHERE datname = '{template}'"):
                psql(f"DROP DATABASE IF EXISTS {template}_partial WITH (FORCE)")
                psql(f"CREATE DATABASE {template}_partial")
                self.build_template(lambda: self.env.update(DATABASE_URL=f"{server}/{template}_partial"))
                psql(f"ALTER DATABASE {template}_partial RENAME TO {template}")
            psql(f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)")
            psql(f"CREATE DATABASE {PG_DATABASE} TEMPLATE {template}")
            self.env["DATABASE_URL"] = f"{server}/{PG_DATABASE}"
        if self.redis:
            self.start("redis", ["redis-server", "--bind", "127.0.0.1", "--port", str(self.args.redis_port),
                                "--save", "", "--appendonly", "no"])
        if not self.static_current():
            log("collecting static files (production serves the hashed names)")
            self.manage("collectstatic", "--noinput")
        out = subprocess.run(
            [sys.executable, str(HERE / "setup_data.py"), "--officers", str(self.args.users + self.args.browsers
                                                                           + self.args.capacity_users + 10),
             "--questions", str(self.args.questions), "--minutes", str(self.args.minutes)],
            cwd=ROOT, env=self.env, check=True, capture_output=True, text=True,
        ).stdout
        self.quiz_id = json.loads(out.strip().splitlines()[-1])["quiz_id"]
        # The setup queued Wagtail's index updates of the new question bank (and the demo's):
        # on a real exam day the bank was imported days before, so run them now, not during the test.
        log("running the tasks the setup queued (the question bank's index updates)")
        self.manage("db_worker", "--batch", "--no-startup-delay", "--queue-name", "*")
        if self.redis:
            self.wait_redis()
        out = subprocess.run([sys.executable, str(HERE / "save_path.py"), "--json"], cwd=ROOT, env=self.env,
                             capture_output=True, text=True)
        self.save_path = json.loads(out.stdout.strip().splitlines()[-1]) if out.returncode == 0 else {}

    def static_current(self) -> bool:
        """Whether collectstatic's manifest names every static file of the project, none newer."""
        manifest = ROOT / "staticfiles" / "staticfiles.json"
        if not manifest.exists():
            return False
        names = set(json.loads(manifest.read_text()).get("paths", {}))
        made = manifest.stat().st_mtime
        for path in [*ROOT.glob("static/**/*"), *ROOT.glob("*/static/**/*")]:
            if path.is_file():
                relative = path.relative_to(ROOT).as_posix().split("static/", 1)[1]
                if relative not in names or path.stat().st_mtime > made:
                    return False
        return True

    def wait_redis(self, seconds=20):
        import socket

        deadline = time.time() + seconds
        while time.time() < deadline:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.args.redis_port), 1):
                return
            time.sleep(0.2)

    def build_template(self, point_at_template):
        point_at_template()
        redis = self.env.pop("REDIS_URL", None)
        log("migrating a fresh template database (once per set of migrations)")
        self.manage("migrate", "--noinput")
        if not self.args.no_demo:
            log("seeding the demo bureau (lessons, published results)")
            self.manage("seed_demo")
        if redis:
            self.env["REDIS_URL"] = redis

    def start(self, name, command, **kwargs):
        logfile = open(self.workdir / f"{name}.log", "ab")  # noqa: SIM115 (kept open with the process)
        self.processes[name] = subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=logfile, stderr=subprocess.STDOUT,
                                                start_new_session=True, **kwargs)
        return self.processes[name]

    def start_servers(self):
        for i, port in enumerate(self.ports):
            env = {"GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": str(self.args.workers)}
            self.env.update(env)
            self.start(f"gunicorn{i + 1}", [str(VENV_BIN / "gunicorn"), "-c", "deploy/gunicorn.conf.py", "config.wsgi"])
        self.start_tasks()
        for port in self.ports:
            self.wait_ready(port)

    def start_tasks(self):
        self.start("tasks", [sys.executable, "manage.py", "db_worker", "--queue-name", "*"])

    def stop_tasks(self):
        self.stop("tasks")

    def wait_ready(self, port, seconds=90):
        deadline = time.time() + seconds
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(urllib.request.Request(
                        f"http://127.0.0.1:{port}/healthz", headers={"X-Forwarded-Proto": "https"}), timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.5)
        raise RuntimeError(f"gunicorn on {port} did not answer /healthz")

    def workers(self) -> list[psutil.Process]:
        found = []
        for name, process in self.processes.items():
            if name.startswith("gunicorn") and process.poll() is None:
                with contextlib.suppress(psutil.Error):
                    found.extend(psutil.Process(process.pid).children())
        return found

    def stop(self, name):
        process = self.processes.pop(name, None)
        if process and process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()

    def stop_all(self):
        for name in list(self.processes):
            self.stop(name)


class MemorySampler(threading.Thread):
    """Peak resident memory of each gunicorn worker, sampled every half second."""

    def __init__(self, stack: Stack):
        super().__init__(daemon=True)
        self.stack, self.peak_worker, self.peak_unique, self.peak_total, self.running = stack, 0, 0, 0, True

    def run(self):
        while self.running:
            total = 0
            for worker in self.stack.workers():
                with contextlib.suppress(psutil.Error):
                    memory = worker.memory_full_info()
                    self.peak_worker = max(self.peak_worker, memory.rss)
                    # USS: the worker's own pages, without what the preloaded app shares.
                    self.peak_unique = max(self.peak_unique, memory.uss)
                    total += memory.uss
            self.peak_total = max(self.peak_total, total)
            time.sleep(0.5)


def locust(stack: Stack, *, phase: str, classes: list[str], users: int, rate: float, seconds: int, extra=()) -> Path:
    directory = stack.workdir / phase
    shutil.rmtree(directory, ignore_errors=True)
    hosts = ",".join(f"http://127.0.0.1:{p}" for p in stack.ports)
    command = [
        str(VENV_BIN / "locust"), "-f", str(HERE / "locustfile.py"), "--headless", "--only-summary",
        "-u", str(users), "-r", str(rate), "-t", f"{seconds}s", "--stop-timeout", "10",
        "--host", f"http://127.0.0.1:{stack.ports[0]}", "--hosts", hosts, "--quiz-id", str(stack.quiz_id),
        "--record-dir", str(directory), "--loglevel", "WARNING", *extra, *classes,
    ]
    with open(stack.workdir / f"locust-{phase}.log", "wb") as out:
        subprocess.run(command, cwd=ROOT, env=stack.env, stdout=out, stderr=subprocess.STDOUT, check=False)
    return directory


def read_requests(directory: Path) -> list[tuple]:
    rows = []
    for path in directory.glob("requests-*.jsonl"):
        rows.extend(tuple(json.loads(line)) for line in path.read_text().splitlines() if line.strip())
    return sorted(rows)


def read(directory: Path, kind: str) -> list[dict]:
    rows = []
    for path in directory.glob(f"{kind}-*.jsonl"):
        rows.extend(json.loads(line) for line in path.read_text().splitlines() if line.strip())
    return rows


def per_kind(rows) -> dict[str, dict]:
    kinds: dict[str, dict] = {}
    for _t, name, ms, ok, _status in rows:
        kind = kinds.setdefault(name, {"times": [], "errors": 0})
        kind["times"].append(ms)
        kind["errors"] += 0 if ok else 1
    return {
        name: {"count": len(k["times"]), "median": statistics.median(k["times"]), "p95": percentile(k["times"], 0.95),
               "errors": k["errors"]}
        for name, k in sorted(kinds.items())
    }


def sql_brief(sql: str) -> str:
    """A statement in a few words: its verb and its table (`SELECT assessments_sitting FOR UPDATE`);
    one sent for several rows at once (executemany) says so (`UPDATE assessments_sittingquestion ×10`)."""
    times = re.match(r"(\d+) times: ", sql)
    if times:
        return f"{sql_brief(sql[times.end():])} ×{times.group(1)}"
    verb = " ".join(sql.split()[:2]) if sql.startswith("BEGIN") else sql.split()[0]
    match = re.search(r'(?:FROM|UPDATE|INTO)\s+"?([\w.]+)"?', sql)
    return f"{verb} {match.group(1) if match else ''}{' FOR UPDATE' if 'FOR UPDATE' in sql else ''}".strip()


def faults_thread(stack: Stack, faults: list[str], seconds: int, events: list[str]) -> threading.Thread:
    """Inject the faults asked for at fixed points of the scenario."""

    def run():
        start = time.time()

        def at(share):
            time.sleep(max(0.0, start + share * seconds - time.time()))

        if "worker" in faults:
            at(0.3)
            victims = stack.workers()
            if victims:
                victims[0].kill()
                events.append(f"{time.time() - start:.0f} s: gunicorn worker {victims[0].pid} killed (SIGKILL)")
        if "postgres" in faults and stack.args.db == "postgres":
            at(0.45)
            version = sorted(os.listdir("/etc/postgresql"))[-1]
            began = time.time()
            subprocess.run(["pg_ctlcluster", version, "main", "restart"], check=False)
            events.append(f"{time.time() - start:.0f} s: PostgreSQL {version} restarted ({time.time() - began:.1f} s)")
        if "tasks" in faults:
            at(0.6)
            stack.stop_tasks()
            events.append(f"{time.time() - start:.0f} s: task worker stopped")
            at(0.75)
            stack.start_tasks()
            events.append(f"{time.time() - start:.0f} s: task worker started again")

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def zero_loss(stack: Stack, directories: list[Path]) -> dict:
    combined = stack.workdir / "records"
    shutil.rmtree(combined, ignore_errors=True)
    combined.mkdir()
    for directory in directories:
        for path in directory.glob("*.jsonl"):
            shutil.copy(path, combined / f"{directory.name}-{path.name}")
    # A sitting past its time is handed in by the task worker: give it until the
    # last deadline of the run (short time limits) has passed, and a minute more.
    wait = 75 if stack.args.minutes <= 5 else 0
    out = subprocess.run([sys.executable, str(HERE / "check.py"), "--record-dir", str(combined), "--json",
                          "--wait-overdue", str(wait)],
                         cwd=ROOT, env=stack.env, capture_output=True, text=True)
    if not out.stdout.strip():
        raise RuntimeError(out.stderr)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--pg", default=os.environ.get("LOADTEST_PG", PG_DEFAULT))
    parser.add_argument("--users", type=int, default=200, help="officers sitting the test")
    parser.add_argument("--browsers", type=int, default=None, help="officers browsing (default: a tenth of --users)")
    parser.add_argument("--spawn-rate", type=float, default=5.0, help="officers logging in per second")
    parser.add_argument("--duration", type=int, default=240, help="seconds of the scenario (ramp-up included)")
    parser.add_argument("--think", type=float, default=5.0, help="seconds between an officer's saves")
    parser.add_argument("--questions", type=int, default=12)
    parser.add_argument("--minutes", type=int, default=30,
                        help="the test's time limit (1: sittings run out of time and the task worker hands them in)")
    parser.add_argument("--sittings", type=int, default=0,
                        help="each officer hands in this many sittings, then the scenario ends (0: sit until --duration)")
    parser.add_argument("--ceiling-seconds", type=int, default=15)
    parser.add_argument("--capacity-seconds", type=int, default=20)
    parser.add_argument("--capacity-users", type=int, default=50)
    parser.add_argument("--batch", type=int, default=5, help="answers per request in the capacity phase")
    parser.add_argument("--instances", type=int, default=2)
    # deploy/gunicorn.conf.py runs cores + 1 sync workers on an app server; the instances
    # here share this machine's cores, so each counts as an app server of its share.
    parser.add_argument("--workers", type=int, default=None, help="gunicorn workers per instance")
    parser.add_argument("--faults", default="", help="comma-separated: worker, postgres, tasks")
    parser.add_argument("--port", type=int, default=8161)
    parser.add_argument("--redis-port", type=int, default=6391)
    parser.add_argument("--no-redis", action="store_true")
    parser.add_argument("--no-demo", action="store_true", help="skip seed_demo (nothing to browse but empty lists)")
    parser.add_argument("--workdir", default="/tmp/yongjing-loadtest")
    parser.add_argument("--report", default="", help="append the markdown report to this file")
    parser.add_argument("--label", default="")
    parser.add_argument("--prepare-only", action="store_true",
                        help="build the template database and collect static files, then stop")
    parser.add_argument("--short", action="store_true",
                        help="CI: SQLite, 24 officers for 45 s, think time 1 s")
    args = parser.parse_args()
    if args.short:
        # Logging in costs ~0.5 s of CPU (PBKDF2, 1,000,000 rounds): a few dozen officers.
        # Each officer hands in one sitting, then the run ends (--duration only caps it).
        args.db, args.users, args.spawn_rate, args.duration, args.think = "sqlite", 24, 4.0, 300, 1.0
        args.sittings = 1
        args.ceiling_seconds, args.capacity_seconds, args.capacity_users, args.workers = 4, 6, 6, 2
        args.questions = 5
    if args.workers is None:
        args.workers = max(2, (os.cpu_count() or 2) // args.instances + 1)
    if args.browsers is None:
        args.browsers = max(2, args.users // 10)
    faults = [f.strip() for f in args.faults.split(",") if f.strip()]
    workdir = Path(args.workdir) / (args.label or f"{args.db}-{args.users}{'-faults' if faults else ''}")
    workdir.mkdir(parents=True, exist_ok=True)
    stack = Stack(args, workdir)
    started_at = dt.datetime.now(dt.UTC)
    sampler = MemorySampler(stack)
    events: list[str] = []
    try:
        stack.prepare()
        if args.prepare_only:
            return
        stack.start_servers()
        sampler.start()
        log(f"ceiling: /healthz for {args.ceiling_seconds} s")
        ceiling_dir = locust(stack, phase="ceiling", classes=["Healthz"], users=50, rate=50,
                             seconds=args.ceiling_seconds)
        log(f"capacity: {args.capacity_users} officers saving batches of {args.batch} for {args.capacity_seconds} s")
        capacity_dir = locust(stack, phase="capacity", classes=["CapacitySaver"], users=args.capacity_users,
                              # logging in costs ~0.5 s of CPU each (PBKDF2): the window opens once all are in
                              rate=10, seconds=args.capacity_seconds + int(args.capacity_users * 0.5) + 5,
                              extra=["--batch", str(args.batch), "--officer-offset", str(args.users + args.browsers)])
        capacity_peak = sampler.peak_worker
        log(f"scenario: {args.users} officers sitting, {args.browsers} browsing, {args.duration} s"
            + (f", faults: {', '.join(faults)}" if faults else ""))
        fault_thread = faults_thread(stack, faults, args.duration, events) if faults else None
        scenario_dir = locust(
            stack, phase="scenario", classes=["SittingOfficer", "LessonBrowser"], users=args.users + args.browsers,
            rate=args.spawn_rate, seconds=args.duration,
            extra=["--browsers", str(args.browsers), "--think", str(args.think), "--sittings", str(args.sittings)],
        )
        if fault_thread:
            fault_thread.join(timeout=60)
        sampler.running = False
        log("zero-loss check")
        loss = zero_loss(stack, [capacity_dir, scenario_dir])
    finally:
        sampler.running = False
        stack.stop_all()
    report = summarize(args, stack, started_at, faults, events, ceiling_dir, capacity_dir, scenario_dir,
                       loss, sampler, capacity_peak)
    print(report["text"])
    if args.report:
        with open(args.report, "a") as out:
            out.write(report["text"] + "\n")
    # A run that saved nothing or handed nothing in proves nothing.
    failed = not loss["ok"] or (not faults and report["errors"]) or not loss["acknowledged_answers"] \
        or not loss["handed_in_acknowledged"]
    sys.exit(1 if failed else 0)


def summarize(args, stack, started_at, faults, events, ceiling_dir, capacity_dir, scenario_dir, loss, sampler,
              capacity_peak) -> dict:
    ceiling_rows = read_requests(ceiling_dir)
    ok_ceiling = [r for r in ceiling_rows if r[3]]
    ceiling_span = (ceiling_rows[-1][0] - ceiling_rows[0][0]) if len(ceiling_rows) > 1 else 1
    ceiling = len(ok_ceiling) / ceiling_span if ceiling_span else 0

    capacity_rows = read_requests(capacity_dir)
    ready = max((r[0] for r in capacity_rows if r[1] == "paper"), default=0)
    capacity_acks = [a for a in read(capacity_dir, "acks") if a["at"] >= ready]
    saves = [r for r in capacity_rows if r[1].startswith("answers") and r[0] >= ready]
    span = (saves[-1][0] - saves[0][0]) if len(saves) > 1 else 1
    capacity_answers = len(capacity_acks) / span if span else 0
    capacity_requests = len(saves) / span if span else 0
    capacity_p50 = statistics.median([r[2] for r in saves]) if saves else float("nan")

    rows = read_requests(scenario_dir)
    stats = per_kind(rows)
    first, last = (rows[0][0], rows[-1][0]) if rows else (0, 1)
    seconds = max(1.0, last - first)
    acks = read(scenario_dir, "acks")
    handins = read(scenario_dir, "handins")
    errors = sum(k["errors"] for k in stats.values()) + sum(1 for r in capacity_rows if not r[3]) \
        + sum(1 for r in ceiling_rows if not r[3])
    answers = stats.get("answers", {"p95": float("nan"), "median": float("nan")})
    # Steady state: after every officer has logged in and started.
    ramp_end = max((r[0] for r in rows if r[1] == "login"), default=first)
    steady = [r[2] for r in rows if r[1] == "answers" and r[0] > ramp_end]

    db = "PostgreSQL" if args.db == "postgres" else "SQLite"
    target_capacity = 400 if args.db == "postgres" else 500
    lines = [
        f"### {db}, {args.users} officers sitting + {args.browsers} browsing"
        + (f", faults: {', '.join(faults)}" if faults else ""),
        "",
        f"- when: {started_at:%Y-%m-%d %H:%M} UTC; machine: {os.cpu_count()} cores, "
        f"{psutil.virtual_memory().total / 2**30:.1f} GiB, {platform.platform()}",
        f"- stack: production settings, {args.instances} gunicorn instances × {args.workers} sync workers on one "
        f"{db}, {'Redis (cache and sessions, cached_db)' if stack.redis else 'no Redis (sessions in the database)'}, "
        "task worker running; Locust on the same machine",
        f"- command: `{' '.join(['.venv/bin/python', 'bench/loadtest/run.py', *sys.argv[1:]])}`",
        "",
        "| figure | value | target |",
        "|---|---|---|",
        f"| `/healthz` ceiling (same run) | {ceiling:.0f} req/s | — |",
        f"| answer-save capacity ({args.capacity_users} officers, batches of {args.batch}, no think time) | "
        f"**{capacity_answers:.0f} answers/s** ({capacity_requests:.0f} req/s, median {capacity_p50:.0f} ms) = "
        f"{100 * capacity_answers / ceiling if ceiling else 0:.1f} % of the ceiling | ≥ {target_capacity} answers/s "
        f"({'met' if capacity_answers >= target_capacity else 'NOT met'}); stretch ¼ of the ceiling "
        f"({'met' if ceiling and capacity_answers >= ceiling / 4 else 'not met'}) |",
        f"| scenario length | {seconds:.0f} s (ramp-up {max(0.0, ramp_end - first):.0f} s at {args.spawn_rate:g} logins/s) | — |",
        f"| sittings handed in | {len(handins)} = {len(handins) / seconds * 60:.1f} per minute | — |",
        f"| requests/s (all kinds) | {len(rows) / seconds:.1f} | — |",
        f"| answers acknowledged/s | {len(acks) / seconds:.1f} ({len(acks)} answers) | — |",
        f"| answer save p95 (whole run / after ramp-up) | {answers['p95']:.0f} ms / {percentile(steady, 0.95):.0f} ms "
        f"(median {answers['median']:.0f} ms) | ≤ 150 ms "
        f"({'met' if percentile(steady, 0.95) <= 150 else 'NOT met'} after ramp-up) |",
        f"| failed requests (all phases) | {errors} | 0{' (faults injected)' if faults else ''} |",
        f"| peak worker memory (sampled every 0.5 s) | RSS {sampler.peak_worker / 2**20:.0f} MB per worker "
        f"(capacity phase {capacity_peak / 2**20:.0f} MB); its own pages (USS) {sampler.peak_unique / 2**20:.0f} MB; "
        f"all workers' USS {sampler.peak_total / 2**20:.0f} MB | ≤ 200 MB "
        f"({'met' if sampler.peak_worker <= 200 * 2**20 else 'NOT met'}) |",
        f"| zero loss | **{'yes' if loss['ok'] else 'NO'}**: {loss['acknowledged_answers']} acknowledged answers "
        f"({loss['answers_checked']} questions) all stored, {loss['lost_answers']} lost, "
        f"{loss['landed_later_revision']} with a later revision; {loss['sittings_graded_checked']} handed-in "
        f"sittings ({loss['auto_submitted']} at time-up by the task worker), {loss['ungraded_count']} ungraded, "
        f"{loss['overdue_in_progress']} left open past their time | "
        "0 lost |",
        "",
    ]
    if stack.save_path:
        one, ten = stack.save_path["one_answer"], stack.save_path["ten_answers"]
        lines += [
            f"Save path (bench/loadtest/save_path.py, these settings, sessions `{stack.save_path['session_engine']}`): "
            f"{len(one)} SQL statements for a request with one answer, {len(ten)} with ten: "
            + ", ".join(f"`{sql_brief(sql)}`" for sql in one)
            + ("; plus PostgreSQL's connection health check (`SELECT 1`) and `BEGIN`/`COMMIT`."
               if stack.save_path["database"] == "postgresql" else "."),
            "",
        ]
    lines += [
        "| request kind | count | median ms | p95 ms | errors |",
        "|---|---|---|---|---|",
    ]
    lines += [f"| {name} | {k['count']} | {k['median']:.0f} | {k['p95']:.0f} | {k['errors']} |" for name, k in stats.items()]
    if events:
        lines += ["", "Faults: " + "; ".join(events) + "."]
    if loss["lost_examples"]:
        lines += ["", f"Lost (first): `{json.dumps(loss['lost_examples'], ensure_ascii=False)}`"]
    lines.append("")
    return {"text": "\n".join(lines), "errors": errors}


if __name__ == "__main__":
    main()
