"""Background jobs: hand in sittings whose officer never came back."""

from django_tasks import task


@task()
def sitting_autosubmit(*, sitting_id: int) -> bool:
    """Submit one sitting at its deadline if it is still in progress."""
    from django.utils import timezone

    from .models import Sitting, SittingStatus
    from .services import DEADLINE_GRACE, sitting_submit

    sitting = Sitting.objects.select_related("quiz").filter(pk=sitting_id, status=SittingStatus.IN_PROGRESS).first()
    if sitting is None or sitting.deadline + DEADLINE_GRACE > timezone.now():
        return False
    sitting_submit(sitting=sitting, auto=True)
    return True


@task()
def sittings_expire_all() -> int:
    """Sweep: submit every overdue sitting (run from cron or a periodic worker)."""
    from .services import sittings_expire

    return sittings_expire()
