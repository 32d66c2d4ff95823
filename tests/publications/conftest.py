"""A sample kind of publication whose facts the tests set by hand: rows per unit."""

import pytest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from officers.permissions import is_legal_affairs_reviewer
from officers.roles import Role
from publications.registry import Column, PublicationKind, Snapshot, register
from tests.factories.officers import OfficerFactory, UnitFactory

# The sample kind's "facts": unit id -> {officer id: points}.
FACTS: dict[int, dict[int, int]] = {}


def _snapshot(unit) -> Snapshot:
    facts = FACTS.get(unit.pk, {})
    ordered = sorted(facts.items(), key=lambda item: -item[1])
    rows, rank, previous = [], 0, None
    for index, (officer_id, points) in enumerate(ordered, start=1):
        rank = rank if points == previous else index
        previous = points
        rows.append({"officer_id": officer_id, "rank": rank, "name": f"民警{officer_id}", "points": points})
    return Snapshot(title=f"{unit.name}积分公示", rows=rows, meta={"items": [["规则版本", "第1版"]]},
                    unit_rows=[{"unit": unit.name, "officers": len(rows)}])


SAMPLE = PublicationKind(
    code="sample", label=_("Points ranking"), subject_model="officers.Unit",
    columns=[Column("rank", _("Rank"), numeric=True), Column("name", pgettext_lazy("person", "Name")), Column("points", _("Score"), numeric=True)],
    unit_columns=[Column("unit", _("Unit")), Column("officers", _("Officers"), numeric=True)],
    snapshot=_snapshot, can_publish=is_legal_affairs_reviewer,
)


@pytest.fixture(autouse=True)
def sample_kind():
    register(SAMPLE)
    FACTS.clear()
    return SAMPLE


@pytest.fixture
def reviewer(db):
    return OfficerFactory(roles=[Role.LEGAL_REVIEWER])


@pytest.fixture
def subject(db):
    return UnitFactory()


@pytest.fixture
def facts(subject):
    """Three officers of the subject unit with points; returns (officers, the unit's facts)."""
    officers = [OfficerFactory(unit=subject) for _ in range(3)]
    FACTS[subject.pk] = {officers[0].pk: 90, officers[1].pk: 80, officers[2].pk: 80}
    return officers, FACTS[subject.pk]
