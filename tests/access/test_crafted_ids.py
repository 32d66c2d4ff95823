"""A 30-digit id (or period, or name) in every URL pattern with an argument is answered
404/400/403, never a server error: on SQLite such a number does not fit an INTEGER, on
PostgreSQL not a bigint (issue 8, "500s on crafted input"). Asked as the administrator,
who passes every permission check and so reaches the lookups; platform pages also by POST."""

from __future__ import annotations

import re

import pytest

from tests.access.matrix import url_patterns

pytestmark = pytest.mark.django_db

HUGE = "9" * 30
WITH_ARGUMENTS = [p for p in url_patterns() if p.has_arguments and "<" in p.route]


def _crafted(route: str, text: str = HUGE) -> str:
    """Every int argument 30 digits; every str argument `text` (a period off the calendar, too)."""
    def value(match):
        converter, name = match.group(1), match.group(2)
        if name in VALID:
            return VALID[name]
        return text if converter in (None, "str") else HUGE

    return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", value, route)


# Arguments given a valid value, so that the crafted one next to them is reached.
VALID = {"track": "officer"}


def test_there_are_patterns_with_arguments():
    assert len(WITH_ARGUMENTS) > 50


def test_a_30_digit_argument_is_never_a_server_error(world, ask):
    wrong = []
    for pattern in WITH_ARGUMENTS:
        in_admin = pattern.route.startswith(("admin/", "django-admin/"))
        # Text where the platform's own pages take text (a ranking's period); Wagtail's choosers
        # take a numeric pk as <str:pk> and fail on letters (Wagtail's own, administrators only).
        texts = [HUGE, "0000Q1", "9999Q4", "9999"] if "<str:" in pattern.route and not in_admin else [HUGE]
        methods = ["get"] if in_admin else ["get", "post"]
        for path in {_crafted(pattern.route, text) for text in texts}:
            for method in methods:
                response = ask("administrator", method, path)
                if response.status_code >= 500:
                    wrong.append(f"{method.upper()} {path} ({pattern.label}): {response.status_code}")
    assert not wrong, "\n".join(wrong)
