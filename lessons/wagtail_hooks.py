"""Wagtail admin: training sessions (专题培训 / 送教上门) for trainers."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel
from wagtail.admin.viewsets.model import ModelViewSet

from .models import LectureHallPage, TrainingSession
from .services import lecture_hall_authoring_setup


class TrainingSessionViewSet(ModelViewSet):
    model = TrainingSession
    icon = "group"
    menu_label = _("Training sessions")
    menu_order = 210
    add_to_admin_menu = True
    list_display = ["topic", "kind", "starts_at", "place", "trainer"]
    list_filter = ["kind"]
    search_fields = ["topic", "place"]
    panels = [
        FieldPanel("kind"), FieldPanel("topic"), FieldPanel("starts_at"), FieldPanel("ends_at"),
        FieldPanel("place"), FieldPanel("trainer"), FieldPanel("course"), FieldPanel("invited_units"),
        FieldPanel("code"),
    ]


@hooks.register("register_admin_viewset")
def register_training_session_viewset():
    return TrainingSessionViewSet("training_sessions")


@hooks.register("after_create_page")
def give_a_new_hall_its_authoring_setup(request, page):
    # A hall made by hand in the admin gets the same permissions and workflow as
    # one made by `manage.py lecture_hall_setup`.
    if isinstance(page.specific, LectureHallPage):
        lecture_hall_authoring_setup(hall=page.specific)
