from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RankingConfig(AppConfig):
    """Points ranking."""

    name = "ranking"
    verbose_name = _("Points ranking")
    # Permissions each role's group holds ("app_label.codename"); see officers.services.roles_sync.
    role_permissions: dict[str, list[str]] = {}
