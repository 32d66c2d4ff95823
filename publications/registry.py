"""Kinds of publication (挂网公示): what each app publishes and who may publish it.

An app registers its kinds in its own `<app>/publications.py` (imported for every
app in settings.PROJECT_APPS when the publications app is ready), e.g.

    from publications.registry import Column, PublicationKind, Snapshot, register

    register(PublicationKind(code="quiz_results", label=_("Knowledge-test results"), ...))

A kind turns its subject (a Quiz, a ReviewRound, a Ranking) into a Snapshot built
from the current facts; publishing freezes that snapshot as a new version.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any

from django.conf import settings


@dataclass(frozen=True)
class Column:
    key: str  # key in each row dict
    label: str  # gettext_lazy label
    numeric: bool = False


@dataclass(frozen=True)
class Snapshot:
    title: str  # e.g. "2026年第三季度 中层干部执法质效积分排名"
    rows: list[dict]  # JSON-serialisable; every row has "officer_id" (int) and "rank" (int|None)
    meta: dict  # frozen settings / rule version etc., JSON-serialisable
    unit_rows: list[dict] = field(default_factory=list)  # optional per-unit table


@dataclass(frozen=True)
class PublicationKind:
    code: str  # "quiz_results", "case_review_results", "ranking"
    label: str  # gettext_lazy
    subject_model: str  # "assessments.Quiz", "assessments.ReviewRound", "ranking.Ranking"
    columns: list[Column]
    snapshot: Callable[[Any], Snapshot]  # built from the current facts of the subject
    can_publish: Callable[[Any], bool]  # officer -> may publish / decide objections for this kind
    unit_columns: list[Column] = field(default_factory=list)
    entry_url: Callable[[Any, dict], str | None] | None = None  # (subject, row) -> link to the row's source
    # (viewer, subject, rows) -> officer ids of the rows whose entry_url the viewer may open;
    # None: every row's link is open to every reader.
    entry_openable: Callable[[Any, Any, list[dict]], set[int]] | None = None
    # subject -> the objection window (公示期) in working days, when the kind's rules set their
    # own (e.g. a ranking's rule book); None: settings.PUBLICATION_OBJECTION_WORKING_DAYS.
    objection_days: Callable[[Any], int | None] | None = None
    # subject -> sentences to confirm before publishing (e.g. the period has not ended yet);
    # every publish page shows them and asks again.
    publish_warnings: Callable[[Any], list[str]] | None = None


_kinds: dict[str, PublicationKind] = {}


class UnknownKind(LookupError):
    pass


def register(kind: PublicationKind) -> None:
    """Register (or, on a module reload, replace) a kind of publication."""
    _kinds[kind.code] = kind


def get_kind(code: str) -> PublicationKind:
    try:
        return _kinds[code]
    except KeyError:
        raise UnknownKind(code) from None


def kind_objection_days(kind: PublicationKind, subject) -> int | None:
    """The kind's own objection window for this subject, or None for the platform's default."""
    return kind.objection_days(subject) if kind.objection_days is not None else None


def kind_publish_warnings(kind: PublicationKind, subject) -> list[str]:
    """What a publisher must confirm before publishing this subject (nothing when the kind has no hook)."""
    return [str(w) for w in kind.publish_warnings(subject)] if kind.publish_warnings is not None else []


def kinds() -> list[PublicationKind]:
    """Every registered kind, in registration order."""
    return list(_kinds.values())


def discover() -> None:
    """Import `<app>.publications` of every project app, so that each registers its kinds."""
    for app in settings.PROJECT_APPS:
        if app == "publications":
            continue
        try:
            import_module(f"{app}.publications")
        except ModuleNotFoundError as error:
            if error.name != f"{app}.publications":
                raise
