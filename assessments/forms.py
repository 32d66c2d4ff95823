from django import forms
from django.utils.translation import gettext_lazy as _


class EssayMarkForm(forms.Form):
    score = forms.DecimalField(label=_("Mark"), min_value=0, max_digits=6, decimal_places=2)
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class KeyCorrectionForm(forms.Form):
    answer = forms.CharField(label=_("Correct answer"), max_length=20, help_text=_("Letters such as “B” or “ACD”; “T” or “F” for true/false."))
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)


class BankImportForm(forms.Form):
    sheet = forms.FileField(label=_("Question sheet (.xlsx)"))
