"""Writes of notices: sending, reading, preferences, and e-mail delivery."""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from officers.models import Officer

from .models import DigestDay, EmailMode, Notice, NoticeKind, NoticePreference

logger = logging.getLogger(__name__)

TITLE_MAX = 200
BODY_MAX = 2000


def email_enabled() -> bool:
    """Off unless the bureau configured its intranet mail server (NOTICES_EMAIL_ENABLED)."""
    return bool(getattr(settings, "NOTICES_EMAIL_ENABLED", False))


def notice_send(
    *, recipients: Iterable, kind: str, title: str, url: str = "", body: str = "", actor=None,
) -> list[Notice]:
    """Tell each recipient (officers or their ids) about one event.

    The actor is never told about their own act. E-mail, where the bureau has it and
    the officer chose this kind, goes after the commit through the task worker.
    """
    if kind not in NoticeKind.values:
        raise ValueError(f"unknown notice kind {kind!r}")
    actor_id = getattr(actor, "pk", actor)
    ids = []
    for recipient in recipients:
        pk = getattr(recipient, "pk", recipient)
        if pk is not None and pk != actor_id and pk not in ids:
            ids.append(pk)
    if not ids:
        return []
    notices = Notice.objects.bulk_create([
        Notice(recipient_id=pk, kind=kind, title=str(title)[:TITLE_MAX], body=str(body)[:BODY_MAX],
               url=url, actor_id=actor_id)
        for pk in ids
    ])
    if email_enabled():
        created = [n.pk for n in notices]  # bulk_create returns keys on SQLite ≥ 3.35 and PostgreSQL
        transaction.on_commit(lambda: _email_dispatch(notice_ids=created), robust=True)
    return notices


def notice_open(*, officer, notice_id: int) -> Notice:
    """Mark one of the officer's notices read (opening it); someone else's is not found."""
    notice = Notice.objects.get(pk=notice_id, recipient=officer)
    if notice.read_at is None:
        notice.read_at = timezone.now()
        notice.save(update_fields=["read_at"])
    return notice


def notices_mark_read(*, officer) -> int:
    return Notice.objects.filter(recipient=officer, read_at__isnull=True).update(read_at=timezone.now())


def preference_save(*, officer, email_kinds: Iterable[str], email_mode: str) -> NoticePreference:
    kinds = sorted({k for k in email_kinds if k in NoticeKind.values})
    if email_mode not in EmailMode.values:
        raise ValueError(email_mode)
    preference, _created = NoticePreference.objects.update_or_create(
        officer=officer, defaults={"email_kinds": kinds, "email_mode": email_mode}
    )
    return preference


# E-mail ---------------------------------------------------------------------------

def _allowed_address(address: str) -> bool:
    """Only addresses on the bureau's own mail domains, when the setting names them."""
    if not address or "@" not in address:
        return False
    domains = [d.lower() for d in getattr(settings, "NOTICES_EMAIL_DOMAINS", []) if d]
    return not domains or address.rsplit("@", 1)[1].lower() in domains


def _email_dispatch(*, notice_ids: list[int]) -> None:
    """After a commit: queue immediate e-mails, and schedule the day's digest for the others."""
    from . import tasks

    rows = (
        Notice.objects.filter(pk__in=notice_ids, emailed_at__isnull=True)
        .select_related("recipient__notice_preference")
    )
    immediate, digest = [], False
    for notice in rows:
        preference = getattr(notice.recipient, "notice_preference", None)
        if preference is None or notice.kind not in preference.email_kinds:
            continue
        if not _allowed_address(notice.recipient.email):
            continue
        if preference.email_mode == EmailMode.IMMEDIATE:
            immediate.append(notice.pk)
        else:
            digest = True
    if immediate:
        tasks.notice_emails_send.enqueue(notice_ids=immediate)
    if digest:
        digest_schedule()


def _send(messages: list[EmailMessage]) -> int:
    if not messages:
        return 0
    with get_connection() as connection:
        return connection.send_messages(messages) or 0


def _message(*, officer: Officer, subject: str, body: str) -> EmailMessage:
    return EmailMessage(
        subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[officer.email],
    )


def _absolute(url: str) -> str:
    base = getattr(settings, "WAGTAILADMIN_BASE_URL", "") or ""
    return f"{base.rstrip('/')}{url}" if url.startswith("/") else url


