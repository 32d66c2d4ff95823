"""The people of the access matrix: one officer per identity, in two stations and 法制大队."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from officers.roles import Role, Tier, UnitKind
from tests.factories.officers import (
    LegalAffairsUnitFactory,
    OfficerFactory,
    UnitFactory,
)


@dataclass
class World:
    """Everything the expectations refer to.

    people: identity -> Officer (see matrix.IDENTITIES), plus "colleague" (a plain
    officer of station A) and "stranger" (a plain officer of station B), whose data
    the identities ask for. units: "station_a", "station_b", "legal_unit".
    ids: names -> values used in URLs (filled by each expectations module's build()).
    secrets: (label, text) pairs that no identity may see on any page it is allowed to
    open, unless the expectation module says whom they belong to (see test_secrets).
    """

    people: dict[str, Any]
    units: dict[str, Any]
    ids: dict[str, Any] = field(default_factory=dict)
    objects: dict[str, Any] = field(default_factory=dict)


def build_people() -> World:
    station_a = UnitFactory(name="东城派出所", kind=UnitKind.POLICE_STATION)
    station_b = UnitFactory(name="西城派出所", kind=UnitKind.POLICE_STATION)
    legal_unit = LegalAffairsUnitFactory()
    people = {
        "recruit": OfficerFactory(name="李新警", unit=station_a, tier=Tier.RECRUIT),
        "officer": OfficerFactory(name="孙民警", unit=station_b),
        "mid_level": OfficerFactory(name="钱所长", unit=station_b, tier=Tier.MID_LEVEL),
        "legal_officer": OfficerFactory(name="王法制", unit=station_a, roles=[Role.LEGAL_OFFICER]),
        "mentor": OfficerFactory(name="刘师傅", unit=station_a, roles=[Role.MENTOR]),
        "trainer": OfficerFactory(name="陈教官", unit=legal_unit, roles=[Role.TRAINER]),
        "unit_head": OfficerFactory(name="赵所长", unit=station_a, tier=Tier.MID_LEVEL),
        "legal_reviewer": OfficerFactory(name="周审核", unit=legal_unit, roles=[Role.LEGAL_REVIEWER]),
        "administrator": OfficerFactory(
            name="系统管理员", unit=legal_unit, tier=Tier.MID_LEVEL, roles=[Role.ADMINISTRATOR],
            is_superuser=True, is_staff=True,
        ),
        "legal_unit_member": OfficerFactory(name="吴科员", unit=legal_unit),
        "colleague": OfficerFactory(name="郑同事", unit=station_a),
        "stranger": OfficerFactory(name="冯外所", unit=station_b),
    }
    return World(people=people, units={"station_a": station_a, "station_b": station_b, "legal_unit": legal_unit})
