from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from assessments.forms import moment_in_range
from officers.roles import Role
from officers.selectors import officers_in_roles

# Check-in asks for exactly six digits, so the admin may not set anything else.
session_code_validator = RegexValidator(r"^[0-9]{6}$", _("The session code is six digits."))


class SessionCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Session code"),
        validators=[session_code_validator],
        help_text=_("The six digits the trainer shows during the session."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "pattern": "[0-9]{6}", "maxlength": 6}),
    )


class TrainingSessionAdminForm(WagtailAdminModelForm):
    """The session form in the Wagtail admin: trainers only, units as checkboxes."""

    class Meta:
        widgets = {"invited_units": forms.CheckboxSelectMultiple}

    def clean_starts_at(self):
        return moment_in_range(self.cleaned_data.get("starts_at"))

    def clean_ends_at(self):
        return moment_in_range(self.cleaned_data.get("ends_at"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "trainer" in self.fields:
            self.fields["trainer"].queryset = officers_in_roles(roles=[Role.TRAINER]).order_by("police_number")
