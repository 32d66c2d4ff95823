"""Exam day (issue 11): officers sitting a test at once while others browse.

Run against your own server (the officers and the test first, see setup_data.py):

    .venv/bin/locust -f bench/loadtest/locustfile.py --headless -u 550 -r 5 -t 5m \\
        --host https://jx.example.gov.cn --quiz-id 12 --browsers 50 --record-dir /tmp/loadtest
    .venv/bin/python bench/loadtest/check.py --record-dir /tmp/loadtest   # the zero-loss check

`bench/loadtest/run.py` does all of it here (databases, two gunicorn instances,
the task worker, faults, the report). Users:

- SittingOfficer: logs in, starts a sitting, answers a question every ~5 s
  (think time) through the batched endpoint (answers not acknowledged stay
  pending and go with the next batch, as the page does), goes back to change
  an answer, flags one, reloads the paper now and then, hands in, reads the
  result, and starts the next attempt.
- LessonBrowser: browses lessons, the lecture hall and published results.
- CapacitySaver (capacity phase): saves batches of answers with no think time.
- Healthz (ceiling phase): asks /healthz with no think time.

Every answer the server acknowledged (saved: true) and every hand-in it
acknowledged is written to --record-dir, with every request's timing.
"""

import http.cookiejar
import itertools
import json
import os
import random
import re
import time
from urllib.parse import urlsplit

import gevent
from locust import FastHttpUser, constant, events, task
from locust.exception import StopUser
from paper_page import (
    paper_questions,  # beside this file (Locust puts its folder on the path)
)

RECORD: dict[str, list] = {"requests": [], "acks": [], "handins": [], "sittings": []}
OFFICER_SEQUENCE = itertools.count()
# With --sittings: the run ends once every user spawned has done its share.
PROGRESS = {"spawned": False, "active": 0}


@events.init_command_line_parser.add_listener
def _options(parser):
    parser.add_argument("--quiz-id", type=int, default=0, help="the load-test test's id (setup_data.py prints it)")
    parser.add_argument("--officer-prefix", default="8", help="police numbers are this digit and five more")
    parser.add_argument("--officer-offset", type=int, default=0, help="the first officer's number after the prefix")
    parser.add_argument("--password", default=os.environ.get("LOADTEST_PASSWORD", "Yongjing@2024"))
    parser.add_argument("--browsers", type=int, default=0, help="how many of the users browse instead of sitting")
    parser.add_argument("--think", type=float, default=5.0, help="seconds between an officer's saves (on average)")
    parser.add_argument("--batch", type=int, default=5, help="answers per request in the capacity phase")
    parser.add_argument("--hosts", default="", help="comma-separated app servers, asked in turn (default --host)")
    parser.add_argument("--forwarded-https", default="auto", choices=["auto", "yes", "no"],
                        help="send X-Forwarded-Proto: https (auto: when the host is http://, i.e. gunicorn itself)")
    parser.add_argument("--record-dir", default="", help="where to write requests, acknowledgements and hand-ins")
    parser.add_argument("--sittings", type=int, default=0,
                        help="each officer hands in this many sittings and stops (browsers browse once); "
                             "the run ends when all have (-t stays the limit). 0: sit until -t")


@events.init.add_listener
def _init(environment, **_kwargs):
    options = environment.parsed_options
    if options is not None:
        LessonBrowser.fixed_count = options.browsers


@events.spawning_complete.add_listener
def _spawned(**_kwargs):
    PROGRESS["spawned"] = True


@events.test_start.add_listener
def _watch(environment, **_kwargs):
    if not environment.parsed_options or not environment.parsed_options.sittings:
        return

    def watch():
        while not (PROGRESS["spawned"] and PROGRESS["active"] <= 0):
            gevent.sleep(0.5)
        environment.runner.quit()

    gevent.spawn(watch)


