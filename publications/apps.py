from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicationsConfig(AppConfig):
    """Publications (挂网公示): frozen, versioned snapshots of results and rankings, with objections."""

    name = "publications"
    verbose_name = _("Publications")
    default_auto_field = "django.db.models.BigAutoField"
    # Permissions each role's group holds ("app_label.codename"); see officers.services.roles_sync.
    role_permissions: dict[str, list[str]] = {}

    def ready(self):
        from .registry import discover

        discover()
