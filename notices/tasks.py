"""Background jobs of notices: e-mail through the bureau's intranet mail server."""

import datetime as dt

from django_tasks import task


@task()
def notice_emails_send(*, notice_ids: list[int]) -> int:
    from .services import notice_emails_send as send

    return send(notice_ids=notice_ids)


@task()
def notices_digest_send(*, day: str) -> int:
    from .services import digest_send

    return digest_send(day=dt.date.fromisoformat(day))