@events.request.add_listener
def _on_request(request_type, name, response_time, exception, start_time=None, response=None, **_kwargs):
    status = getattr(response, "status_code", 0) or 0
    RECORD["requests"].append((start_time or time.time(), name, round(response_time, 2), exception is None, status))


@events.quitting.add_listener
def _write(environment, **_kwargs):
    directory = environment.parsed_options.record_dir if environment.parsed_options else ""
    if not directory:
        return
    os.makedirs(directory, exist_ok=True)
    tag = f"{os.getpid()}-{int(time.time() * 1000)}"
    for kind, rows in RECORD.items():
        with open(os.path.join(directory, f"{kind}-{tag}.jsonl"), "w") as out:
            for row in rows:
                out.write(json.dumps(row, ensure_ascii=False) + "\n")


class _AnyCookiePolicy(http.cookiejar.DefaultCookiePolicy):
    """Send the Secure session cookie to gunicorn's plain http, as nginx would over TLS."""

    def return_ok_secure(self, cookie, request):
        return True

    def set_ok(self, cookie, request):
        return True


CSRF_INPUT = re.compile(r"name=\"csrfmiddlewaretoken\" value=\"([^\"]+)\"")
SITTING = re.compile(r"/assessments/sittings/(\d+)/")


class _Officer(FastHttpUser):
    abstract = True
    officer_number = ""
    # The app servers are asked in turn: sessions and answers live in the shared database.
    _hosts: list[str] = []

    def on_start(self):
        options = self.environment.parsed_options
        self.client.cookiejar.set_policy(_AnyCookiePolicy())
        self._hosts = [h.strip().rstrip("/") for h in (options.hosts or "").split(",") if h.strip()] or [self.host.rstrip("/")]
        self._turn = itertools.count()
        forwarded = options.forwarded_https
        self._forwarded = forwarded == "yes" or (forwarded == "auto" and self._hosts[0].startswith("http://"))

    def url(self, path: str) -> tuple[str, dict]:
        base = self._hosts[next(self._turn) % len(self._hosts)]
        headers = {}
        if self._forwarded:
            headers["X-Forwarded-Proto"] = "https"
        netloc = urlsplit(base).netloc
        headers["Origin"] = f"https://{netloc}" if self._forwarded or base.startswith("https") else f"http://{netloc}"
        return base + path, headers

    def csrf(self) -> str:
        for cookie in self.client.cookiejar:
            if cookie.name == "csrftoken":
                return cookie.value
        return ""

    def get(self, path, name, **kwargs):
        url, headers = self.url(path)
        return self.client.get(url, name=name, headers=headers, **kwargs)

    def post(self, path, name, **kwargs):
        url, headers = self.url(path)
        headers["X-CSRFToken"] = self.csrf()
        if "json" in kwargs:
            headers["Accept"] = "application/json"
        headers.update(kwargs.pop("headers", {}))
        return self.client.post(url, name=name, headers=headers, allow_redirects=False, **kwargs)

    def login(self):
        options = self.environment.parsed_options
        number = next(OFFICER_SEQUENCE) + options.officer_offset
        self.officer_number = f"{options.officer_prefix}{number:05d}"
        for _attempt in range(20):
            page = self.get("/accounts/login/", "login page")
            if page.status_code == 200:
                match = CSRF_INPUT.search(page.text or "")
                with self.post("/accounts/login/", "login", catch_response=True, data={
                    "csrfmiddlewaretoken": match.group(1) if match else self.csrf(),
                    "username": self.officer_number, "password": options.password,
                }) as response:
                    if response.status_code == 302:
                        return
                    response.failure(f"login answered {response.status_code}")
            gevent.sleep(2)
        raise StopUser

    def quiz_path(self):
        return f"/assessments/tests/{self.environment.parsed_options.quiz_id}/"

    def sitting_start(self) -> tuple[int, dict[int, dict]]:
        """Start (or resume) a sitting; returns its id and its questions."""
        while True:
            with self.post(self.quiz_path() + "start/", "start", catch_response=True) as response:
                location = response.headers.get("Location", "") if response.status_code == 302 else ""
                match = SITTING.search(location)
                if not match:
                    response.failure(f"start answered {response.status_code} {location}")
            if match:
                sitting = int(match.group(1))
                questions = self.paper(sitting)
                if questions:
                    RECORD["sittings"].append({"sitting": sitting, "officer": self.officer_number, "at": time.time()})
                    return sitting, questions
            gevent.sleep(2)

    def paper(self, sitting: int) -> dict[int, dict]:
        with self.get(f"/assessments/sittings/{sitting}/", "paper", catch_response=True) as response:
            questions = paper_questions(response.text or "") if response.status_code == 200 else {}
            if response.status_code == 200 and not questions:
                response.failure("no question found in the paper")
        return questions

    def save(self, sitting: int, answers: list[dict], name="answers") -> set[int] | None:
        """Post answers; record those acknowledged. Returns the indexes acknowledged, None if the
        sitting refuses everything (409: handed in or out of time)."""
        body = {"answers": answers}
        with self.post(f"/assessments/sittings/{sitting}/answers/", name, json=body, catch_response=True) as response:
            if response.status_code == 409:
                response.success()
                return None
            if response.status_code != 200:
                response.failure(f"answers answered {response.status_code}")
                return set()
            try:
                results = response.json()["results"]
            except (ValueError, KeyError, TypeError):
                response.failure("answers: not the expected JSON")
                return set()
            saved = set()
            for index, (answer, result) in enumerate(zip(answers, results, strict=False)):
                if result.get("saved"):
                    saved.add(index)
                    RECORD["acks"].append({
                        "sitting": sitting, "position": answer["position"], "revision": answer["revision"],
                        "choice": answer.get("choice", []), "text": answer.get("text", ""), "at": time.time(),
                    })
            if len(saved) < len(answers):
                refused = [r.get("error") for r in results if not r.get("saved")]
                response.failure(f"answers refused: {refused[:2]}")
            return saved

    def hand_in(self, sitting: int) -> bool:
        for _attempt in range(10):
            url_path = f"/assessments/sittings/{sitting}/submit/"
            with self.post(url_path, "submit", catch_response=True, data={"csrfmiddlewaretoken": self.csrf()}) as response:
                if response.status_code == 302 and "/result/" in response.headers.get("Location", ""):
                    RECORD["handins"].append({"sitting": sitting, "officer": self.officer_number, "at": time.time()})
                    return True
                response.failure(f"submit answered {response.status_code}")
            gevent.sleep(2)
        return False


