"""Who may do what in case-review rotations: asked by every view and template.

Organising rounds, preparing case files and their keys, grading and publishing
belong to the legal affairs reviewers (role `legal_reviewer`, or administrators);
belonging to the legal affairs unit alone gives nothing. A reviewer reaches only
the files assigned to them, and the key only once their round has closed.
"""

from django.utils import timezone

from officers.permissions import is_legal_affairs_reviewer


def can_manage_rounds(officer, obj=None) -> bool:
    """Prepare case files and keys, edit the defect taxonomy, create, assign and release rounds."""
    return is_legal_affairs_reviewer(officer)


def can_grade_reviews(officer, obj=None) -> bool:
    """Confirm or change the proposed matches, accept findings into the key."""
    return is_legal_affairs_reviewer(officer)


def can_view_key(officer, obj=None) -> bool:
    """The key of any file, at any time (not the reviewers' view after close: see `can_view_round_key`)."""
    return is_legal_affairs_reviewer(officer)


def can_publish_results(officer, obj=None) -> bool:
    return is_legal_affairs_reviewer(officer)


def can_export_results(officer, obj=None) -> bool:
    return is_legal_affairs_reviewer(officer)


def can_review(officer, review) -> bool:
    """Record findings on this review: its own reviewer, while the round is open."""
    return (
        officer.is_authenticated and review.reviewer_id == officer.pk
        and review.round.is_open_at(timezone.now())
    )


def can_view_round_key(officer, review, now=None) -> bool:
    """The key of a reviewed file and the model review: its reviewer once the round has closed."""
    from .services import CLOSE_GRACE

    if can_view_key(officer):
        return True
    # Not before the last save the close still accepts (its grace): the key must never be
    # readable while findings can still be sent.
    now = now or timezone.now()
    return (
        officer.is_authenticated and review.reviewer_id == officer.pk
        and review.round.is_closed_at(now) and now > review.round.closes_at + CLOSE_GRACE
    )
