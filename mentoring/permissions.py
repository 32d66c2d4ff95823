"""Who may do what in shadowing: every power decided here, by role and unit scope.

Views, templates and services ask these functions and nothing else. Belonging to
the legal affairs unit (法制大队) gives no power by itself: its powers go to the
role `legal_reviewer` (and to administrators), see officers.permissions.

| capacity | who | sees | may |
|---|---|---|---|
| reviewer | role legal_reviewer, administrators | every mentorship | assign, extend, end, approve/return 出师, promote, read evaluations, edit the curriculum |
| leader | mid-level officer of the recruit's unit or a unit above | their units' mentorships | assign, extend, end |
| legal officer | role legal_officer of the recruit's unit or a unit above | their units' mentorships | read only (no evaluations) |
| mentor | the mentorship's mentor | their own | log shifts, correct logs, sign off, propose 出师, addenda |
| recruit | the mentorship's recruit | their own | acknowledge logs, addenda, evaluate the mentor |
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.db.models import Q

from officers.permissions import is_legal_affairs_reviewer
from officers.roles import Role, Tier
from officers.selectors import led_unit, led_unit_ids, unit_subtree_ids


class Capacity(StrEnum):
    """In what capacity an officer looks at a mentorship."""

    REVIEWER = "reviewer"
    LEADER = "leader"
    LEGAL_OFFICER = "legal_officer"
    MENTOR = "mentor"
    RECRUIT = "recruit"


MANAGERS = frozenset({Capacity.REVIEWER, Capacity.LEADER})


def legal_officer_unit_ids(officer) -> frozenset[int]:
    """The units a station's legal officer (法制员) looks after: their own and those beneath.

    Remembered on the officer object, so a page checking many records asks once.
    """
    cached = getattr(officer, "_legal_officer_unit_ids", None)
    if cached is None:
        if officer.is_authenticated and officer.unit_id and officer.has_role(Role.LEGAL_OFFICER):
            cached = unit_subtree_ids(officer.unit_id)
        else:
            cached = frozenset()
        officer._legal_officer_unit_ids = cached
    return cached


def capacities(officer, mentorship) -> frozenset[Capacity]:
    """Every capacity in which the officer may see this mentorship (empty: none)."""
    if not officer.is_authenticated:
        return frozenset()
    found = set()
    if is_legal_affairs_reviewer(officer):
        found.add(Capacity.REVIEWER)
    unit_id = mentorship.recruit.unit_id
    if unit_id is not None and unit_id in led_unit_ids(officer):
        found.add(Capacity.LEADER)
    if unit_id is not None and unit_id in legal_officer_unit_ids(officer):
        found.add(Capacity.LEGAL_OFFICER)
    if mentorship.mentor_id == officer.pk:
        found.add(Capacity.MENTOR)
    if mentorship.recruit_id == officer.pk:
        found.add(Capacity.RECRUIT)
    return frozenset(found)


# --- the shadowing pages as a whole ------------------------------------------


def can_open_mentoring(officer, *, has_mentorship=None) -> bool:
    """Whether the shadowing pages concern this officer at all (navigation, /mentoring/).

    `has_mentorship` answers whether the officer is mentor or recruit of any
    mentorship (asked only when nothing else decides): a recruit since moved to
    the officer tier keeps their record and evaluation.
    """
    if not officer.is_authenticated:
        return False
    if (
        is_legal_affairs_reviewer(officer)
        or led_unit(officer) is not None
        or legal_officer_unit_ids(officer)
        or officer.has_role(Role.MENTOR)
        or officer.tier == Tier.RECRUIT
    ):
        return True
    return bool(has_mentorship and has_mentorship())


def visible_mentorships_q(officer) -> Q | None:
    """The mentorships an officer may see, as a filter; None: all of them."""
    if is_legal_affairs_reviewer(officer):
        return None
    condition = Q(mentor=officer) | Q(recruit=officer)
    units = led_unit_ids(officer) | legal_officer_unit_ids(officer)
    if units:
        condition |= Q(recruit__unit__in=units)
    return condition


def can_view_mentorship(officer, mentorship) -> bool:
    """Progress page, shift logs and the training record PDF (reading only)."""
    return bool(capacities(officer, mentorship))


def can_see_sign_off_to_do(officer) -> bool:
    """The list of final sign-offs to approve and recruits to promote."""
    return is_legal_affairs_reviewer(officer)


def can_assign(officer) -> bool:
    """Pair recruits with mentors: reviewers for the bureau, unit leaders for their units."""
    return is_legal_affairs_reviewer(officer) or led_unit(officer) is not None


def assign_unit_ids(officer) -> frozenset[int] | None:
    """Units whose recruits and mentors the officer may pair; None: every unit."""
    if is_legal_affairs_reviewer(officer):
        return None
    return led_unit_ids(officer)


def can_assign_for(officer, recruit) -> bool:
    units = assign_unit_ids(officer)
    return units is None or recruit.unit_id in units


def can_set_mentor_limits(officer) -> bool:
    """Each mentor's limit of recruits at once is the legal affairs reviewers' to set."""
    return is_legal_affairs_reviewer(officer)


def can_view_competencies(officer) -> bool:
    return can_open_mentoring(officer)


def can_edit_competencies(officer) -> bool:
    """The curriculum and its rating guidelines belong to the legal affairs reviewers."""
    return is_legal_affairs_reviewer(officer)


# --- one mentorship ------------------------------------------------------------


def can_extend(officer, mentorship) -> bool:
    return bool(capacities(officer, mentorship) & MANAGERS)


def can_end(officer, mentorship) -> bool:
    return bool(capacities(officer, mentorship) & MANAGERS)


def can_log(officer, mentorship) -> bool:
    """Log shifts (and keep drafts): the mentor only."""
    return Capacity.MENTOR in capacities(officer, mentorship)


def can_sign_off(officer, mentorship) -> bool:
    """Sign off or withdraw a competency, propose the final sign-off: the mentor only."""
    return Capacity.MENTOR in capacities(officer, mentorship)


def can_propose_final(officer, mentorship) -> bool:
    return Capacity.MENTOR in capacities(officer, mentorship)


def can_approve_final(officer, mentorship) -> bool:
    """Approve or return the final sign-off (出师)."""
    return Capacity.REVIEWER in capacities(officer, mentorship)


def can_promote(officer, mentorship) -> bool:
    """Move the recruit to the officer tier after the approved sign-off."""
    return Capacity.REVIEWER in capacities(officer, mentorship)


def can_read_evaluation(officer, mentorship) -> bool:
    """The recruit's confidential evaluation of the mentor."""
    return Capacity.REVIEWER in capacities(officer, mentorship)


