from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.contrib.auth.views import LoginView
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from .forms import OfficerImportForm, PoliceNumberLoginForm
from .services import officer_import_template, officers_import
from .sheets import ImportRejected

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class OfficerLoginView(LoginView):
    form_class = PoliceNumberLoginForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True


@require_GET
def home(request):
    """The signed-in officer's start page: who they are and what they can do here."""
    return render(request, "officers/home.html", {"officer": request.user})


@permission_required("officers.add_officer", raise_exception=True)
def officer_import(request):
    """Import officers from a sheet (Wagtail admin): all rows or none."""
    form = OfficerImportForm(request.POST or None, request.FILES or None)
    errors, result = [], None
    if request.method == "POST" and form.is_valid():
        sheet = form.cleaned_data["sheet"]
        try:
            result = officers_import(data=sheet.read(), filename=sheet.name)
        except ImportRejected as rejected:
            errors = rejected.errors
            messages.error(
                request,
                _("Nothing was imported: the sheet has %(count)s error(s).") % {"count": len(errors)},
            )
        else:
            messages.success(
                request,
                _("Imported %(total)s officers: %(created)s new, %(updated)s updated.")
                % {"total": result.total, "created": result.created, "updated": result.updated},
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
