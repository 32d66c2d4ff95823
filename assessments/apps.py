from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    """Legal-knowledge tests and case-review rotations."""

    name = "assessments"
    verbose_name = _("Legal-knowledge tests and case-review rotations")
    # Permissions each role's group holds ("app_label.codename"); see officers.services.roles_sync.
    role_permissions: dict[str, list[str]] = {}
