from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MentoringConfig(AppConfig):
    """New-officer shadowing."""

    name = "mentoring"
    verbose_name = _("New-officer shadowing")
    # Permissions each role's group holds ("app_label.codename"); see officers.services.roles_sync.
    role_permissions: dict[str, list[str]] = {}
