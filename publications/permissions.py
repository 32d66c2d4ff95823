"""Who may do what with publications; every view and template asks here."""

from django.utils import timezone

from .registry import UnknownKind, get_kind, kinds


def can_view_publications(officer) -> bool:
    """Published snapshots and their history are open to every logged-in officer of the bureau."""
    return bool(officer.is_authenticated)


def can_publish_kind(officer, kind_code: str) -> bool:
    """The kind decides who publishes it (normally the legal affairs unit's reviewers)."""
    try:
        return bool(officer.is_authenticated and get_kind(kind_code).can_publish(officer))
    except UnknownKind:
        return False


def can_decide_objection(officer, publication) -> bool:
    """Those who may publish a kind decide the objections to it, and issue its new versions."""
    return can_publish_kind(officer, publication.kind)


def can_see_objection_queue(officer) -> bool:
    return bool(officer.is_authenticated and any(k.can_publish(officer) for k in kinds()))


def can_file_objection(officer, publication, now=None) -> bool:
    """An officer objects only to their own entry, in the current version, within the window."""
    return bool(
        officer.is_authenticated
        and publication.is_current
        and publication.objections_open(now or timezone.now())
        and publication.row_of(officer.pk) is not None
    )
