"""Pages of the publications (挂网公示): thin, calling selectors, services and permissions."""

import time

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from officers.downloads import download_filename
from officers.private_files import no_store, private_file_response

from . import permissions, selectors, services
from .forms import DecisionForm, ObjectionForm
from .models import BulletinStatus, Objection, ObjectionStatus, Publication
from .registry import UnknownKind, get_kind, kind_publish_warnings, kinds

ROWS_PER_PAGE = 100


def _publication(publication_id) -> Publication:
    return get_object_or_404(Publication.objects.select_related("published_by", "superseded_by"), pk=publication_id)


@require_GET
def publication_list(request):
    """The current version of every publication, newest first; filter by kind."""
    kind = request.GET.get("kind", "")
    registered = kinds()
    if kind not in {k.code for k in registered}:
        kind = ""
    page = Paginator(selectors.publications_current(kind=kind or None), 30).get_page(request.GET.get("page"))
    return render(request, "publications/list.html", {
        "page": page, "kinds": registered, "kind": kind, "now": timezone.now(),
        "kind_labels": {k.code: k.label for k in registered},
        "can_decide": permissions.can_see_objection_queue(request.user),
    })


def _table(publication: Publication, page_rows: list[dict], viewer) -> list[dict]:
    """Rows of one page as cells, with the reader's own row marked and the kind's source links
    on the rows the reader may open (a link that would only answer 404 is not offered)."""
    entry_url = openable = None
    try:
        kind = get_kind(publication.kind)
        entry_url, openable = kind.entry_url, kind.entry_openable
    except UnknownKind:
        pass
    subject = publication.subject if entry_url else None
    allowed = openable(viewer, subject, page_rows) if openable and subject is not None else None
    return [{
        "cells": [(row.get(c["key"]), c.get("numeric", False)) for c in publication.columns],
        "mine": row.get("officer_id") == viewer.pk,
        "url": entry_url(subject, row) if entry_url and subject is not None
        and (allowed is None or row.get("officer_id") in allowed) else None,
    } for row in page_rows]


@require_GET
def publication_detail(request, publication_id):
    """One version: the frozen table with the reader's position, settings, history, objections."""
    publication = _publication(publication_id)
    officer = request.user
    rows = publication.rows
    my_index = next((i for i, row in enumerate(rows) if row.get("officer_id") == officer.pk), None)
    paginator = Paginator(rows, ROWS_PER_PAGE)
    page_number = request.GET.get("page")
    if "me" in request.GET and my_index is not None:
        page_number = my_index // ROWS_PER_PAGE + 1
    page = paginator.get_page(page_number)
    history = selectors.publication_history(publication=publication)
    table = _table(publication, list(page.object_list), officer)
    value_changes, rank_moves = selectors.changes_split(publication.changes)
    can_decide = permissions.can_decide_objection(officer, publication)
    subject_objections = selectors.objections_of_subject(publication=publication) if can_decide else []
    return render(request, "publications/detail.html", {
        "publication": publication,
        "kind_label": selectors.kind_label(publication.kind),
        "page": page,
        "table": table,
        "has_links": any(row["url"] for row in table),
        "unit_table": [[(row.get(c["key"]), c.get("numeric", False)) for c in publication.unit_columns]
                       for row in publication.unit_rows],
        "my_row": rows[my_index] if my_index is not None else None,
        "my_cells": [(c["label"], rows[my_index].get(c["key"])) for c in publication.columns] if my_index is not None else [],
        "my_page": my_index // ROWS_PER_PAGE + 1 if my_index is not None else None,
        "meta_items": selectors.publication_meta_items(publication=publication),
        "meta_notices": selectors.publication_meta_notices(publication=publication),
        "value_changes": value_changes,
        "rank_moves": rank_moves,
        "history": history,
        "current": next((p for p in history if p.is_current), None),
        "previous": next((p for p in history if p.version == publication.version - 1), None),
        "my_objections": list(selectors.objections_of_officer(officer=officer, publication=publication)),
        "can_object": permissions.can_file_objection(officer, publication),
        "objection_form": ObjectionForm(),
        "can_decide": can_decide,
        "open_objections": [o for o in subject_objections if o.status == ObjectionStatus.OPEN],
        "awaiting_version": [o for o in subject_objections
                             if o.status == ObjectionStatus.ACCEPTED and o.resolved_in_id is None],
        "now": timezone.now(),
    })


@require_http_methods(["GET", "POST"])
def objection_new(request, publication_id):
    """An officer objects to their own entry (within the objection window)."""
    publication = _publication(publication_id)
    if publication.row_of(request.user.pk) is None:
        raise PermissionDenied
    form = ObjectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.objection_file(publication=publication, officer=request.user, reason=form.cleaned_data["reason"])
        except services.PublicationError as error:
            form.add_error("reason", error)
        else:
            messages.success(request, _("Your objection has been filed; the legal affairs unit will answer it here."))
            return redirect("publications:detail", publication_id=publication.pk)
    return render(request, "publications/object.html", {
        "publication": publication, "form": form, "row": publication.row_of(request.user.pk),
        "columns": publication.columns, "can_object": permissions.can_file_objection(request.user, publication),
    })


@require_GET
def objection_queue(request):
    """Objections to decide (and decided ones), for those who publish their kinds."""
    if not permissions.can_see_objection_queue(request.user):
        raise PermissionDenied
    status = request.GET.get("status", ObjectionStatus.OPEN)
    if status not in ObjectionStatus.values:
        status = ObjectionStatus.OPEN
    queryset = selectors.objections_queue(officer=request.user, status=status)
    if status != ObjectionStatus.OPEN:
        queryset = queryset.order_by("-decided_at", "-id")
    page = Paginator(queryset, 50).get_page(request.GET.get("page"))
    return render(request, "publications/objections.html", {
        "page": page, "status": status, "statuses": ObjectionStatus.choices,
        "kind_labels": {k.code: k.label for k in kinds()},
    })


