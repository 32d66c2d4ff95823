from django import forms
from django.utils.translation import gettext_lazy as _


class SessionCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Session code"),
        max_length=6,
        min_length=6,
        help_text=_("The six digits the trainer shows during the session."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "pattern": "[0-9]{6}"}),
    )
