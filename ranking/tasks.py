"""Background jobs of the ranking: posting the ledger when facts change."""

import datetime as dt

from django_tasks import task


@task()
def ledger_post(*, track: str | None = None, officer_ids: list[int] | None = None, day: str | None = None) -> dict:
    """Bring the ledger in line with the facts for these officers (None: everyone).

    With a day, the month holding it is posted (whole months, so that monthly
    caps see every fact of the month); without one, every day.
    """
    from .services import points_post

    start = end = None
    if day:
        when = dt.date.fromisoformat(day)
        start = when.replace(day=1)
        end = (start + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    result = points_post(track=track, officer_ids=officer_ids, start=start, end=end)
    return {"posted": result.posted, "reversed": result.reversed, "unchanged": result.unchanged}


@task()
def ledger_sweep() -> dict:
    """Nightly backstop: post everything (catches facts changed by bulk updates, which send no signal)."""
    from .services import points_post

    result = points_post()
    return {"posted": result.posted, "reversed": result.reversed, "unchanged": result.unchanged}
