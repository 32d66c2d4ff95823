from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from officers.roles import Role
from officers.selectors import officers_in_roles


class SessionCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Session code"),
        max_length=6,
        min_length=6,
        help_text=_("The six digits the trainer shows during the session."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "pattern": "[0-9]{6}"}),
    )


class TrainingSessionAdminForm(WagtailAdminModelForm):
    """The session form in the Wagtail admin: trainers only, units as checkboxes."""

    class Meta:
        widgets = {"invited_units": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "trainer" in self.fields:
            self.fields["trainer"].queryset = officers_in_roles(roles=[Role.TRAINER]).order_by("police_number")
