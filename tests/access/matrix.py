"""The access matrix: every URL pattern × every identity has an expected answer.

See tests/access/README.md for the format of the `expectations_<app>.py` files.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern

IDENTITIES = [
    "anonymous",
    "recruit",  # 新警 of station A, shadowing `mentor`
    "officer",  # 民警 of station B, no role
    "mid_level",  # 中层: head of station B
    "legal_officer",  # 法制员 of station A
    "mentor",  # 师傅 of station A
    "trainer",  # 教官 of 法制大队
    "unit_head",  # 所长 of station A
    "legal_reviewer",  # 法制审核员 of 法制大队
    "administrator",  # 系统管理员
    "legal_unit_member",  # 法制大队 member with no role: the unit alone gives nothing
]
SIGNED_IN = [who for who in IDENTITIES if who != "anonymous"]
# Identities without access to Wagtail's admin (no trainer, reviewer or administrator role).
NO_ADMIN = ["recruit", "officer", "mid_level", "legal_officer", "mentor", "unit_head", "legal_unit_member"]
ADMIN_USERS = ["trainer", "legal_reviewer", "administrator"]


class Token(str):
    """An expected answer that is not a plain status code."""


LOGIN = Token("LOGIN")  # 302 to the platform's login page
REDIRECT = Token("REDIRECT")  # any 302
# 403, a 302 to the login page (which answers 403 to a signed-in officer), or Wagtail's
# refusal inside its admin (a 302 to /admin/ with "you do not have permission").
DENIED = Token("DENIED")
ANY = Token("ANY")  # any answer but a server error: used only where ids would be invented
SKIP = Token("SKIP")  # not requested for this identity (say why beside it)


@dataclass(frozen=True)
class Expect:
    """One named URL pattern: the answer each identity gets.

    `status` maps identity -> int, Token or a tuple of those; the key "*" stands for
    every signed-in identity not named. Anonymous visitors get LOGIN unless named.
    `kwargs` maps the URL's keyword arguments to a key of `world.ids` (a str) or a
    literal value (int); `path` replaces reverse() for patterns that cannot reverse.
    """

    name: str
    status: dict[str, Any]
    kwargs: dict[str, Any] = field(default_factory=dict)
    method: str = "get"
    data: dict | None = None
    query: str = ""
    path: str = ""
    content_type: str | None = None

    def expected(self, who: str):
        if who in self.status:
            return self.status[who]
        if who == "anonymous":
            return LOGIN
        if "*" in self.status:
            return self.status["*"]
        raise AssertionError(f"{self.name}: no expectation for {who}")


@dataclass(frozen=True)
class Rule:
    """Many patterns at once: every pattern whose route starts with `prefix`.

    Patterns with arguments are requested with a sample path (ids that need not
    exist); identities in `with_arguments_only_for` are the only ones asked there,
    since for the others a made-up id says nothing.
    """

    prefix: str
    status: dict[str, Any]
    overrides: dict[str, dict[str, Any]] = field(default_factory=dict)  # route or name -> status
    with_arguments_only_for: tuple[str, ...] = ("anonymous", *NO_ADMIN)

    def expected(self, who: str, pattern: Pattern):
        for key in (pattern.name, pattern.route):
            if key and key in self.overrides and who in self.overrides[key]:
                return self.overrides[key][who]
        if pattern.has_arguments and who not in self.with_arguments_only_for:
            return SKIP
        if who in self.status:
            return self.status[who]
        if "*" in self.status:
            return self.status["*"]
        raise AssertionError(f"{self.prefix}: no expectation for {who}")


@dataclass(frozen=True)
class Extra:
    """A request that is not one URL pattern (e.g. a file under /media/)."""

    label: str
    path: str
    status: dict[str, Any]

    def expected(self, who: str):
        if who in self.status:
            return self.status[who]
        return self.status["*"]


@dataclass(frozen=True)
class Pattern:
    route: str  # the full route as written, e.g. "mentoring/mentorships/<int:pk>/"
    name: str | None  # "mentoring:mentorship"
    sample: str  # a path that resolves to this pattern, with made-up arguments
    has_arguments: bool

    @property
    def label(self) -> str:
        return self.name or self.route


_CONVERTER_SAMPLES = {"int": "987654", "str": "x", "slug": "x", "path": "987654", "uuid": "00000000-0000-0000-0000-000000000000"}


def _sample_route(route: str) -> str:
    return re.sub(r"<(?:(\w+):)?\w+>", lambda m: _CONVERTER_SAMPLES.get(m.group(1) or "str", "x"), route)


def _sample_regex(regex: str) -> str:
    text = regex.lstrip("^").rstrip("$")
    # Innermost groups first: an alternation takes its first branch, digits a number, anything else "x".
    group = re.compile(r"\((?:\?P<\w+>|\?:)?([^()]*)\)([*+?]?)")
    while True:
        new = group.sub(lambda m: "" if m.group(2) in ("*", "?") else _sample_atom(m.group(1)), text)
        if new == text:
            break
        text = new
    text = re.sub(r"\.\*|\.\+", "x", text)
    return text.replace("\\.", ".").replace("\\-", "-")


def _sample_atom(body: str) -> str:
    branch = body.split("|")[0]
    if branch in ("\\d+", "[0-9]+"):
        return "987654"
    if re.fullmatch(r"[\w-]+", branch):
        return branch
    return "x"


def url_patterns() -> list[Pattern]:
    """Every pattern of the URL configuration, with a sample path for each."""
    found = []

    def walk(patterns, route, sample, namespace, has_args):
        for p in patterns:
            piece = str(p.pattern)
            if isinstance(p.pattern, RoutePattern):
                piece_sample, args = _sample_route(piece), bool(p.pattern.converters)
            elif isinstance(p.pattern, RegexPattern):
                piece_sample, args = _sample_regex(piece), bool(p.pattern.regex.groups)
            else:  # LocalePrefixPattern and the like
                piece_sample, args = "", False
            if isinstance(p, URLResolver):
                ns = namespace
                if p.namespace:
                    ns = f"{namespace}:{p.namespace}" if namespace else p.namespace
                walk(p.url_patterns, route + piece, sample + piece_sample, ns, has_args or args)
            elif isinstance(p, URLPattern):
                name = f"{namespace}:{p.name}" if (namespace and p.name) else p.name
                found.append(Pattern(route + piece, name, "/" + sample + piece_sample, has_args or args))

    walk(get_resolver().url_patterns, "", "", None, False)
    return found


# The platform's login page, and the admin login addresses that redirect to it.
LOGIN_PATHS = frozenset({"/accounts/login/", "/admin/login/", "/django-admin/login/"})


def check(expected, response) -> bool:
    """Whether the response is the expected answer."""
    if isinstance(expected, tuple):
        return any(check(e, response) for e in expected)
    status = response.status_code
    to_login = status == 302 and response.get("Location", "").split("?")[0] in LOGIN_PATHS
    if status == 401 and response.get("Content-Type") == "application/json":
        # A page's script without a session: JSON 401 naming the login page (officers.middleware).
        to_login = str(response.json().get("login_url", "")).split("?")[0] in LOGIN_PATHS
    if expected == LOGIN:
        return to_login
    if expected == REDIRECT:
        return status in (301, 302)
    if expected == DENIED:
        return status == 403 or to_login or (status == 302 and response.get("Location", "") == "/admin/")
    if expected == ANY:
        return status < 500
    return status == expected
