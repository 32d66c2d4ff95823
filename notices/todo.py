"""我的待办: what an officer has to do now, contributed by every app.

Each app registers one provider in its own `<app>/todo.py`:

    from notices import todo

    @todo.register
    def items(officer, now):
        ...
        yield todo.Item(kind="assessments.test_open", title=..., url=..., due=quiz.closes_at)

A provider reads the state of the data (nothing is stored), so an item is gone the
moment its work is done; it must run in a constant number of queries, whatever
the officer's history. The home page and the header's count ask only this
module, never an app's internals.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.core.cache import cache
from django.utils import timezone

logger = logging.getLogger(__name__)

Provider = Callable[[object, dt.datetime], Iterable["Item"]]
_providers: list[Provider] = []

# How long the header's count may be reused (the to-do page itself is always fresh;
# any POST by the officer clears it, see notices.middleware).
COUNT_SECONDS = 60


class Urgency:
    """Lower is more urgent; items sort by overdue first, then due, then urgency."""

    NOW = 10       # a deadline today or past, a sitting in progress
    SOON = 30      # work waiting on the officer
    NORMAL = 50
    LOW = 70


@dataclass(frozen=True)
class Item:
    kind: str                         # "<app>.<what>", stable: tests and styles use it
    title: str
    url: str
    detail: str = ""
    due: dt.datetime | dt.date | None = None
    urgency: int = Urgency.NORMAL
    count: int = 1                    # several things of one kind folded into one item
    action: str = ""                  # the button's words ("开始答题")
    role: str = ""                    # the capacity it comes from ("师傅", "法制审核员")
    tags: tuple[str, ...] = field(default=())

    @property
    def due_at(self) -> dt.datetime | None:
        if self.due is None:
            return None
        if isinstance(self.due, dt.datetime):
            return self.due
        return timezone.make_aware(dt.datetime.combine(self.due, dt.time(23, 59, 59)))

    def is_overdue(self, now: dt.datetime) -> bool:
        due = self.due_at
        return due is not None and due < now

    def sort_key(self, now: dt.datetime):
        due = self.due_at
        far = dt.datetime.max.replace(tzinfo=dt.UTC)
        return (not self.is_overdue(now), self.urgency, due or far, self.title)


def register(provider: Provider) -> Provider:
    """Add an app's provider of to-do items (use as a decorator in `<app>/todo.py`)."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


def providers() -> tuple[Provider, ...]:
    return tuple(_providers)


def items_for(officer, *, now: dt.datetime | None = None) -> list[Item]:
    """Every to-do item of the officer, most urgent first. Refreshes the header's count."""
    now = now or timezone.now()
    if not getattr(officer, "is_authenticated", False):
        return []
    items: list[Item] = []
    for provider in _providers:
        items.extend(provider(officer, now))
    items.sort(key=lambda item: item.sort_key(now))
    cache.set(_count_key(officer), _total(items), COUNT_SECONDS)
    return items


def count_for(officer) -> int:
    """The number shown in the header: at most a minute old, cleared by the officer's own writes."""
    if not getattr(officer, "is_authenticated", False):
        return 0
    cached = cache.get(_count_key(officer))
    if cached is not None:
        return cached
    return _total(items_for(officer))


def count_forget(officer_id: int) -> None:
    cache.delete(f"todo-count:{officer_id}")


def _count_key(officer) -> str:
    return f"todo-count:{officer.pk}"


def _total(items: list[Item]) -> int:
    return sum(item.count for item in items)
