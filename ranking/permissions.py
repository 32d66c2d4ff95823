"""Who may do what with points and rankings: asked by every view and template.

- Everyone logged in sees their own breakdown and position, and every published
  ranking (through the publications app).
- A unit head (a mid-level officer) sees the officers of the units they lead.
- The legal affairs unit (role legal_reviewer, or administrators) sees everything,
  enters and approves manual entries (never the same person for one entry),
  edits rule books and publishes rankings.
"""

from officers.permissions import is_legal_affairs_reviewer
from officers.selectors import led_unit_ids


def can_view_all(officer) -> bool:
    return is_legal_affairs_reviewer(officer)


def led_units(officer) -> frozenset[int]:
    return led_unit_ids(officer) if officer.is_authenticated else frozenset()


def can_view_breakdown(officer, subject) -> bool:
    """`subject` is the officer whose points are asked for."""
    if not officer.is_authenticated:
        return False
    if officer.pk == subject.pk or can_view_all(officer):
        return True
    return subject.unit_id is not None and subject.unit_id in led_units(officer)


def can_view_unit_table(officer) -> bool:
    return can_view_all(officer) or bool(led_units(officer))


def can_publish_ranking(officer) -> bool:
    return is_legal_affairs_reviewer(officer)


def can_enter_manual(officer) -> bool:
    return is_legal_affairs_reviewer(officer)


def can_decide_manual(officer, entry=None) -> bool:
    """Two-person rule: the reviewer who entered an entry cannot decide it."""
    if not is_legal_affairs_reviewer(officer):
        return False
    return entry is None or entry.entered_by_id != officer.pk


def can_view_manual_of(officer, officer_id: int) -> bool:
    """Manual entries of an officer and their evidence: the legal affairs unit and the officer concerned."""
    return is_legal_affairs_reviewer(officer) or (officer.is_authenticated and officer_id == officer.pk)


def can_view_manual(officer, entry) -> bool:
    """The entry and its evidence: the legal affairs unit and the officer it concerns."""
    return can_view_manual_of(officer, entry.officer_id)