def _answer_for(question: dict, revision: int) -> dict:
    options = question["options"]
    answer = {"revision": revision, "choice": [], "text": ""}
    if question["type"] == "essay":
        answer["text"] = f"答：依法办理，第{revision}稿。"
    elif question["type"] == "multiple":
        answer["choice"] = sorted(random.sample(options, random.randint(1, len(options))))
    else:
        answer["choice"] = [random.choice(options)]
    return answer


class SittingOfficer(_Officer):
    """An officer sitting the test: answers every ~5 s, goes back, flags, hands in."""

    wait_time = constant(0)

    def on_start(self):
        super().on_start()
        PROGRESS["active"] += 1
        self.sittings_done = 0
        try:
            self.login()
        except StopUser:
            PROGRESS["active"] -= 1
            raise

    def done(self):
        PROGRESS["active"] -= 1
        raise StopUser

    def think(self):
        mean = self.environment.parsed_options.think
        gevent.sleep(random.uniform(0.6 * mean, 1.4 * mean))

    @task
    def sit(self):
        sitting, questions = self.sitting_start()
        revisions = {p: q["revision"] for p, q in questions.items()}
        pending: dict[int, dict] = {}  # position -> answer not yet acknowledged
        answered: list[int] = []
        order = sorted(questions)
        while order or pending:
            self.think()
            if order:
                # Usually one new answer; now and then two or three given quickly.
                for _n in range(1 if random.random() < 0.8 else random.randint(2, 3)):
                    if not order:
                        break
                    position = order.pop(0)
                    revisions[position] += 1
                    pending[position] = {"position": position, **_answer_for(questions[position], revisions[position])}
                    answered.append(position)
            if answered and random.random() < 0.1:
                # Going back to change an earlier answer.
                position = random.choice(answered)
                revisions[position] += 1
                pending[position] = {"position": position, **_answer_for(questions[position], revisions[position])}
            if random.random() < 0.08:
                self.post(f"/assessments/sittings/{sitting}/flag/", "flag",
                          json={"position": random.choice(list(questions)), "flagged": random.random() < 0.7})
            if random.random() < 0.03:
                self.paper(sitting)  # a reload
            batch = list(pending.values())
            saved = self.save(sitting, batch)
            if saved is None:
                break  # handed in meanwhile (time up): the worker graded it
            for index in saved:
                pending.pop(batch[index]["position"], None)
        self.think()
        if self.hand_in(sitting):
            self.get(f"/assessments/sittings/{sitting}/result/", "result")
        self.sittings_done += 1
        if self.sittings_done == self.environment.parsed_options.sittings:
            self.done()


