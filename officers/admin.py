from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import Officer, Unit


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "parent"]
    list_filter = ["kind"]
    search_fields = ["name"]


@admin.register(Officer)
class OfficerAdmin(UserAdmin):
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