@require_http_methods(["GET", "POST"])
def objection_decide(request, objection_id):
    """Accept (the facts are corrected, then a new version) or reject, with a response."""
    objection = get_object_or_404(
        Objection.objects.select_related("publication", "officer__unit", "decided_by", "resolved_in"), pk=objection_id,
    )
    publication = objection.publication
    if not permissions.can_decide_objection(request.user, publication):
        raise PermissionDenied
    form = DecisionForm(request.POST or None)
    if request.method == "POST":
        if objection.status != ObjectionStatus.OPEN:
            messages.error(request, _("This objection has already been decided."))
            return redirect("publications:decide", objection_id=objection.pk)
        if form.is_valid():
            decide = services.objection_accept if form.cleaned_data["decision"] == "accept" else services.objection_reject
            try:
                decide(objection=objection, by=request.user, response=form.cleaned_data["response"])
            except services.PublicationError as error:
                form.add_error("response", error)
            else:
                if objection.status == ObjectionStatus.ACCEPTED:
                    messages.success(request, _(
                        "Objection accepted. Correct the facts at their source, then issue a new version of the publication."
                    ))
                else:
                    messages.success(request, _("Objection rejected; the officer sees your response."))
                return redirect("publications:decide", objection_id=objection.pk)
    row = publication.row_of(objection.officer_id)
    entry_url = None
    try:
        kind_entry_url = get_kind(publication.kind).entry_url
    except UnknownKind:
        kind_entry_url = None
    if kind_entry_url and row is not None and publication.subject is not None:
        entry_url = kind_entry_url(publication.subject, row)
    current = selectors.publication_history(publication=publication)[0]
    return render(request, "publications/decide.html", {
        "objection": objection, "publication": publication, "form": form, "row": row,
        "columns": publication.columns, "entry_url": entry_url, "current": current,
        "kind_label": selectors.kind_label(publication.kind),
    })


@require_POST
def republish(request, publication_id):
    """Issue a new version from the corrected facts; the page then lists the differences."""
    publication = _publication(publication_id)
    if not permissions.can_publish_kind(request.user, publication.kind):
        raise PermissionDenied
    if not publication.is_current:
        messages.error(request, _("A newer version has already been issued."))
        return redirect("publications:detail", publication_id=publication.superseded_by_id)
    subject = publication.subject
    if subject is None:
        raise Http404
    note = request.POST.get("note", "")[:2000]
    warnings = kind_publish_warnings(get_kind(publication.kind), subject)
    if warnings and request.POST.get("confirmed") != "1":
        return render(request, "publications/publish_confirm.html", {
            "title": publication.title, "warnings": warnings, "current": publication, "note": note,
            "action": reverse("publications:republish", args=[publication.pk]),
            "cancel_url": reverse("publications:detail", args=[publication.pk]),
        })
    try:
        new = services.publication_publish(subject=subject, kind=publication.kind, by=request.user, note=note)
    except services.PublicationError as error:
        messages.error(request, error.messages[0])
        return redirect("publications:detail", publication_id=publication.pk)
    messages.success(request, _("Version %(version)s issued; the differences from version %(previous)s are listed below.")
                     % {"version": new.version, "previous": publication.version})
    return redirect("publications:detail", publication_id=new.pk)


def _bulletin_filename(publication) -> str:
    """通报-<test or round>.pdf, as users save and forward it; a later version says which."""
    subject = publication.subject
    name = getattr(subject, "title", "") or getattr(subject, "name", "") or publication.title
    stem = f"通报-{name}" if publication.version == 1 else f"通报-{name}-第{publication.version}版"
    return download_filename(stem, "pdf")


@require_GET
def bulletin_download(request, publication_id):
    """The version's bulletin PDF; while the worker renders it, wait briefly, then say so."""
    publication = get_object_or_404(
        Publication.objects.only("id", "kind", "version", "title", "document_number", "subject_type", "subject_id",
                                 "bulletin", "bulletin_status",
                                 "bulletin_error", "bulletin_requested_at"), pk=publication_id,
    )
    services.bulletin_ensure_requested(publication=publication)
    deadline = time.monotonic() + settings.PUBLICATION_BULLETIN_WAIT_SECONDS
    while publication.bulletin_status == BulletinStatus.PENDING and time.monotonic() < deadline:
        time.sleep(0.5)
        publication.refresh_from_db(fields=["bulletin", "bulletin_status", "bulletin_error"])
    if publication.bulletin_status == BulletinStatus.READY:
        services.bulletin_downloaded(publication=publication, by=request.user)
        return private_file_response(
            request, name=publication.bulletin.name, filename=_bulletin_filename(publication),
            content_type="application/pdf",
        )
    response = render(request, "publications/bulletin_wait.html", {
        "publication": publication,
        "can_retry": publication.bulletin_status == BulletinStatus.FAILED
        and permissions.can_publish_kind(request.user, publication.kind),
    }, status=202 if publication.bulletin_status == BulletinStatus.PENDING else 503)
    return no_store(response)


@require_POST
def bulletin_retry_view(request, publication_id):
    publication = _publication(publication_id)
    if not permissions.can_publish_kind(request.user, publication.kind):
        raise PermissionDenied
    if publication.bulletin_status == BulletinStatus.FAILED:
        services.bulletin_retry(publication=publication, by=request.user)
        messages.success(request, _("The bulletin is being prepared again."))
    return redirect(reverse("publications:bulletin", args=[publication.pk]))
