from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from officers.navigation import NavItem


def nav_items(request):
    return [
        NavItem(_("Notices"), reverse("notices:list"), order=1,
                description=_("What happened that concerns you: returned lessons, published results, answers.")),
    ]
