from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from officers.sheets import (
    SHEET_MAX_BYTES,
    SHEET_MAX_CELL_CHARS,
    SHEET_MAX_ROWS,
    sheet_upload_check,
)

# A test's or a round's window: within this many years of today. 0001-01-01 00:00 in
# Beijing time is before year 1 in UTC, which the database cannot hold (an error page).
MOMENT_RANGE_YEARS = 10


def moment_in_range(value):
    """The form's datetime (local time), or a Chinese ValidationError when it lies more than
    MOMENT_RANGE_YEARS from today."""
    if value is not None and abs(value.year - timezone.localdate().year) > MOMENT_RANGE_YEARS:
        raise forms.ValidationError(_("Choose a time within %(years)s years of today.") % {"years": MOMENT_RANGE_YEARS})
    return value


class EssayMarkForm(forms.Form):
    score = forms.DecimalField(label=_("Mark"), min_value=0, max_digits=6, decimal_places=2)
    comment = forms.CharField(label=pgettext_lazy("remarks", "Comment"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class KeyCorrectionForm(forms.Form):
    answer = forms.CharField(label=_("Correct answer"), max_length=20, help_text=_("Letters such as “B” or “ACD”; “T” or “F” for true/false."))
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)


class BankImportForm(forms.Form):
    sheet = forms.FileField(label=_("Question sheet (.xlsx)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sheet"].help_text = _(
            "At most %(rows)s questions and %(size)s MB per sheet; a cell holds at most %(chars)s characters."
        ) % {"rows": SHEET_MAX_ROWS, "size": SHEET_MAX_BYTES // (1024 * 1024), "chars": SHEET_MAX_CELL_CHARS}

    def clean_sheet(self):
        sheet = self.cleaned_data["sheet"]
        sheet_upload_check(sheet)
        return sheet
