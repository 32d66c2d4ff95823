from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm, UserChangeForm

from .forms import mentor_role_check
from .models import Officer, Unit


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "parent"]
    list_filter = ["kind"]
    search_fields = ["name"]


class TemporaryPasswordChangeForm(AdminPasswordChangeForm):
    """A password an administrator sets is temporary, as in the Wagtail admin."""

    def save(self, commit=True):
        self.user.must_change_password = True
        return super().save(commit=commit)


class OfficerChangeForm(UserChangeForm):
    def clean(self):
        cleaned = super().clean()
        mentor_role_check(self)
        return cleaned


@admin.register(Officer)
class OfficerAdmin(UserAdmin):
    form = OfficerChangeForm
    change_password_form = TemporaryPasswordChangeForm
    ordering = ["police_number"]
    list_display = ["police_number", "name", "unit", "tier", "is_active"]
    list_filter = ["tier", "is_active", "unit", "groups"]
    search_fields = ["police_number", "name"]
    fieldsets = [
        (None, {"fields": ["police_number", "password"]}),
        (None, {"fields": ["name", "unit", "tier", "joined_force_on", "email"]}),
        (None, {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
    ]
    add_fieldsets = [
        (None, {"fields": ["police_number", "name", "unit", "tier", "password1", "password2"]}),
    ]

    def save_model(self, request, obj, form, change):
        if not change:  # the administrator typed the new officer's first password
            obj.must_change_password = True
        super().save_model(request, obj, form, change)
