from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .services import REASON_MAX_LENGTH


class ObjectionForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the objection"), max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Say what is wrong with your entry and what it should be; the legal affairs unit checks the facts."),
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), widget=forms.RadioSelect,
        choices=[("accept", _("Accept: the facts will be corrected and a new version issued")),
                 ("reject", pgettext_lazy("decision", "Reject"))],
    )
    response = forms.CharField(
        label=_("Response to the officer"), max_length=REASON_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required either way: the officer reads it on the publication page."),
    )
