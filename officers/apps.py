from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _
from wagtail.users.apps import WagtailUsersAppConfig


class OfficersConfig(AppConfig):
    """People and organisation: officers, units, roles."""

    default = True
    name = "officers"
    verbose_name = _("Officers and units")
    # Permissions each role's group holds, as "app_label.codename". Every app may
    # declare the same attribute on its AppConfig; `roles_sync` merges them all.
    role_permissions = {
        "trainer": ["wagtailadmin.access_admin"],
        "legal_reviewer": ["wagtailadmin.access_admin"],
        "administrator": ["*"],
    }

    def ready(self):
        post_migrate.connect(_sync_roles_after_migrate, dispatch_uid="officers.roles_sync")


def _sync_roles_after_migrate(sender, using="default", **kwargs):
    # Run once, after the last app has migrated, so every permission exists.
    from django.apps import apps

    last_app = [c for c in apps.get_app_configs() if c.models_module is not None][-1]
    if sender.label != last_app.label:
        return
    from .services import roles_sync

    roles_sync(using=using)


class OfficerUsersAppConfig(WagtailUsersAppConfig):
    """Wagtail's user admin, with the officer's own fields (警号, 姓名, 所队, 层级)."""

    default = False
    user_viewset = "officers.viewsets.OfficerViewSet"
