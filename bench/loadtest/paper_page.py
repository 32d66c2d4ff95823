"""Reading the sitting's paper page as the load test's officers do (no browser).

Kept apart from locustfile.py so that tests can check it against the real page
without importing Locust (which patches the standard library for gevent).
"""

import re

QUESTION = re.compile(r"<[^>]*\bdata-position=\"(\d+)\"[^>]*>")
ATTRIBUTE = re.compile(r"\bdata-(type|revision)=\"([^\"]*)\"")


def paper_questions(html: str) -> dict[int, dict]:
    """position -> {type, revision, options (positions as shown)} from the paper page."""
    questions = {}
    for match in QUESTION.finditer(html):
        attributes = dict(ATTRIBUTE.findall(match.group(0)))
        if "type" not in attributes:
            continue
        position = int(match.group(1))
        options = {int(v) for v in re.findall(rf"name=\"q{position}\" value=\"(\d+)\"", html)}
        questions[position] = {
            "type": attributes["type"], "revision": int(attributes.get("revision") or 0),
            "options": sorted(options),
        }
    return questions
