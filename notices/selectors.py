"""Reads of notices."""

from django.db.models import QuerySet

from .models import Notice, NoticePreference


def unread_count(officer) -> int:
    if not getattr(officer, "is_authenticated", False):
        return 0
    return Notice.objects.filter(recipient=officer, read_at__isnull=True).count()


def notices_of(officer) -> QuerySet[Notice]:
    return Notice.objects.filter(recipient=officer).select_related("actor")


def preference_of(officer) -> NoticePreference | None:
    return NoticePreference.objects.filter(officer=officer).first()
