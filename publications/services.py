"""Writes of the publications app: publishing versions, objections and their decisions.

Nothing published ever changes: a correction is a new version, which marks the
previous one superseded and records, officer by officer, what changed.
"""

import datetime as dt
import io
import json
import logging

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from . import notify
from .models import BulletinStatus, Objection, ObjectionStatus, Publication
from .registry import Snapshot, get_kind, kind_objection_days

logger = logging.getLogger(__name__)

REASON_MAX_LENGTH = 2000


class PublicationError(ValidationError):
    """A publication or objection refused, with the reason in Chinese for the page."""


# --- the objection window (公示期) -------------------------------------------------


def _dates(name: str) -> set[dt.date]:
    return {d if isinstance(d, dt.date) else dt.date.fromisoformat(str(d)) for d in getattr(settings, name, [])}


def is_working_day(day: dt.date) -> bool:
    """Monday to Friday except PUBLICATION_HOLIDAYS; PUBLICATION_WORKDAYS are weekend days worked (调休)."""
    if day in _dates("PUBLICATION_WORKDAYS"):
        return True
    return day.weekday() < 5 and day not in _dates("PUBLICATION_HOLIDAYS")


def working_days_after(start: dt.date, days: int) -> dt.date:
    """The `days`-th working day after `start` (start itself not counted)."""
    day, counted = start, 0
    while counted < days:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            counted += 1
    return day


def objection_window_close(published_at: dt.datetime, days: int | None = None) -> dt.datetime:
    """When the window closes: the end (midnight) of the n-th working day after publishing."""
    days = settings.PUBLICATION_OBJECTION_WORKING_DAYS if days is None else days
    last_day = working_days_after(timezone.localdate(published_at), days)
    return timezone.make_aware(dt.datetime.combine(last_day + dt.timedelta(days=1), dt.time.min))


# --- publishing ------------------------------------------------------------------------


def _frozen(value):
    """The value as it will read back from a JSONField (Decimals, dates and lazy text as strings)."""
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False))


def _columns(columns) -> list[dict]:
    return [{"key": c.key, "label": str(c.label), "numeric": c.numeric} for c in columns]


def publication_differences(*, previous: Publication | None, rows: list[dict], columns: list[dict]) -> list[dict]:
    """Per officer, what differs between the previous version's rows and these rows.

    Compares the rank and every published column; officers added or removed are listed too.
    """
    if previous is None:
        return []
    compared = [{"key": "rank", "label": _("Rank")}] + [c for c in columns if c["key"] != "rank"]
    before = {row.get("officer_id"): row for row in previous.rows}
    after = {row.get("officer_id"): row for row in rows}
    changes = []
    for officer_id, row in after.items():
        old = before.get(officer_id)
        if old is None:
            changes.append({"officer_id": officer_id, "name": row.get("name", ""), "change": "added", "fields": []})
            continue
        fields = [
            {"key": c["key"], "label": c["label"], "old": old.get(c["key"]), "new": row.get(c["key"])}
            for c in compared if old.get(c["key"]) != row.get(c["key"])
        ]
        if fields:
            changes.append({"officer_id": officer_id, "name": row.get("name", ""), "change": "changed", "fields": fields})
    for officer_id, row in before.items():
        if officer_id not in after:
            changes.append({"officer_id": officer_id, "name": row.get("name", ""), "change": "removed", "fields": []})
    return changes


def _next_number(year: int) -> int:
    return (Publication.objects.filter(number_year=year).aggregate(n=Max("number"))["n"] or 0) + 1


def document_number_format(*, year: int, number: int) -> str:
    """E.g. 永公法〔2026〕12号."""
    return f"{settings.PUBLICATION_DOCUMENT_PREFIX}〔{year}〕{number}号"


def _snapshot_check(snapshot: Snapshot) -> None:
    for row in snapshot.rows:
        if not isinstance(row.get("officer_id"), int) or "rank" not in row:
            raise ValueError("every row of a snapshot needs an int officer_id and a rank")


