from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_not_required, permission_required
from django.contrib.auth.views import LoginView, PasswordChangeView
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from .audit import action_label
from .forms import (
    AuditFilterForm,
    OfficerImportForm,
    OfficerPasswordChangeForm,
    PoliceNumberLoginForm,
)
from .permissions import can_read_audit_trail
from .selectors import audit_actions, audit_events
from .services import officer_import_template, officers_import
from .sheets import ROW_ERRORS_SHOWN, ImportRejected

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class OfficerLoginView(LoginView):
    form_class = PoliceNumberLoginForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    @method_decorator(login_not_required)  # overriding dispatch drops LoginView's own mark
    def dispatch(self, request, *args, **kwargs):
        # A signed-in officer sent here with a `next` was refused that page (the
        # Wagtail admin sends officers without admin access to the login URL).
        # Sending them back would loop for ever: say plainly that it is not theirs.
        if request.user.is_authenticated and self.redirect_field_name in request.GET:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class OfficerPasswordChangeView(PasswordChangeView):
    """An officer chooses their own password; required after an administrator set one."""

    form_class = OfficerPasswordChangeForm
    template_name = "registration/password_change_form.html"
    success_url = reverse_lazy("home")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}

    def form_invalid(self, form):
        if getattr(self.request, "axes_locked_out", False):
            # Too many wrong old passwords: the session ends; django-axes' middleware
            # answers with the lockout page.
            logout(self.request)
        return super().form_invalid(form)

    def form_valid(self, form):
        response = super().form_valid(form)  # saves through the service, keeps the session
        messages.success(self.request, _("Your password has been changed."))
        return response


@permission_required("officers.add_officer", raise_exception=True)
def officer_import(request):
    """Import officers from a sheet (Wagtail admin): all rows or none."""
    form = OfficerImportForm(request.POST or None, request.FILES or None)
    errors, result = [], None
    if request.method == "POST" and form.is_valid():
        sheet = form.cleaned_data["sheet"]
        try:
            result = officers_import(
                data=sheet.read(),
                filename=sheet.name,
                initial_password=form.cleaned_data["initial_password"] or None,
            )
        except ImportRejected as rejected:
            errors = rejected.errors[:ROW_ERRORS_SHOWN]
            messages.error(
                request,
                _("Nothing was imported: the sheet has %(count)s error(s).") % {"count": len(rejected.errors)},
            )
            if len(rejected.errors) > ROW_ERRORS_SHOWN:
                messages.warning(
                    request,
                    _("Only the first %(shown)s errors are listed: correct them and import again.")
                    % {"shown": ROW_ERRORS_SHOWN},
                )
        else:
            messages.success(
                request,
                _("Imported %(total)s officers: %(created)s new, %(updated)s updated.")
                % {"total": result.total, "created": result.created, "updated": result.updated},
            )
            if result.without_password:
                messages.warning(
                    request,
                    _("%(count)s new officers have no password yet and cannot log in until one is set.")
                    % {"count": result.without_password},
                )
            form = OfficerImportForm()
    status = 400 if errors else 200
    return render(
        request,
        "officers/admin/import.html",
        {"form": form, "errors": errors, "result": result},
        status=status,
    )


@permission_required("officers.add_officer", raise_exception=True)
def officer_import_template_download(request):
    response = HttpResponse(officer_import_template(), content_type=XLSX)
    response["Content-Disposition"] = "attachment; filename*=UTF-8''officers-template.xlsx"
    return response


AUDIT_PAGE_SIZE = 50


@require_GET
def audit_trail(request):
    """Who viewed or exported results, evaluations and case files, and who changed a published fact."""
    if not can_read_audit_trail(request.user):
        raise PermissionDenied
    actions = [(code, action_label(code)) for code in audit_actions()]
    form = AuditFilterForm(request.GET or None, actions=actions)
    filters = form.cleaned_data if form.is_valid() else {}
    events = audit_events(
        officer_query=(filters.get("officer") or "").strip(), action=filters.get("action") or "",
        since=filters.get("since"), until=filters.get("until"),
    )
    page = Paginator(events, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    for event in page:
        event.action_label = action_label(event.action)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request, "officers/audit.html",
        {"form": form, "page": page, "query": query.urlencode()},
        status=400 if form.errors else 200,
    )
