"""Powers that span the platform, decided by role (and unit scope), never by unit kind.

Each app keeps its own powers in `<app>/permissions.py`; they build on these.
"""

from .roles import Role


def is_administrator(officer) -> bool:
    return bool(
        officer.is_authenticated
        and (officer.is_superuser or officer.has_role(Role.ADMINISTRATOR))
    )


def is_legal_affairs_reviewer(officer) -> bool:
    """法制审核员: grades case reviews, approves sign-offs, decides objections, publishes.

    Given by the role `legal_reviewer` (or to administrators); belonging to the
    legal affairs unit alone gives nothing.
    """
    return is_administrator(officer) or bool(
        officer.is_authenticated and officer.has_role(Role.LEGAL_REVIEWER)
    )


def can_read_audit_trail(officer) -> bool:
    """Who viewed or exported what: legal affairs reviewers and administrators."""
    return is_legal_affairs_reviewer(officer)
