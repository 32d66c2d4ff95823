"""Background jobs of shadowing: long training records are printed by the task worker."""

from django_tasks import task


@task()
def training_record_render(*, mentorship_id: int) -> str:
    """Render a mentorship's training record PDF into private storage; returns its file name."""
    from .models import Mentorship
    from .services import record_render_to_file

    mentorship = Mentorship.objects.select_related("recruit__unit", "mentor").get(pk=mentorship_id)
    return record_render_to_file(mentorship=mentorship)
