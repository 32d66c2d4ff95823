"""Background jobs of the publications app: rendering bulletins in the task worker."""

from django_tasks import task


@task()
def bulletin_render(*, publication_id: int) -> bool:
    """Render one version's bulletin PDF (通报) into private storage."""
    from .services import bulletin_store

    return bulletin_store(publication_id=publication_id)