def publication_publish(
    *, subject, kind: str, by, note: str = "", objection_days: int | None = None,
) -> Publication:
    """Freeze the subject's current snapshot as its next version (挂网公示).

    The previous version is marked superseded, with the differences per officer
    recorded on the new one; accepted objections waiting for a correction are
    linked to it; the objection window opens; the bulletin PDF is rendered by
    the task worker once the transaction commits. An unchanged snapshot is refused.
    `objection_days`: the window in working days; by default the kind's own
    (PublicationKind.objection_days, e.g. a ranking's rule book), else
    settings.PUBLICATION_OBJECTION_WORKING_DAYS.
    """
    publication_kind = get_kind(kind)
    if objection_days is None:
        objection_days = kind_objection_days(publication_kind, subject)
    if by is not None and not publication_kind.can_publish(by):
        raise PermissionDenied
    subject_type = ContentType.objects.get_for_model(subject)
    with transaction.atomic():
        versions = Publication.objects.filter(kind=kind, subject_type=subject_type, subject_id=subject.pk)
        # Locks the current version, so two publishers of one subject take turns.
        previous = versions.select_for_update().filter(superseded_at__isnull=True).first()
        with translation.override(settings.LANGUAGE_CODE):
            snapshot = publication_kind.snapshot(subject)
            _snapshot_check(snapshot)
            columns = _columns(publication_kind.columns)
            unit_columns = _columns(publication_kind.unit_columns)
            title = str(snapshot.title)
            rows, unit_rows, meta = _frozen(snapshot.rows), _frozen(snapshot.unit_rows), _frozen(snapshot.meta)
            if previous is not None and (previous.rows, previous.unit_rows, previous.meta, previous.title) == (
                rows, unit_rows, meta, title
            ):
                raise PublicationError(
                    _("Nothing has changed since version %(version)s: correct the facts first, then issue a new version.")
                    % {"version": previous.version}
                )
            changes = publication_differences(previous=previous, rows=rows, columns=columns)
        now = timezone.now()
        publication = Publication(
            kind=kind, subject_type=subject_type, subject_id=subject.pk,
            version=(previous.version + 1) if previous else 1,
            title=title[:300], columns=columns, unit_columns=unit_columns, rows=rows, unit_rows=unit_rows,
            meta=meta, note=note.strip(), published_by=by if getattr(by, "pk", None) else None,
            published_at=now, objections_close_at=objection_window_close(now, objection_days),
            number_year=timezone.localdate(now).year, changes=changes,
        )
        _insert_numbered(publication)
        if previous is not None:
            previous.superseded_by, previous.superseded_at = publication, now
            previous.save(update_fields=["superseded_by", "superseded_at"])
            # Only an objection whose officer's entry this version changes is "corrected in" it;
            # one whose facts were not corrected yet keeps waiting, rather than read as corrected.
            Objection.objects.filter(
                publication__in=versions.exclude(pk=publication.pk), status=ObjectionStatus.ACCEPTED,
                resolved_in__isnull=True, officer_id__in=[
                    c["officer_id"] for c in changes
                    if c["change"] != "changed" or any(f["key"] != "rank" for f in c["fields"])],
            ).update(resolved_in=publication)
        _audit(by, "publication.publish", publication, _("version %(version)s, %(rows)s rows") % {
            "version": publication.version, "rows": len(rows)})
        notify.results_published(publication=publication, by=by)
        transaction.on_commit(lambda: bulletin_enqueue(publication=publication), robust=True)
    return publication


def _insert_numbered(publication: Publication) -> None:
    """Insert with the next document number of the year; a clash with a concurrent publisher retries."""
    for _attempt in range(5):
        publication.number = _next_number(publication.number_year)
        publication.document_number = document_number_format(year=publication.number_year, number=publication.number)
        try:
            with transaction.atomic():
                publication.full_clean(exclude=["bulletin"], validate_unique=False, validate_constraints=False)
                publication.save(force_insert=True)
            return
        except IntegrityError as error:
            if Publication.objects.filter(
                kind=publication.kind, subject_type=publication.subject_type,
                subject_id=publication.subject_id, version=publication.version,
            ).exists():
                raise PublicationError(
                    _("Someone else has just published this. Reload the page to see the new version.")
                ) from error
            publication.pk = None
    raise PublicationError(_("The document number could not be assigned; please try again."))


