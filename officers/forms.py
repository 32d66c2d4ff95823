from django import forms
from django.contrib.auth import authenticate, password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.users.forms import UserCreationForm, UserEditForm

from .models import Officer
from .roles import Role
from .services import officer_password_set
from .sheets import SHEET_MAX_BYTES, SHEET_MAX_ROWS, sheet_upload_check

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


class OfficerPasswordChangeForm(PasswordChangeForm):
    """Django's password change, refusing to keep the password an administrator gave.

    The old password is checked through authenticate(), so that a wrong one counts
    toward the log-in lockout like a wrong password at log-in: a stolen session
    cannot be used to guess the password.
    """

    def __init__(self, user, *args, request=None, **kwargs):
        self.request = request
        super().__init__(user, *args, **kwargs)

    def clean_old_password(self):
        old_password = self.cleaned_data["old_password"]
        checked = authenticate(self.request, username=self.user.get_username(), password=old_password)
        if checked is None or checked.pk != self.user.pk:
            raise forms.ValidationError(self.error_messages["password_incorrect"], code="password_incorrect")
        return old_password

    def clean(self):
        cleaned = super().clean()
        password = cleaned.get("new_password2")
        if password and "new_password2" not in self.errors and self.user.check_password(password):
            self.add_error(
                "new_password2",
                forms.ValidationError(
                    _("The new password must differ from the current one."), code="password_unchanged"
                ),
            )
        return cleaned

    def save(self, commit=True):
        officer_password_set(officer=self.user, password=self.cleaned_data["new_password1"])
        return self.user


# Groups that are not officer roles but appear beside them: Wagtail's own and the lecture hall's reviewers.
OTHER_GROUP_LABELS = {
    "Editors": _("Wagtail editors"),
    "Moderators": _("Wagtail moderators"),
    "lesson_reviewers": _("Lesson reviewers (legal affairs unit)"),
}


class RoleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, group):
        if group.name in Role.values:
            return Role(group.name).label
        return OTHER_GROUP_LABELS.get(group.name, group.name)


def mentor_role_check(form) -> None:
    """A recruit (by tier, or still in a mentorship as recruit) is refused the mentor role,
    in Chinese, on the roles field: a recruit cannot be assigned recruits of their own."""
    # The rule lives with the mentorships (imported here: officers sits below mentoring).
    from mentoring.readiness import mentor_refusal

    groups = form.cleaned_data.get("groups") or []
    if not any(g.name == Role.MENTOR for g in groups):
        return
    officer = form.instance
    officer.name = form.cleaned_data.get("name") or officer.name
    if refusal := mentor_refusal(officer, tier=form.cleaned_data.get("tier") or officer.tier):
        form.add_error("groups", refusal)


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

    def clean(self):
        cleaned = super().clean()
        mentor_role_check(self)
        return cleaned

    def save(self, commit=True):
        # A password an administrator types is temporary: the officer replaces it at next login.
        if self.cleaned_data.get("password1"):
            self.instance.must_change_password = True
        return super().save(commit=commit)


class OfficerCreationForm(_OfficerFormMixin, UserCreationForm):
    class Meta(UserCreationForm.Meta):
        model = Officer
        fields = [*OFFICER_FIELDS, "is_superuser"]
        widgets = {"joined_force_on": forms.DateInput(attrs={"type": "date"})}


class OfficerEditForm(_OfficerFormMixin, UserEditForm):
    class Meta(UserEditForm.Meta):
        model = Officer
        fields = [*OFFICER_FIELDS, "is_active", "must_change_password", "is_superuser"]
        widgets = {"joined_force_on": forms.DateInput(attrs={"type": "date"})}


class OfficerImportForm(forms.Form):
    sheet = forms.FileField(
        label=_("Sheet (.xlsx or .csv)"),
    )
    initial_password = forms.CharField(
        label=_("Initial password for new officers"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(render_value=True, attrs={"autocomplete": "new-password"}),
        help_text=_(
            "New officers log in with it once and must then choose their own. Officers already "
            "in the platform keep their password. Left empty, new officers cannot log in until "
            "an administrator sets their password."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sheet"].help_text = _(
            "Use the template: one officer per row. The whole sheet is imported or nothing. "
            "At most %(rows)s officers and %(size)s MB per sheet."
        ) % {"rows": SHEET_MAX_ROWS, "size": SHEET_MAX_BYTES // (1024 * 1024)}

    def clean_sheet(self):
        sheet = self.cleaned_data["sheet"]
        if not sheet.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError(_("Only .xlsx and .csv sheets can be imported."))
        sheet_upload_check(sheet)
        return sheet

    def clean_initial_password(self):
        password = self.cleaned_data["initial_password"]
        if password:
            password_validation.validate_password(password)
        return password


class AuditFilterForm(forms.Form):
    """Filter the audit trail; every field may stay empty."""

    officer = forms.CharField(label=_("Officer"), required=False, max_length=50,
                              help_text=_("Police number or part of the name."))
    action = forms.ChoiceField(label=_("Action"), required=False)
    since = forms.DateField(label=pgettext_lazy("date range", "From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=pgettext_lazy("date range", "To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, actions: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", _("Every action")), *actions]

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            self.add_error("until", forms.ValidationError(_("The end date is before the start date."), code="dates_reversed"))
        return cleaned
