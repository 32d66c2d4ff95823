from django import forms
from django.utils.translation import gettext_lazy as _

from .models import EmailMode, NoticeKind


class PreferenceForm(forms.Form):
    email_kinds = forms.MultipleChoiceField(
        label=_("Also send these notices to my e-mail"), choices=NoticeKind.choices,
        widget=forms.CheckboxSelectMultiple, required=False,
    )
    email_mode = forms.ChoiceField(label=_("When"), choices=EmailMode.choices, widget=forms.RadioSelect)
