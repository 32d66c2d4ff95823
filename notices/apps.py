from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class NoticesConfig(AppConfig):
    name = "notices"
    verbose_name = _("To-do and notices")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Each app adds its items to 我的待办 in its own `todo.py` (registered with
        # notices.todo.register), the way wagtail_hooks.py adds to Wagtail's admin.
        autodiscover_modules("todo")
