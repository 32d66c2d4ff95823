"""Pickers that scale: officers (for overrides) and units (for audiences) found by typing a name
or a police number, not chosen from a list of hundreds. The select stays in the form (what is
submitted and validated); static/assessments/picker.js puts a search box in front of it."""

from django import forms
from django.db.models import Q
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

PICKER_RESULTS = 20


class SearchSelectMixin:
    """Renders only the chosen options (never the whole list), with what the script needs."""

    search_url = ""
    placeholder = ""

    def __init__(self, attrs=None, **kwargs):
        attrs = {
            "data-picker-url": self.search_url, "data-picker-placeholder": self.placeholder,
            "data-picker-remove": _("Take off the list"), "data-picker-none": _("No match."),
            "data-picker-hint": _("Type at least one character."), "data-picker-found": _("{n} found: choose one."),
            **(attrs or {}),
        }
        super().__init__(attrs, **kwargs)

    def optgroups(self, name, value, attrs=None):
        groups = []
        for group, options, index in super().optgroups(name, value, attrs):
            chosen = [option for option in options if option["selected"]]
            if chosen:
                groups.append((group, chosen, index))
        return groups

    class Media:
        js = ["assessments/picker.js"]
        css = {"all": ["assessments/picker.css"]}


class OfficerSearchSelect(SearchSelectMixin, forms.Select):
    search_url = reverse_lazy("assessments_pick_officers")
    placeholder = _("Type a name or police number")


class UnitSearchSelectMultiple(SearchSelectMixin, forms.SelectMultiple):
    search_url = reverse_lazy("assessments_pick_units")
    placeholder = _("Type a unit's name")


def officers_matching(query: str) -> list[dict]:
    """Active officers whose name contains, or police number starts with, the query."""
    from officers.models import Officer

    query = query.strip()[:50]
    if not query:
        return []
    found = (
        Officer.objects.filter(is_active=True).filter(Q(name__icontains=query) | Q(police_number__startswith=query))
        .select_related("unit").order_by("police_number")[:PICKER_RESULTS]
    )
    return [{"id": o.pk, "label": f"{o.name}（{o.police_number}{'，' + o.unit.name if o.unit else ''}）"} for o in found]


def units_matching(query: str) -> list[dict]:
    """Units whose name contains the query, with the unit above them."""
    from officers.models import Unit

    query = query.strip()[:50]
    if not query:
        return []
    found = Unit.objects.filter(name__icontains=query).select_related("parent").order_by("name")[:PICKER_RESULTS]
    return [{"id": u.pk, "label": f"{u.name}（{u.parent.name}）" if u.parent else u.name} for u in found]