def notice_emails_send(*, notice_ids: list[int]) -> int:
    """Send one e-mail per notice (the officers who chose "at once"); each notice only once."""
    if not email_enabled():
        return 0
    sent = 0
    with transaction.atomic():
        notices = list(
            Notice.objects.select_for_update().filter(pk__in=notice_ids, emailed_at__isnull=True)
            .select_related("recipient")
        )
        messages = []
        for notice in notices:
            if not _allowed_address(notice.recipient.email):
                continue
            with translation.override(settings.LANGUAGE_CODE):
                body = render_to_string("notices/email_notice.txt", {
                    "notice": notice, "link": _absolute(notice.url), "bureau_name": settings.BUREAU_NAME,
                })
                subject = _("[%(bureau)s] %(title)s") % {"bureau": settings.BUREAU_NAME, "title": notice.title}
            messages.append(_message(officer=notice.recipient, subject=subject, body=body))
            notice.emailed_at = timezone.now()
        sent = _send(messages)
        Notice.objects.bulk_update([n for n in notices if n.emailed_at], ["emailed_at"])
    return sent


def digest_next_time(now: dt.datetime | None = None) -> dt.datetime:
    """The next digest time (NOTICES_DIGEST_TIME, local time, default 07:30) after now."""
    now = timezone.localtime(now or timezone.now())
    hour, minute = (int(part) for part in getattr(settings, "NOTICES_DIGEST_TIME", "07:30").split(":"))
    at = now.replace(hour=hour, minute=minute, second=0, microsecond=0)
    return at if at > now else at + dt.timedelta(days=1)


def digest_schedule(*, now: dt.datetime | None = None) -> DigestDay | None:
    """Make sure the next digest is queued once (the unique day keeps it to one a day)."""
    from django_tasks import default_task_backend

    from . import tasks

    at = digest_next_time(now)
    try:
        with transaction.atomic():
            day, created = DigestDay.objects.get_or_create(day=at.date())
    except IntegrityError:
        return None
    if created:
        if default_task_backend.supports_defer:
            tasks.notices_digest_send.using(run_after=at).enqueue(day=at.date().isoformat())
        else:  # a backend that cannot wait (tests' immediate backend): send when asked
            logger.info("digest for %s not deferred: the task backend cannot wait", at.date())
    return day


def digest_send(*, day: dt.date, now: dt.datetime | None = None) -> int:
    """Send each officer who chose the digest one e-mail with their chosen, unsent notices."""
    if not email_enabled():
        return 0
    now = now or timezone.now()
    with transaction.atomic():
        record, _created = DigestDay.objects.select_for_update().get_or_create(day=day)
        if record.sent_at is not None:
            return 0
        preferences = {
            p.officer_id: p for p in NoticePreference.objects.filter(email_mode=EmailMode.DIGEST)
            .exclude(email_kinds=[]).select_related("officer")
        }
        pending = defaultdict(list)
        for notice in Notice.objects.select_for_update().filter(
            recipient_id__in=list(preferences), emailed_at__isnull=True, read_at__isnull=True, created_at__lte=now,
        ).order_by("created_at"):
            if notice.kind in preferences[notice.recipient_id].email_kinds:
                pending[notice.recipient_id].append(notice)
        messages, stamped = [], []
        for officer_id, notices in pending.items():
            officer = preferences[officer_id].officer
            if not _allowed_address(officer.email):
                continue
            with translation.override(settings.LANGUAGE_CODE):
                body = render_to_string("notices/email_digest.txt", {
                    "officer": officer, "notices": [(n, _absolute(n.url)) for n in notices],
                    "bureau_name": settings.BUREAU_NAME, "day": day,
                })
                subject = _("[%(bureau)s] %(count)s new notices") % {
                    "bureau": settings.BUREAU_NAME, "count": len(notices)}
            messages.append(_message(officer=officer, subject=subject, body=body))
            for notice in notices:
                notice.emailed_at = now
                stamped.append(notice)
        sent = _send(messages)
        Notice.objects.bulk_update(stamped, ["emailed_at"])
        record.sent_at, record.sent_count = now, len(messages)
        record.save(update_fields=["sent_at", "sent_count"])
    return sent
