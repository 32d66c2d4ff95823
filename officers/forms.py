from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _
from wagtail.users.forms import UserCreationForm, UserEditForm

from .models import Officer
from .roles import Role

OFFICER_FIELDS = ["police_number", "name", "unit", "tier", "joined_force_on", "groups"]


class PoliceNumberLoginForm(AuthenticationForm):
    """Django's login form, worded for police numbers."""

    error_messages = {
        "invalid_login": _(
            "The police number or password is wrong, or the account is disabled."
        ),
        "inactive": _("This account is disabled."),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("Police number")
        self.fields["username"].widget.attrs.update(
            {"inputmode": "numeric", "autocomplete": "username", "placeholder": "000000"}
        )
        self.fields["password"].label = _("Password")


class RoleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, group):
        return Role(group.name).label if group.name in Role.values else group.name


class _OfficerFormMixin(forms.Form):
    # Wagtail's user forms ask for e-mail and a split name; officers have neither.
    email = None
    first_name = None
    last_name = None
    groups = RoleChoiceField(
        queryset=Group.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Roles and groups"),
    )


class OfficerCreationForm(_OfficerFormMixin, UserCreationForm):
    class Meta(UserCreationForm.Meta):
        model = Officer
        fields = [*OFFICER_FIELDS, "is_superuser"]
        widgets = {"joined_force_on": forms.DateInput(attrs={"type": "date"})}


class OfficerEditForm(_OfficerFormMixin, UserEditForm):
    class Meta(UserEditForm.Meta):
        model = Officer
        fields = [*OFFICER_FIELDS, "is_active", "is_superuser"]
        widgets = {"joined_force_on": forms.DateInput(attrs={"type": "date"})}


class OfficerImportForm(forms.Form):
    sheet = forms.FileField(
        label=_("Sheet (.xlsx or .csv)"),
        help_text=_("Use the template: one officer per row. The whole sheet is imported or nothing."),
    )

    def clean_sheet(self):
        sheet = self.cleaned_data["sheet"]
        if not sheet.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError(_("Only .xlsx and .csv sheets can be imported."))
        return sheet