# A render still pending this long after it was handed over is handed over again.
BULLETIN_STALE_AFTER = dt.timedelta(minutes=10)


def bulletin_enqueue(*, publication: Publication) -> None:
    """Hand the bulletin render to the task worker."""
    from .tasks import bulletin_render

    Publication.objects.filter(pk=publication.pk).update(bulletin_requested_at=timezone.now())
    bulletin_render.enqueue(publication_id=publication.pk)


def bulletin_ensure_requested(*, publication: Publication, now: dt.datetime | None = None) -> bool:
    """Hand over a pending render that was never handed over (a migrated version) or was lost."""
    now = now or timezone.now()
    if publication.bulletin_status != BulletinStatus.PENDING:
        return False
    if publication.bulletin_requested_at and now - publication.bulletin_requested_at < BULLETIN_STALE_AFTER:
        return False
    transaction.on_commit(lambda: bulletin_enqueue(publication=publication), robust=True)
    return True


def bulletin_retry(*, publication: Publication, by) -> None:
    """Render a failed bulletin again (reviewers only)."""
    if not get_kind(publication.kind).can_publish(by):
        raise PermissionDenied
    Publication.objects.filter(pk=publication.pk).update(bulletin_status=BulletinStatus.PENDING, bulletin_error="")
    transaction.on_commit(lambda: bulletin_enqueue(publication=publication), robust=True)


# WeasyPrint's memory grows with the laid-out document: a long table is laid out this many
# rows at a time and the parts joined, so the worker stays small whatever the table's length.
BULLETIN_CHUNK_ROWS = 200
BULLETIN_TEMPLATE = "publications/pdf/bulletin.html"


def bulletin_render_pdf(*, publication: Publication) -> bytes:
    """The bulletin (通报) of one version, as PDF bytes.

    A short table is one document. A long one is laid out in parts: each part's
    last page is dropped and its rows carried into the next part (so no page is
    left half empty), the parts are joined, and the page numbers ("3 / 78") are
    stamped afterwards, since no part knows the total.
    """
    from pypdf import PdfReader, PdfWriter
    from weasyprint import HTML

    from .selectors import bulletin_context

    with translation.override(settings.LANGUAGE_CODE):
        context = {"bureau_name": settings.BUREAU_NAME, **bulletin_context(publication=publication)}
        cells = context["cells"]
        if len(cells) <= BULLETIN_CHUNK_ROWS:
            html = render_to_string(BULLETIN_TEMPLATE, {**context, "first": True, "last": True, "numbered": True})
            return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
        writer, start = PdfWriter(), 0
        while start < len(cells):
            part = cells[start:start + BULLETIN_CHUNK_ROWS]
            last = start + len(part) >= len(cells)
            html = render_to_string(BULLETIN_TEMPLATE, {
                **context, "cells": part, "row_offset": start, "first": start == 0, "last": last, "numbered": False,
            })
            document = HTML(string=html, base_url=str(settings.BASE_DIR)).render()
            pages = document.pages
            carried = 0
            if not last and len(pages) > 1:
                carried = sum(1 for anchor in pages[-1].anchors if anchor.startswith("row-"))
                pages = pages[:-1] if 0 < carried < len(part) else pages
                carried = carried if len(pages) < len(document.pages) else 0
            writer.append(PdfReader(io.BytesIO(document.copy(pages).write_pdf())))
            start += len(part) - carried
            del document, pages, html
        numbers = render_to_string("publications/pdf/page_numbers.html", {
            "pages": range(len(writer.pages)), "publication": publication,
        })
        overlay = PdfReader(io.BytesIO(HTML(string=numbers, base_url=str(settings.BASE_DIR)).write_pdf()))
        for page, numbered in zip(writer.pages, overlay.pages, strict=True):
            page.merge_page(numbered)
        output = io.BytesIO()
        writer.write(output)
        return output.getvalue()