class LessonBrowser(_Officer):
    """Another group: lessons, the lecture hall, published results."""

    wait_time = constant(0)
    fixed_count = 0

    def on_start(self):
        super().on_start()
        PROGRESS["active"] += 1
        try:
            self.login()
        except StopUser:
            PROGRESS["active"] -= 1
            raise

    def pause(self):
        gevent.sleep(random.uniform(3, 12))

    def follow(self, html: str, pattern: str, name: str):
        links = sorted(set(re.findall(pattern, html or "")))
        if links:
            self.get(random.choice(links), name)
            self.pause()

    @task
    def browse(self):
        lessons = self.get("/lessons/", "lessons")
        self.pause()
        self.follow(lessons.text, r"href=\"(/lessons/(?:courses/)?\d+/)\"", "course")
        hall = self.get("/lecture-hall/", "lecture hall")
        self.pause()
        self.follow(hall.text, r"href=\"(/lecture-hall/[^\"#?]+/)\"", "hall page")
        publications = self.get("/publications/", "publications")
        self.pause()
        self.follow(publications.text, r"href=\"(/publications/\d+/)\"", "publication")
        self.get("/assessments/", "tests")
        self.pause()
        if self.environment.parsed_options.sittings:
            PROGRESS["active"] -= 1
            raise StopUser


class CapacitySaver(_Officer):
    """Capacity phase: batches of answers with no think time, on a sitting of one's own."""

    wait_time = constant(0)

    def on_start(self):
        super().on_start()
        self.login()
        self.sitting, questions = self.sitting_start()
        self.questions = questions
        self.revisions = {p: q["revision"] for p, q in questions.items()}
        self.cycle = itertools.cycle(sorted(questions))

    @task
    def save_batch(self):
        size = max(1, self.environment.parsed_options.batch)
        positions = []
        for position in self.cycle:
            if position not in positions:
                positions.append(position)
            if len(positions) >= min(size, len(self.questions)):
                break
        batch = []
        for position in positions:
            self.revisions[position] += 1
            batch.append({"position": position, **_answer_for(self.questions[position], self.revisions[position])})
        self.save(self.sitting, batch, name=f"answers ×{len(batch)}")

    def on_stop(self):
        if getattr(self, "sitting", None):
            self.hand_in(self.sitting)


class Healthz(_Officer):
    """The ceiling: the cheapest request the stack answers."""

    wait_time = constant(0)

    @task
    def healthz(self):
        self.get("/healthz", "healthz")
