"""Ranking pages: thin views over selectors (reads), permissions and services (writes)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from officers.models import Officer
from officers.private_files import private_file_response

from . import permissions, selectors, services
from .charts import trend_chart
from .forms import ManualDecisionForm, ManualEntryForm, PublishForm
from .models import ManualEntry, ManualStatus, Ranking, Track, track_of_tier
from .periods import PeriodKind

ROWS_PER_PAGE = 50


def _track(track: str) -> str:
    if track not in Track.values:
        raise Http404
    return track


def _period(track: str, code: str):
    try:
        return selectors.period_for(track=track, code=code)
    except ValidationError:
        raise Http404 from None


def _publication(track: str, period_code: str):
    """The newest published version of the ranking, or None (also when publishing is not installed)."""
    ranking = Ranking.objects.filter(track=track, period=period_code).first()
    if ranking is None:
        return None
    try:
        from publications.selectors import publication_current
    except ImportError:
        return None
    return publication_current(subject=ranking, kind="ranking")


def publication_url(publication) -> str | None:
    if publication is None:
        return None
    try:
        return reverse("publications:detail", args=[publication.pk])
    except Exception:  # noqa: BLE001 — the publications pages may not be installed yet
        return None


def index(request):
    """The periods of each track the officer may look at, with their own position."""
    officer = request.user
    kind = request.GET.get("kind", PeriodKind.QUARTER)
    if kind not in (PeriodKind.MONTH, PeriodKind.QUARTER, PeriodKind.YEAR):
        kind = PeriodKind.QUARTER
    own_track = track_of_tier(officer.tier)
    tracks = list(Track.values) if permissions.can_view_all(officer) or permissions.led_units(officer) else [own_track]
    published = _published_index()
    sections = []
    for track in tracks:
        periods = selectors.recent_periods(track=track, kind=kind, count={"month": 12, "quarter": 6, "year": 3}[kind])
        sections.append({
            "track": track, "label": Track(track).label,
            "periods": [{"period": p, "publication": published.get((track, p.code))} for p in periods],
        })
    return render(request, "ranking/index.html", {
        "sections": sections, "kind": kind, "kinds": PeriodKind.CHOICES, "own_track": own_track,
        "can_enter_manual": permissions.can_enter_manual(officer),
    })


def _published_index() -> dict:
    """(track, period) -> newest publication of every published ranking, in two queries."""
    try:
        from publications.selectors import publications_current
    except ImportError:
        return {}
    current = {p.subject_id: p for p in publications_current(kind="ranking")}
    found = {}
    for ranking in Ranking.objects.filter(pk__in=list(current)):
        publication = current[ranking.pk]
        found[(ranking.track, ranking.period)] = {"publication": publication, "url": publication_url(publication)}
    return found


def ranking_page(request, track: str, period: str):
    """The live standings of a period: all rows for the legal affairs unit, a unit head's
    units, or the officer's own row; paginated, 50 rows a page."""
    officer = request.user
    track = _track(track)
    period_obj = _period(track, period)
    table = selectors.standings_cached(track=track, period=period_obj)
    rows = selectors.visible_rows(standings=table, viewer=officer)
    if not rows and not permissions.can_view_all(officer) and track != track_of_tier(officer.tier):
        raise Http404
    page = Paginator(rows, ROWS_PER_PAGE).get_page(request.GET.get("page"))
    publication = _publication(track, period_obj.code)
    return render(request, "ranking/ranking.html", {
        "table": table, "period": period_obj, "track": track, "page": page, "rows": page.object_list,
        "mine": table.row_of(officer.pk), "units": selectors.visible_units(standings=table, viewer=officer),
        "sees_all": permissions.can_view_all(officer), "can_publish": permissions.can_publish_ranking(officer),
        "publication": publication, "publication_url": publication_url(publication), "publish_form": PublishForm(),
        "total": len(table.rows),
    })


def breakdown(request, track: str, period: str, officer_id: int):
    """Every entry of one officer in the period, with its rule and its source fact."""
    track = _track(track)
    period_obj = _period(track, period)
    subject = get_object_or_404(Officer.objects.select_related("unit"), pk=officer_id)
    if not permissions.can_view_breakdown(request.user, subject):
        raise Http404
    data = selectors.officer_breakdown(officer=subject, track=track, period=period_obj, viewer=request.user)
    if subject.pk != request.user.pk:
        from officers.services import audit_record

        audit_record(actor=request.user, action="ranking.breakdown.view", target=subject, detail=f"{track} {period_obj.code}")
    publication = _publication(track, period_obj.code)
    return render(request, "ranking/breakdown.html", {
        "data": data, "subject": subject, "period": period_obj, "track": track,
        "publication": publication, "publication_url": publication_url(publication),
        "is_self": subject.pk == request.user.pk,
    })