def can_submit_evaluation(officer, mentorship) -> bool:
    return Capacity.RECRUIT in capacities(officer, mentorship)


# --- one shift log -------------------------------------------------------------


def can_view_log(officer, log) -> bool:
    return can_view_mentorship(officer, log.mentorship)


def can_edit_log(officer, log) -> bool:
    """Correct a log (while not yet acknowledged): its mentorship's mentor."""
    return log.mentorship.mentor_id == officer.pk


def can_acknowledge(officer, log) -> bool:
    return log.mentorship.recruit_id == officer.pk


def can_add_addendum(officer, log) -> bool:
    return officer.pk in (log.mentorship.mentor_id, log.mentorship.recruit_id)


def can_object(officer, log) -> bool:
    """Object to a log (提出异议): the recruit it is about."""
    return log.mentorship.recruit_id == officer.pk


def can_answer_objection(officer, log) -> bool:
    """Answer an objection: the mentorship's mentor."""
    return log.mentorship.mentor_id == officer.pk


@dataclass(frozen=True)
class MentorshipPowers:
    """What one officer may do on one mentorship's page, for the template."""

    log: bool
    sign_off: bool
    propose_final: bool
    approve_final: bool
    promote: bool
    extend: bool
    end: bool
    read_evaluation: bool
    submit_evaluation: bool


def mentorship_powers(officer, mentorship) -> MentorshipPowers:
    return MentorshipPowers(
        log=can_log(officer, mentorship),
        sign_off=can_sign_off(officer, mentorship),
        propose_final=can_propose_final(officer, mentorship),
        approve_final=can_approve_final(officer, mentorship),
        promote=can_promote(officer, mentorship),
        extend=can_extend(officer, mentorship),
        end=can_end(officer, mentorship),
        read_evaluation=can_read_evaluation(officer, mentorship),
        submit_evaluation=can_submit_evaluation(officer, mentorship),
    )


@dataclass(frozen=True)
class LogPowers:
    edit: bool
    acknowledge: bool
    add_addendum: bool
    object: bool
    answer_objection: bool


def log_powers(officer, log) -> LogPowers:
    return LogPowers(
        edit=can_edit_log(officer, log),
        acknowledge=can_acknowledge(officer, log),
        add_addendum=can_add_addendum(officer, log),
        object=can_object(officer, log),
        answer_objection=can_answer_objection(officer, log),
    )
