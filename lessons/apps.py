from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LessonsConfig(AppConfig):
    """Law lecture hall: courses, lessons, training sessions."""

    name = "lessons"
    verbose_name = _("Law lecture hall: courses, lessons, training sessions")
    # Permissions each role's group holds ("app_label.codename"); see officers.services.roles_sync.
    # Page permissions on the hall and the review workflow: lessons.services.lecture_hall_authoring_setup.
    role_permissions: dict[str, list[str]] = {
        "trainer": [
            "lessons.add_trainingsession",
            "lessons.change_trainingsession",
            "lessons.view_trainingsession",
            "lessons.view_attendance",
            # 法律法规库: trainers keep the catalogue of laws and their versions.
            "lessons.add_law", "lessons.change_law", "lessons.view_law",
            "lessons.add_lawversion", "lessons.change_lawversion", "lessons.view_lawversion",
        ],
        # The reviewer of lessons sees the catalogue and what cites superseded law.
        "legal_reviewer": ["lessons.view_law", "lessons.view_lawversion"],
    }

    def ready(self):
        from . import notify, reindex

        notify.connect()  # the trainer hears when the review returns or publishes their lesson
        reindex.connect()  # a replaced handout's new text is searchable without republishing
