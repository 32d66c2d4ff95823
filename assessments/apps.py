from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

_MODELS = ["category", "question", "quiz", "quizoverride", "blueprintrow", "fixedquestion"]


class AssessmentsConfig(AppConfig):
    """Legal-knowledge tests (法律知识抽测): question bank, tests, sittings, results."""

    name = "assessments"
    verbose_name = _("Legal-knowledge tests and case-review rotations")
    # Permissions each role's group holds ("app_label.codename"); see officers.services.roles_sync.
    role_permissions: dict[str, list[str]] = {
        "trainer": [
            f"assessments.{action}_{model}"
            for model in _MODELS
            for action in ("add", "change", "delete", "view")
        ] + ["assessments.view_sitting", "assessments.change_sitting"],
        # The legal affairs reviewers edit the case-review defect taxonomy in the admin.
        "legal_reviewer": [f"assessments.{action}_defecttype" for action in ("add", "change", "delete", "view")],
    }
