from django.contrib import admin

from .models import Competency, MentorCapacity, Mentorship


@admin.register(MentorCapacity)
class MentorCapacityAdmin(admin.ModelAdmin):
    list_display = ["mentor", "max_recruits"]
    raw_id_fields = ["mentor"]


@admin.register(Competency)
class CompetencyAdmin(admin.ModelAdmin):
    list_display = ["name", "position", "is_active"]


@admin.register(Mentorship)
class MentorshipAdmin(admin.ModelAdmin):
    """Read-only here: mentorships change through the shadowing pages and their rules."""

    list_display = ["recruit", "mentor", "started_on", "planned_end_on", "status"]
    list_filter = ["status"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
