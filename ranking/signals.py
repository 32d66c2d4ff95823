"""Thin receivers: when a fact a rule reads is saved or deleted, enqueue posting.

They only enqueue (after the transaction commits, so the worker sees the fact);
all the work happens in ranking.tasks.ledger_post. Changes made with bulk
`QuerySet.update()` send no signal: the nightly `ledger_sweep` (or
`manage.py rank_rebuild`) catches those.
"""

import logging

from django.apps import apps
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from .rule_kinds import kinds

logger = logging.getLogger(__name__)


def _enqueue(officer_ids, day) -> None:
    from .models import RuleBookVersion, VersionStatus
    from .tasks import ledger_post

    try:
        if not RuleBookVersion.objects.filter(status=VersionStatus.IN_FORCE).exists():
            return  # no rule book in force yet: nothing to post
        ledger_post.enqueue(
            officer_ids=sorted(set(officer_ids)) if officer_ids is not None else None,
            day=day.isoformat() if day else None,
        )
    except Exception:  # a failed enqueue must never lose the fact being saved; the sweep catches it
        logger.exception("Could not enqueue ledger posting")


def _receiver(trigger):
    def receive(sender, instance, raw=False, **kwargs):
        if raw:
            return
        if trigger.only_created and not kwargs.get("created", False):
            return
        try:
            officer_ids, day = trigger.affected(instance)
        except Exception:  # a half-built instance: let the sweep post it
            logger.exception("Could not tell whom a change to %s affects", trigger.model)
            return
        if officer_ids is not None and not officer_ids:
            return  # the change touches no one's points
        transaction.on_commit(lambda: _enqueue(officer_ids, day))

    return receive


# Saving only these fields of an officer changes nobody's points (a log-in, a new password).
OFFICER_FIELDS_WITHOUT_POINTS = {"last_login", "password", "must_change_password"}


def _officer_changed(sender, instance, raw=False, update_fields=None, **kwargs):
    """A new officer, or a changed tier, unit or status, can change what they are due
    (a track, a test's audience): post that officer again, every day."""
    if raw or (update_fields and set(update_fields) <= OFFICER_FIELDS_WITHOUT_POINTS):
        return
    officer_id = instance.pk
    transaction.on_commit(lambda: _enqueue([officer_id], None))


def connect() -> None:
    from django.conf import settings

    post_save.connect(_officer_changed, sender=settings.AUTH_USER_MODEL, weak=False, dispatch_uid="ranking.officer")
    for kind in kinds():
        for trigger in kind.triggers:
            try:
                model = apps.get_model(trigger.model)
            except LookupError:
                continue  # an app not installed yet (e.g. case reviews)
            receiver = _receiver(trigger)
            uid = f"ranking.{kind.code}.{trigger.model}"
            post_save.connect(receiver, sender=model, weak=False, dispatch_uid=uid + ".save")
            post_delete.connect(receiver, sender=model, weak=False, dispatch_uid=uid + ".delete")
