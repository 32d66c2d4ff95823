"""Every shadowing power, decided by role and unit scope (mentoring.permissions)."""

import pytest

from mentoring import permissions, selectors
from mentoring.permissions import Capacity
from officers.roles import Role, Tier, UnitKind
from tests.factories.mentoring import (
    MentorFactory,
    MentorshipFactory,
    RecruitFactory,
    ShadowingLogFactory,
)
from tests.factories.officers import (
    LegalAffairsUnitFactory,
    OfficerFactory,
    UnitFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    """A recruit in a brigade's squad, and everyone who might ask about the mentorship."""
    legal_unit = LegalAffairsUnitFactory()
    brigade = UnitFactory(name="刑侦大队", kind=UnitKind.BRIGADE)
    squad = UnitFactory(name="刑侦大队重案中队", kind=UnitKind.BRIGADE, parent=brigade)
    other = UnitFactory(name="西城派出所")
    m = MentorshipFactory(recruit=RecruitFactory(unit=squad), mentor=MentorFactory(unit=squad))
    people = {
        "reviewer": OfficerFactory(unit=legal_unit, roles=[Role.LEGAL_REVIEWER]),
        "administrator": OfficerFactory(unit=other, roles=[Role.ADMINISTRATOR]),
        "legal_unit_member": OfficerFactory(unit=legal_unit),
        "legal_unit_head": OfficerFactory(unit=legal_unit, tier=Tier.MID_LEVEL),
        "trainer": OfficerFactory(unit=legal_unit, roles=[Role.TRAINER]),
        "brigade_head": OfficerFactory(unit=brigade, tier=Tier.MID_LEVEL),
        "brigade_legal_officer": OfficerFactory(unit=brigade, roles=[Role.LEGAL_OFFICER]),
        "other_legal_officer": OfficerFactory(unit=other, roles=[Role.LEGAL_OFFICER]),
        "other_head": OfficerFactory(unit=other, tier=Tier.MID_LEVEL),
        "mentor": m.mentor,
        "recruit": m.recruit,
        "other_mentor": MentorFactory(unit=squad),
        "officer": OfficerFactory(unit=squad),
    }
    return {"m": m, "log": ShadowingLogFactory(mentorship=m), **people}


POWERS = {
    "can_view_mentorship": {"reviewer", "administrator", "brigade_head", "brigade_legal_officer", "mentor", "recruit"},
    "can_extend": {"reviewer", "administrator", "brigade_head"},
    "can_end": {"reviewer", "administrator", "brigade_head"},
    "can_log": {"mentor"},
    "can_sign_off": {"mentor"},
    "can_propose_final": {"mentor"},
    "can_approve_final": {"reviewer", "administrator"},
    "can_promote": {"reviewer", "administrator"},
    "can_read_evaluation": {"reviewer", "administrator"},
    "can_submit_evaluation": {"recruit"},
}
LOG_POWERS = {
    "can_view_log": POWERS["can_view_mentorship"],
    "can_edit_log": {"mentor"},
    "can_acknowledge": {"recruit"},
    "can_add_addendum": {"mentor", "recruit"},
}
OFFICER_POWERS = {
    "can_open_mentoring": {
        "reviewer", "administrator", "legal_unit_head", "brigade_head", "brigade_legal_officer",
        "other_legal_officer", "other_head", "mentor", "recruit", "other_mentor",
    },
    "can_assign": {"reviewer", "administrator", "legal_unit_head", "brigade_head", "other_head"},
    "can_see_sign_off_to_do": {"reviewer", "administrator"},
    "can_edit_competencies": {"reviewer", "administrator"},
}
PEOPLE = [
    "reviewer", "administrator", "legal_unit_member", "legal_unit_head", "trainer", "brigade_head",
    "brigade_legal_officer", "other_legal_officer", "other_head", "mentor", "recruit", "other_mentor", "officer",
]


@pytest.mark.parametrize("power", list(POWERS))
def test_each_mentorship_power_belongs_to_the_roles_that_hold_it(world, power):
    granted = {who for who in PEOPLE if getattr(permissions, power)(world[who], world["m"])}
    assert granted == POWERS[power]


@pytest.mark.parametrize("power", list(LOG_POWERS))
def test_each_log_power_belongs_to_the_roles_that_hold_it(world, power):
    granted = {who for who in PEOPLE if getattr(permissions, power)(world[who], world["log"])}
    assert granted == LOG_POWERS[power]


@pytest.mark.parametrize("power", list(OFFICER_POWERS))
def test_each_page_power_belongs_to_the_roles_that_hold_it(world, power):
    granted = {who for who in PEOPLE if getattr(permissions, power)(world[who])}
    assert granted == OFFICER_POWERS[power]


def test_a_legal_affairs_unit_member_without_a_role_gets_nothing_special(world):
    member, m = world["legal_unit_member"], world["m"]
    assert permissions.capacities(member, m) == frozenset()
    assert not permissions.can_open_mentoring(member)
    assert list(selectors.visible_mentorships(member)) == []


def test_a_legal_officer_reads_the_mentorships_of_their_unit_and_the_units_beneath(world):
    officer, m = world["brigade_legal_officer"], world["m"]
    assert permissions.capacities(officer, m) == {Capacity.LEGAL_OFFICER}
    assert list(selectors.visible_mentorships(officer)) == [m]
    assert list(selectors.visible_mentorships(world["other_legal_officer"])) == []
    powers = permissions.mentorship_powers(officer, m)
    assert not any(vars(powers).values())  # read only: no action, no evaluation


def test_the_assignment_scope_follows_the_led_units(world):
    assert permissions.can_assign_for(world["brigade_head"], world["recruit"])
    assert not permissions.can_assign_for(world["other_head"], world["recruit"])
    assert permissions.can_assign_for(world["reviewer"], world["recruit"])
    assert permissions.assign_unit_ids(world["reviewer"]) is None


def test_visible_mentorships_agree_with_can_view_mentorship(world):
    for who in PEOPLE:
        officer = world[who]
        visible = world["m"] in selectors.visible_mentorships(officer)
        assert visible == permissions.can_view_mentorship(officer, world["m"]), who
