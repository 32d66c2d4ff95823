"""A handout's file replaced in the admin is re-read into the lessons' search.

Lessons keep their handouts' text with the row (LessonPage.search_words), computed
when a lesson is published; a new file uploaded over a Document changed nothing
until the lesson was republished. Now saving a document with a file queues
`handout_lessons_reindex` for the worker (the same queue as Wagtail's index)."""

from django.db.models.signals import post_save
from wagtail.documents import get_document_model


def _document_saved(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or (update_fields is not None and "file" not in update_fields):
        return  # fixtures, or bookkeeping such as the file's hash being filled in
    from .tasks import handout_lessons_reindex

    handout_lessons_reindex.enqueue(document_id=instance.pk)


def connect() -> None:
    post_save.connect(_document_saved, sender=get_document_model(), dispatch_uid="lessons_handout_reindex")
