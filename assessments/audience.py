"""Who an assessment is for: tiers, roles or units (with the units beneath them).

Shared by the knowledge tests (Quiz) and case-review rounds (ReviewRound), which
both carry `audience_tiers`, `audience_roles` and `audience_units`.
"""

from collections import defaultdict

from django.db.models import Q


def unit_and_ancestor_ids(officer) -> frozenset[int]:
    """The officer's unit and every unit above it (squad → brigade), one query, remembered on the officer."""
    cached = getattr(officer, "_assessments_unit_chain", None)
    if cached is None:
        from officers.models import Unit

        parents = dict(Unit.objects.values_list("pk", "parent_id"))
        chain, unit_id = set(), officer.unit_id
        while unit_id is not None and unit_id not in chain:  # a cycle made by hand must not loop
            chain.add(unit_id)
            unit_id = parents.get(unit_id)
        cached = officer._assessments_unit_chain = frozenset(chain)
    return cached


def audience_includes(*, subject, officer) -> bool:
    """Whether the officer belongs to the subject's audience (tiers, roles or units).

    An audience aimed at a unit reaches the units beneath it too: a brigade's
    test reaches its squads. Empty tiers, roles and units mean the whole bureau.
    """
    tiers, roles = subject.audience_tiers or [], subject.audience_roles or []
    unit_ids = {u.pk for u in subject.audience_units.all()}
    if not (tiers or roles or unit_ids):
        return True
    if officer.tier in tiers or officer.has_role(*roles) or officer.unit_id in unit_ids:
        return True
    return bool(unit_ids and officer.unit_id and unit_ids & unit_and_ancestor_ids(officer))


def subtree_ids_of(unit_ids, *, children: dict | None = None) -> frozenset[int]:
    """The given units and every unit beneath them, from one query (or a children map given)."""
    if children is None:
        children = unit_children_map()
    found, stack = set(), list(unit_ids)
    while stack:
        pk = stack.pop()
        if pk not in found:
            found.add(pk)
            stack.extend(children.get(pk, ()))
    return frozenset(found)


def unit_children_map() -> dict[int | None, list[int]]:
    """Each unit's direct children, in one query."""
    from officers.models import Unit

    children: dict[int | None, list[int]] = defaultdict(list)
    for pk, parent_id in Unit.objects.values_list("pk", "parent_id"):
        children[parent_id].append(pk)
    return children


def audience_officers(*, subject):
    """The active officers in the subject's audience, as a queryset (no superusers)."""
    from officers.models import Officer

    tiers, roles = subject.audience_tiers or [], subject.audience_roles or []
    unit_ids = [u.pk for u in subject.audience_units.all()]
    officers = Officer.objects.filter(is_active=True, is_superuser=False)
    if not (tiers or roles or unit_ids):
        return officers
    condition = Q(pk__in=[])
    if tiers:
        condition |= Q(tier__in=tiers)
    if roles:
        condition |= Q(groups__name__in=roles)
    if unit_ids:
        condition |= Q(unit_id__in=subtree_ids_of(unit_ids))
    return officers.filter(pk__in=officers.filter(condition).values("pk"))