def trend(request, officer_id: int | None = None):
    """An officer's rank and points across periods, as a chart drawn on the server."""
    subject = request.user if officer_id is None else get_object_or_404(Officer.objects.select_related("unit"), pk=officer_id)
    if not permissions.can_view_breakdown(request.user, subject):
        raise Http404
    kind = request.GET.get("kind", PeriodKind.QUARTER)
    if kind not in (PeriodKind.MONTH, PeriodKind.QUARTER):
        kind = PeriodKind.QUARTER
    track = track_of_tier(subject.tier)
    points = selectors.officer_trend(officer=subject, track=track, kind=kind, count=8 if kind == PeriodKind.QUARTER else 12)
    return render(request, "ranking/trend.html", {
        "subject": subject, "track": track, "points": points, "chart": trend_chart(points), "kind": kind,
    })


@require_POST
def publish(request, track: str, period: str):
    """Publish the ranking (or issue its next version) through the publications app."""
    if not permissions.can_publish_ranking(request.user):
        raise PermissionDenied
    track = _track(track)
    period_obj = _period(track, period)
    form = PublishForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else request.POST.get("note", "")[:500]
    warnings = selectors.publish_warnings(track=track, period=period_obj)
    if warnings and request.POST.get("confirmed") != "1":
        publication = _publication(track, period_obj.code)
        back = reverse("ranking:ranking", args=[track, period_obj.code])
        return render(request, "publications/publish_confirm.html", {
            "title": f"{period_obj.label} · {Track(track).label}", "warnings": warnings, "current": publication,
            "note": note, "action": reverse("ranking:publish", args=[track, period_obj.code]), "cancel_url": back,
        })
    try:
        ranking = services.ranking_get_or_create(track=track, period_code=period_obj.code)
        publication = services.ranking_publish(ranking=ranking, by=request.user, note=note)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("ranking:ranking", track=track, period=period_obj.code)
    messages.success(request, _("The ranking is published."))
    return redirect(publication_url(publication) or reverse("ranking:ranking", args=[track, period_obj.code]))


# --- manual entries ---------------------------------------------------------------


def _rule_choices():
    choices = []
    for track in Track.values:
        for rule in services.manual_rules(track=track):
            if rule.code not in [c for c, _l in choices]:
                choices.append((rule.code, rule.name))
    return choices


def manual_list(request):
    if not permissions.can_enter_manual(request.user):
        raise PermissionDenied
    status = request.GET.get("status", ManualStatus.PENDING)
    entries = ManualEntry.objects.select_related("officer__unit", "entered_by", "decided_by").order_by("-entered_at")
    if status in ManualStatus.values:
        entries = entries.filter(status=status)
    page = Paginator(entries, ROWS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "ranking/manual_list.html", {
        "page": page, "status": status, "statuses": ManualStatus.choices,
    })


@require_http_methods(["GET", "POST"])
def manual_new(request):
    if not permissions.can_enter_manual(request.user):
        raise PermissionDenied
    choices = _rule_choices()
    form = ManualEntryForm(request.POST or None, request.FILES or None, rule_choices=choices)
    if request.method == "POST" and form.is_valid():
        try:
            entry = services.manual_entry_create(
                officer=form.officer, rule_code=form.cleaned_data["rule_code"], points=form.cleaned_data["points"],
                occurred_on=form.cleaned_data["occurred_on"], reason=form.cleaned_data["reason"],
                evidence=form.cleaned_data["evidence"], by=request.user,
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Entered. Another reviewer of the legal affairs unit must approve it before it counts."))
            return redirect("ranking:manual_detail", pk=entry.pk)
    return render(request, "ranking/manual_form.html", {"form": form, "has_rules": bool(choices)})


def _apply_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            for e in errors:
                form.add_error(name if name in form.fields else None, e)
    else:
        for message in error.messages:
            form.add_error(None, message)


@require_http_methods(["GET", "POST"])
def manual_detail(request, pk: int):
    entry = get_object_or_404(ManualEntry.objects.select_related("officer__unit", "entered_by", "decided_by"), pk=pk)
    if not permissions.can_view_manual(request.user, entry):
        raise Http404
    form = ManualDecisionForm(request.POST or None)
    if request.method == "POST":
        if not permissions.can_enter_manual(request.user):
            raise PermissionDenied
        approve = request.POST.get("decision") == "approve"
        if form.is_valid():
            try:
                services.manual_entry_decide(entry=entry, by=request.user, approve=approve, note=form.cleaned_data["note"])
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(request, _("Approved: the points are posted.") if approve else _("Rejected."))
                return redirect("ranking:manual_detail", pk=entry.pk)
    return render(request, "ranking/manual_detail.html", {
        "entry": entry, "form": form, "can_decide": entry.status == ManualStatus.PENDING and permissions.can_decide_manual(request.user, entry),
        "entered_it": entry.entered_by_id == request.user.pk,
    })


def manual_evidence(request, pk: int):
    entry = get_object_or_404(ManualEntry, pk=pk)
    if not permissions.can_view_manual(request.user, entry):
        raise Http404
    from officers.services import audit_record

    audit_record(actor=request.user, action="ranking.evidence.view", target=entry)
    return private_file_response(request, name=entry.evidence.name, filename=entry.evidence_name or "evidence")
