"""Who may do what with the knowledge tests (beyond managing them: `selectors.can_manage_tests`)."""

from officers.permissions import is_legal_affairs_reviewer


def can_resolve_marks(officer) -> bool:
    """A senior marker: settles two essay marks that differ beyond the test's tolerance.

    Legal affairs reviewers and administrators who also manage tests.
    """
    return bool(
        officer.is_authenticated
        and officer.has_perm("assessments.change_quiz")
        and is_legal_affairs_reviewer(officer)
    )
