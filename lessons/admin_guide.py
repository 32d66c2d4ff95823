"""帮助 in the Wagtail admin: the bureau's own guide for trainers, served by the
platform, in place of Wagtail's English guide on the internet (the intranet has
none). Imported by lessons.wagtail_hooks."""

from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

# Wagtail's own help items, all links to guide.wagtail.org.
WAGTAIL_EXTERNAL_HELP = {"editor-guide", "whats-new-in-wagtail"}


def authoring_guide_view(request):
    """讲堂编写指南: how to write, submit and review lessons, and keep them current."""
    return render(request, "lessons/admin/authoring_guide.html")


@hooks.register("register_admin_urls")
def register_authoring_guide_url():
    return [path("guide/", authoring_guide_view, name="lessons_authoring_guide")]


@hooks.register("register_help_menu_item")
def register_authoring_guide_menu_item():
    return MenuItem(_("Guide for trainers"), reverse("lessons_authoring_guide"), icon_name="help", order=100)


@hooks.register("construct_help_menu")
def remove_wagtail_external_help(request, menu_items):
    menu_items[:] = [
        item for item in menu_items
        if not any(item.name == name or item.name.startswith(f"{name}-") for name in WAGTAIL_EXTERNAL_HELP)
    ]
