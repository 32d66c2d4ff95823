"""Reads of the publications app."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from .models import Objection, ObjectionStatus, Publication
from .registry import UnknownKind, get_kind, kinds

# The frozen tables, left out where only a publication's title and dates are shown.
_HEAVY = [f"{relation}__{field}" for relation in ("publication", "resolved_in") for field in ("rows", "unit_rows", "changes")]


def _of_subject(*, subject, kind: str):
    return Publication.objects.filter(
        kind=kind, subject_type=ContentType.objects.get_for_model(subject), subject_id=subject.pk,
    )


def publication_current(*, subject, kind: str) -> Publication | None:
    """The newest version published for the subject, or None if it was never published."""
    return _of_subject(subject=subject, kind=kind).order_by("-version").first()


def publication_exists(*, subject, kind: str) -> bool:
    return _of_subject(subject=subject, kind=kind).exists()


def published_version_subquery(*, model, kind: str):
    """For annotating a queryset of subjects with their newest published version number (or None)."""
    from django.db.models import OuterRef, Subquery

    return Subquery(
        Publication.objects.filter(
            kind=kind, subject_type=ContentType.objects.get_for_model(model), subject_id=OuterRef("pk"),
        ).order_by("-version").values("version")[:1]
    )


def publication_versions(*, subject, kind: str) -> list[Publication]:
    """Every version published for the subject, newest first."""
    return list(_of_subject(subject=subject, kind=kind).select_related("published_by").order_by("-version"))


def publications_current(*, kind: str | None = None):
    """The current version of every published subject, newest first (for the list page)."""
    queryset = Publication.objects.filter(superseded_at__isnull=True).select_related("published_by")
    if kind:
        queryset = queryset.filter(kind=kind)
    registered = [k.code for k in kinds()]
    return queryset.filter(kind__in=registered).defer("rows", "unit_rows", "changes").order_by("-published_at", "-id")


def publication_history(*, publication: Publication) -> list[Publication]:
    """Every version of the same subject, newest first, without their tables."""
    return list(
        Publication.objects.filter(
            kind=publication.kind, subject_type_id=publication.subject_type_id, subject_id=publication.subject_id,
        ).select_related("published_by").defer("rows", "unit_rows").order_by("-version")
    )


def kind_label(code: str) -> str:
    try:
        return get_kind(code).label
    except UnknownKind:
        return code


def can_decide(*, officer, publication: Publication) -> bool:
    """Whether the officer may decide objections to (and republish) this publication."""
    try:
        return bool(officer.is_authenticated and get_kind(publication.kind).can_publish(officer))
    except UnknownKind:
        return False


def decidable_kinds(*, officer) -> list[str]:
    return [k.code for k in kinds() if officer.is_authenticated and k.can_publish(officer)]


def objections_queue(*, officer, status: str = ObjectionStatus.OPEN):
    """Objections the officer may decide, oldest first."""
    return (
        Objection.objects.filter(publication__kind__in=decidable_kinds(officer=officer), status=status)
        .select_related("officer__unit", "publication", "decided_by", "resolved_in")
        .defer(*_HEAVY)
        .order_by("filed_at", "id")
    )


def objections_of_officer(*, officer, publication: Publication | None = None):
    """The officer's own objections (with the decisions), newest first."""
    queryset = Objection.objects.filter(officer=officer).select_related("publication", "decided_by", "resolved_in")
    if publication is not None:
        queryset = queryset.filter(publication__kind=publication.kind, publication__subject_type_id=publication.subject_type_id,
                                   publication__subject_id=publication.subject_id)
    return queryset.defer(*_HEAVY).order_by("-filed_at")


def objections_of_subject(*, publication: Publication) -> list[Objection]:
    """Every objection to any version of the publication's subject, oldest first (for reviewers)."""
    return list(
        Objection.objects.filter(
            publication__kind=publication.kind, publication__subject_type_id=publication.subject_type_id,
            publication__subject_id=publication.subject_id,
        ).select_related("officer__unit", "publication", "decided_by", "resolved_in")
        .defer(*_HEAVY)
        .order_by("filed_at", "id")
    )


def publication_meta_items(*, publication: Publication) -> list[tuple[str, str]]:
    """The frozen settings as (label, value) pairs; kinds give meta as {"items": [[label, value], ...]} or a dict."""
    meta = publication.meta or {}
    items = meta.get("items") if isinstance(meta.get("items"), list) else None
    if items is not None:
        return [(str(label), str(value)) for label, value in items]
    return [(str(key), str(value)) for key, value in meta.items()]


def publication_meta_notices(*, publication: Publication) -> list[str]:
    """Sentences the kind froze to be read first (e.g. "published before the period ended")."""
    notices = (publication.meta or {}).get("notices")
    return [str(n) for n in notices] if isinstance(notices, list) else []


def changes_split(changes: list[dict]) -> tuple[list[dict], list[dict]]:
    """(entries whose values changed, were added or removed; entries whose rank alone moved as a result)."""
    moved = [c for c in changes if c["change"] == "changed" and all(f["key"] == "rank" for f in c["fields"])]
    return [c for c in changes if c not in moved], moved


def _column_widths(columns: list[dict]) -> list[str]:
    """Percent widths for the bulletin's fixed table layout: text columns get more room than numbers."""
    weights = [1.0 if c.get("numeric") else 2.4 for c in columns] or [1.0]
    total = sum(weights)
    return [f"{w * 100 / total:.2f}" for w in weights]


def bulletin_context(*, publication: Publication) -> dict:
    """What the bulletin template shows, all from the frozen version."""
    previous = getattr(publication, "supersedes", None) if publication.version > 1 else None
    return {
        "publication": publication,
        "kind_label": kind_label(publication.kind),
        "columns": publication.columns,
        "cells": [[(row.get(c["key"]), c.get("numeric", False)) for c in publication.columns] for row in publication.rows],
        "row_offset": 0,
        "column_widths": _column_widths(publication.columns),
        "unit_columns": publication.unit_columns,
        "unit_cells": [[(row.get(c["key"]), c.get("numeric", False)) for c in publication.unit_columns]
                       for row in publication.unit_rows],
        "meta_items": publication_meta_items(publication=publication),
        "meta_notices": publication_meta_notices(publication=publication),
        "previous": previous,
        "changes": changes_split(publication.changes)[0],
        "rank_moves": changes_split(publication.changes)[1],
        "issued_on": timezone.localdate(publication.published_at),
        "bureau_name": settings.BUREAU_NAME,
    }
