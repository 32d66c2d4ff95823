"""Every URL pattern × every identity: the answer each gets, with real ids of other people's data.

A URL pattern without an expectation fails `test_every_url_pattern_has_an_expectation`:
add it to tests/access/expectations_<app>.py (format in tests/access/README.md).
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.access.conftest import expectation_modules
from tests.access.matrix import IDENTITIES, SKIP, Expect, Rule, check, url_patterns

# The world is built once (conftest.py); the marker makes pytest-django create the test database.
pytestmark = pytest.mark.django_db

MODULES = expectation_modules()
EXPECTATIONS: list[Expect] = [e for m in MODULES for e in getattr(m, "EXPECTATIONS", [])]
RULES: list[Rule] = [r for m in MODULES for r in getattr(m, "RULES", [])]
EXTRAS = [x for m in MODULES for x in getattr(m, "EXTRAS", [])]
# (label, text, identities allowed to see it): checked on every page answering 200 below.
SECRETS = [s for m in MODULES for s in getattr(m, "SECRETS", [])]
PATTERNS = url_patterns()


def expectations_of(pattern) -> list[Expect]:
    return [e for e in EXPECTATIONS if e.name in (pattern.name, pattern.route)]


def rule_of(pattern) -> Rule | None:
    matching = [r for r in RULES if pattern.route.startswith(r.prefix)]
    return max(matching, key=lambda r: len(r.prefix)) if matching else None


def test_every_url_pattern_has_an_expectation():
    missing = [p.label for p in PATTERNS if not expectations_of(p) and rule_of(p) is None]
    assert not missing, (
        "URL patterns without an expected status per identity; add them to "
        "tests/access/expectations_<app>.py:\n  " + "\n  ".join(missing)
    )


def test_every_expectation_names_a_url_pattern():
    known = {p.name for p in PATTERNS} | {p.route for p in PATTERNS}
    stale = sorted({e.name for e in EXPECTATIONS} - known)
    assert not stale, f"expectations for URL patterns that no longer exist: {stale}"


def _path(world, expect: Expect) -> str:
    if expect.path:
        return expect.path.format(**world.ids)
    kwargs = {k: (world.ids[v] if isinstance(v, str) else v) for k, v in expect.kwargs.items()}
    return reverse(expect.name, kwargs=kwargs) + (f"?{expect.query.format(**world.ids)}" if expect.query else "")


def _describe(response) -> str:
    location = response.get("Location")
    return f"{response.status_code}" + (f" → {location}" if location else "")


NAMED = [p for p in PATTERNS if expectations_of(p)]
BY_RULE = [p for p in PATTERNS if not expectations_of(p) and rule_of(p) is not None]


@pytest.mark.parametrize("pattern", NAMED, ids=[p.label for p in NAMED])
def test_named_pattern(pattern, world, ask):
    wrong = []
    for expect in expectations_of(pattern):
        path = _path(world, expect)
        for who in IDENTITIES:
            expected = expect.expected(who)
            if expected == SKIP:
                continue
            response = ask(who, expect.method, path, data=expect.data, content_type=expect.content_type)
            if not check(expected, response):
                wrong.append(f"{who:18} {expect.method.upper()} {path}: got {_describe(response)}, expected {expected}")
            wrong.extend(f"{who:18} {expect.method.upper()} {path}: shows {label}" for label in _leaks(who, response))
    assert not wrong, "\n".join(wrong)


def _leaks(who, response) -> list[str]:
    """The secrets this identity may not see that the page shows."""
    if response.status_code != 200 or not response.get("Content-Type", "").startswith(("text/", "application/json")):
        return []
    body = response._body.decode("utf-8", "replace")
    return [label for label, text, allowed in SECRETS if who not in allowed and text in body]


@pytest.mark.parametrize("pattern", BY_RULE, ids=[p.label for p in BY_RULE])
def test_pattern_under_a_rule(pattern, ask):
    rule = rule_of(pattern)
    wrong = []
    for who in IDENTITIES:
        expected = rule.expected(who, pattern)
        if expected == SKIP:
            continue
        response = ask(who, "get", pattern.sample)
        if not check(expected, response):
            wrong.append(f"{who:18} GET {pattern.sample}: got {_describe(response)}, expected {expected}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("extra", EXTRAS, ids=[x.label for x in EXTRAS])
def test_extra_path(extra, world, ask):
    path = extra.path.format(**world.ids)
    wrong = []
    for who in IDENTITIES:
        expected = extra.expected(who)
        response = ask(who, "get", path)
        if not check(expected, response):
            wrong.append(f"{who:18} GET {path}: got {_describe(response)}, expected {expected}")
    assert not wrong, "\n".join(wrong)
