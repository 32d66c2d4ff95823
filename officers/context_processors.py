import functools
from importlib import import_module

from django.conf import settings


@functools.cache
def _navigation_modules():
    return tuple(_find_navigation_modules())


def _find_navigation_modules():
    for app in settings.PROJECT_APPS:
        try:
            yield import_module(f"{app}.navigation")
        except ModuleNotFoundError as error:
            if error.name != f"{app}.navigation":
                raise


def site_chrome(request):
    """The bureau's name and the signed-in officer's navigation, for base.html."""
    items = []
    if getattr(request, "user", None) is not None and request.user.is_authenticated:
        for module in _navigation_modules():
            items.extend(module.nav_items(request))
        items.sort(key=lambda item: item.order)
    return {
        "bureau_name": settings.BUREAU_NAME,
        "nav_items": items,
        "available_languages": settings.LANGUAGES,
    }
