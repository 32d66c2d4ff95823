"""Reads about people and organisation, and the access rules built on them."""

from collections import defaultdict

from django.db.models import QuerySet

from .models import Officer, Unit
from .roles import Tier


def officer_with_roles(*, officer_id: int) -> Officer:
    return Officer.objects.select_related("unit").prefetch_related("groups").get(pk=officer_id)


def officers_in_roles(*, roles: list[str]) -> QuerySet[Officer]:
    return Officer.objects.filter(is_active=True, groups__name__in=roles).distinct()


def led_unit(officer: Officer) -> Unit | None:
    """The unit an officer leads: mid-level officers (所长, 大队长 …) lead their own unit."""
    if officer.is_authenticated and officer.tier == Tier.MID_LEVEL and officer.unit_id:
        return officer.unit
    return None


def unit_subtree_ids(unit_id: int) -> frozenset[int]:
    """The unit and every unit beneath it (a brigade and its squads), in one query."""
    children = defaultdict(list)
    for pk, parent_id in Unit.objects.values_list("pk", "parent_id"):
        children[parent_id].append(pk)
    found, stack = set(), [unit_id]
    while stack:
        pk = stack.pop()
        if pk not in found:  # a cycle made by hand in the admin must not loop forever
            found.add(pk)
            stack.extend(children[pk])
    return frozenset(found)


def led_unit_ids(officer: Officer) -> frozenset[int]:
    """The units an officer leads: their own and those beneath it; empty if none.

    Remembered on the officer object, so a page checking many records asks once.
    """
    cached = getattr(officer, "_led_unit_ids", None)
    if cached is None:
        unit = led_unit(officer)
        cached = unit_subtree_ids(unit.pk) if unit is not None else frozenset()
        officer._led_unit_ids = cached
    return cached


def audit_events(*, officer_query: str = "", action: str = "", since=None, until=None):
    """The audit trail, newest first, filtered by who (police number or name), action and days."""
    from django.db.models import Q

    from .models import AuditEvent

    events = AuditEvent.objects.select_related("actor__unit")
    if officer_query:
        events = events.filter(Q(actor__police_number=officer_query) | Q(actor__name__contains=officer_query))
    if action:
        events = events.filter(action=action)
    if since:
        events = events.filter(at__date__gte=since)
    if until:
        events = events.filter(at__date__lte=until)
    return events.order_by("-at", "-id")


def audit_actions() -> list[str]:
    """Every action code written so far, for the filter."""
    from .models import AuditEvent

    return sorted(AuditEvent.objects.order_by().values_list("action", flat=True).distinct())
