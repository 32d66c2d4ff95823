from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LessonsConfig(AppConfig):
    """Law lecture hall: courses, lessons, training sessions."""

    name = "lessons"
    verbose_name = _("Law lecture hall: courses, lessons, training sessions")
    # Permissions each role's group holds ("app_label.codename"); see officers.services.roles_sync.
    role_permissions: dict[str, list[str]] = {}
