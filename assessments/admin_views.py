"""Admin pages for importing and exporting the bank as a sheet."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from officers.downloads import attachment
from officers.sheets import ROW_ERRORS_SHOWN, ImportRejected

from .forms import BankImportForm
from .importers import bank_export, bank_import, bank_template

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@permission_required("assessments.add_question", raise_exception=True)
def bank_import_view(request):
    form = BankImportForm(request.POST or None, request.FILES or None)
    errors, result = [], None
    if request.method == "POST" and form.is_valid():
        sheet = form.cleaned_data["sheet"]
        try:
            result = bank_import(data=sheet.read(), filename=sheet.name)
        except ImportRejected as rejected:
            errors = rejected.errors[:ROW_ERRORS_SHOWN]
            messages.error(request, _("Nothing was imported: the sheet has %(count)s error(s).") % {"count": len(rejected.errors)})
            if len(rejected.errors) > ROW_ERRORS_SHOWN:
                messages.warning(request, _("Only the first %(shown)s errors are listed: correct them and import again.")
                                 % {"shown": ROW_ERRORS_SHOWN})
        else:
            messages.success(request, _(
                "Imported %(created)s new questions and updated %(updated)s (%(versions)s of them as a new version, "
                "as sittings had shown the old one); %(unchanged)s unchanged; %(duplicates)s already in the bank "
                "were left out."
            ) % {"created": result.created, "updated": len(result.updated), "versions": result.new_versions,
                 "unchanged": result.unchanged, "duplicates": len(result.duplicates)})
            form = BankImportForm()
    return render(request, "assessments/admin/import.html", {"form": form, "errors": errors, "result": result},
                  status=400 if errors else 200)


@permission_required("assessments.add_question", raise_exception=True)
def bank_template_view(request):
    return attachment(HttpResponse(bank_template(), content_type=XLSX), "题库导入模板.xlsx")


@permission_required("assessments.view_question", raise_exception=True)
def bank_export_view(request):
    return attachment(HttpResponse(bank_export(), content_type=XLSX), "题库.xlsx")


@permission_required("assessments.change_question", raise_exception=True)
def question_versions_view(request, question_id):
    """A question's versions, newest first: what changed from the one before, and which tests
    and how many sittings showed each (a key correction is offered for each version shown)."""
    from django.shortcuts import get_object_or_404

    from .bank_selectors import question_versions
    from .models import Question

    question = get_object_or_404(Question.objects.select_related("category"), pk=question_id)
    return render(request, "assessments/admin/question_versions.html", {
        "question": question, "versions": question_versions(question=question),
    })


@permission_required("assessments.change_quiz", raise_exception=True)
def pick_officers_view(request):
    """JSON for the officer picker: [{id, label}], at most 20."""
    from django.http import JsonResponse

    from .pickers import officers_matching

    return JsonResponse({"results": officers_matching(request.GET.get("q", ""))})


@permission_required("assessments.change_quiz", raise_exception=True)
def pick_units_view(request):
    """JSON for the unit picker: [{id, label}], at most 20."""
    from django.http import JsonResponse

    from .pickers import units_matching

    return JsonResponse({"results": units_matching(request.GET.get("q", ""))})