def bulletin_store(*, publication_id: int) -> bool:
    """Render and keep the bulletin of a version in private storage (run by the task worker)."""
    publication = Publication.objects.select_related("published_by").filter(pk=publication_id).first()
    if publication is None:
        return False
    try:
        data = bulletin_render_pdf(publication=publication)
        name = publication.bulletin.field.storage.save(
            f"publications/bulletins/publication-{publication.pk}-v{publication.version}.pdf", ContentFile(data),
        )
    except Exception as error:  # noqa: BLE001 - any failure is shown to the reader as "failed"
        logger.exception("bulletin of publication %s failed", publication_id)
        Publication.objects.filter(pk=publication_id).update(
            bulletin_status=BulletinStatus.FAILED, bulletin_error=str(error)[:2000],
        )
        return False
    Publication.objects.filter(pk=publication_id).update(
        bulletin=name, bulletin_status=BulletinStatus.READY, bulletin_error="",
    )
    return True


def bulletin_downloaded(*, publication: Publication, by) -> None:
    """Record who took the bulletin (it names officers and their results)."""
    _audit(by, "publication.bulletin_download", publication, publication.document_number)


# --- objections (异议) -------------------------------------------------------------------


def objection_file(*, publication: Publication, officer, reason: str, now: dt.datetime | None = None) -> Objection:
    """An officer objects to their own entry of the current version, within the window."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    if not reason:
        raise PublicationError(_("Give the reason for your objection."))
    if len(reason) > REASON_MAX_LENGTH:
        raise PublicationError(_("The reason is too long (at most %(max)s characters).") % {"max": REASON_MAX_LENGTH})
    if publication.row_of(officer.pk) is None:
        raise PermissionDenied
    if not publication.is_current:
        raise PublicationError(_("This version has been superseded: object to the current version instead."))
    if not publication.objections_open(now):
        raise PublicationError(
            _("The objection period ended on %(day)s.") % {"day": publication.objections_last_day.strftime("%Y-%m-%d")}
        )
    objection = Objection(publication=publication, officer=officer, reason=reason, filed_at=now)
    try:
        with transaction.atomic():
            objection.save(force_insert=True)
    except IntegrityError as error:
        raise PublicationError(
            _("You already have an objection to this publication awaiting a decision.")
        ) from error
    return objection


def _decide(*, objection: Objection, by, response: str, status: str, action: str) -> Objection:
    if not get_kind(objection.publication.kind).can_publish(by):
        raise PermissionDenied
    response = (response or "").strip()
    if not response:
        raise PublicationError(_("Write the response the officer will read."))
    if len(response) > REASON_MAX_LENGTH:
        raise PublicationError(_("The response is too long (at most %(max)s characters).") % {"max": REASON_MAX_LENGTH})
    with transaction.atomic():
        locked = Objection.objects.select_for_update().get(pk=objection.pk)
        if locked.status != ObjectionStatus.OPEN:
            raise PublicationError(_("This objection has already been decided."))
        locked.status, locked.response, locked.decided_by, locked.decided_at = status, response, by, timezone.now()
        locked.save(update_fields=["status", "response", "decided_by", "decided_at"])
        _audit(by, action, locked.publication, response)
        notify.objection_answered(objection=locked, by=by)
    for attribute in ("status", "response", "decided_by", "decided_at"):
        setattr(objection, attribute, getattr(locked, attribute))
    return objection


def objection_accept(*, objection: Objection, by, response: str) -> Objection:
    """The legal affairs unit accepts: the facts are to be corrected, then a new version issued."""
    return _decide(objection=objection, by=by, response=response, status=ObjectionStatus.ACCEPTED,
                   action="publication.objection_accept")


def objection_reject(*, objection: Objection, by, response: str) -> Objection:
    """The legal affairs unit rejects the objection, giving its reason."""
    return _decide(objection=objection, by=by, response=response, status=ObjectionStatus.REJECTED,
                   action="publication.objection_reject")


def _audit(actor, action: str, target, detail: str = "") -> None:
    from officers.services import audit_record

    audit_record(actor=actor, action=action, target=target, detail=detail)
