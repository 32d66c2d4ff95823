"""Hand in every sitting whose deadline has passed (run from cron every minute, as a
backstop to the per-sitting job queued at start)."""

from django.core.management.base import BaseCommand

from assessments.services import sittings_expire


class Command(BaseCommand):
    help = "Submit sittings whose deadline (plus grace) has passed."

    def handle(self, *args, **options):
        self.stdout.write(f"submitted {sittings_expire()} overdue sittings")
