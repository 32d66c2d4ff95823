"""Forms of the ranking pages; the rules themselves live in services.py."""

from django import forms
from django.utils.translation import gettext_lazy as _

from officers.models import Officer


class ManualEntryForm(forms.Form):
    police_number = forms.CharField(label=_("Police number of the officer"), max_length=6)
    rule_code = forms.ChoiceField(label=_("Rule"), choices=())
    points = forms.DecimalField(label=_("Points"), max_digits=8, decimal_places=2,
                                help_text=_("Negative for a deduction, e.g. -5."))
    occurred_on = forms.DateField(label=_("Date of the event"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000)
    evidence = forms.FileField(label=_("Evidence"), help_text=_("A PDF, picture or Word document, at most 20 MB."))

    def __init__(self, *args, rule_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rule_code"].choices = rule_choices

    def clean_police_number(self):
        number = self.cleaned_data["police_number"].strip()
        officer = Officer.objects.filter(police_number=number, is_active=True).first()
        if officer is None:
            raise forms.ValidationError(_("No active officer has this police number."))
        self.officer = officer
        return number


class ManualDecisionForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class PublishForm(forms.Form):
    note = forms.CharField(label=_("Note for this version"), required=False, max_length=500,
                           help_text=_("E.g. what an accepted objection corrected."))
