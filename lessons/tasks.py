"""Background jobs of the lecture hall (run by `make run`'s worker)."""

from django_tasks import task


@task()
def handout_lessons_reindex(*, document_id: int) -> int:
    """Re-read a replaced handout into the search of every live lesson that attaches it."""
    from .services import lessons_reindex_for_handout

    return lessons_reindex_for_handout(document_id=document_id)
