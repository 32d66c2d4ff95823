"""Entries this app adds to the site navigation (see officers.context_processors)."""


def nav_items(request):
    return []
