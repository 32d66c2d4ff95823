"""The check-in code of a training session: a rotating code (TOTP-like) from the
session's own secret, and the per-officer limit on wrong codes. Pure functions and
the cache; the writes are in services.py."""

import hashlib
import hmac
import time

from django.core.cache import cache

STEP_SECONDS = 30
# A code shown at the venue works for its own 30 seconds and the next 60 (the time to
# type it, or to log in after scanning it), then it is gone.
STEPS_ACCEPTED = 3
# Five wrong codes in 15 minutes, and the officer waits 15 minutes (counted in the
# shared cache, so several app servers count together).
WRONG_CODES_ALLOWED = 5
WRONG_CODES_WINDOW = 15 * 60


def _now() -> float:
    return time.time()


def step_at(moment: float | None = None) -> int:
    return int((_now() if moment is None else moment) // STEP_SECONDS)


def rotating_code(secret: str, step: int) -> str:
    """Six digits for one 30-second step (RFC 4226's truncation of an HMAC)."""
    digest = hmac.new(secret.encode(), step.to_bytes(8, "big"), hashlib.sha256).digest()
    offset = digest[-1] & 0x0F
    number = int.from_bytes(digest[offset : offset + 4], "big") & 0x7FFFFFFF
    return f"{number % 1_000_000:06d}"


def current_code(secret: str) -> tuple[str, int]:
    """The code to show now, and the seconds until it changes."""
    now = _now()
    return rotating_code(secret, step_at(now)), STEP_SECONDS - int(now % STEP_SECONDS)


def code_matches(secret: str, code: str) -> bool:
    now_step = step_at()
    return any(hmac.compare_digest(rotating_code(secret, now_step - back), code) for back in range(STEPS_ACCEPTED))


def _key(officer_id: int) -> str:
    return f"lessons:checkin-wrong:{officer_id}"


def wrong_codes(officer_id: int) -> int:
    return int(cache.get(_key(officer_id), 0))


def wrong_code_count(officer_id: int) -> int:
    """Count one wrong code; the window starts at the first one."""
    key = _key(officer_id)
    if cache.add(key, 1, WRONG_CODES_WINDOW):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, WRONG_CODES_WINDOW)
        return 1


def wrong_codes_clear(officer_id: int) -> None:
    cache.delete(_key(officer_id))
