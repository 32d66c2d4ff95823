from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RankingConfig(AppConfig):
    """Points ranking."""

    name = "ranking"
    verbose_name = _("Points ranking")
    # Permissions each role's group holds ("app_label.codename"); see officers.services.roles_sync.
    # The legal affairs unit edits the rule books in the Wagtail admin.
    role_permissions: dict[str, list[str]] = {
        "legal_reviewer": [
            "wagtailadmin.access_admin",
            "ranking.add_rulebook", "ranking.change_rulebook", "ranking.view_rulebook",
            "ranking.add_rulebookversion", "ranking.change_rulebookversion", "ranking.view_rulebookversion",
            "ranking.delete_rulebookversion",
        ],
    }

    def ready(self):
        from . import signals

        signals.connect()
