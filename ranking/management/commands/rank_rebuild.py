"""Recompute a period's ledger from the facts: `manage.py rank_rebuild --period 2026Q3`.

Compares the ledger with what the rules give for today's facts and posts the
difference (reversals and new entries, never edits). On a consistent ledger it
posts nothing. `--check` only reports the difference.
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from ranking.models import RuleBook, Track
from ranking.periods import period_parse
from ranking.services import ledger_compare, period_rebuild


class Command(BaseCommand):
    help = "Recompute a period's points ledger from the facts (posts only what differs)."

    def add_arguments(self, parser):
        parser.add_argument("--period", required=True, help="2026 (year), 2026Q3 (quarter) or 2026-07 (month)")
        parser.add_argument("--track", choices=Track.values, help="one track only (default: both)")
        parser.add_argument("--check", action="store_true", help="report the difference without posting")

    def handle(self, *args, period, track=None, check=False, **options):
        books = RuleBook.objects.all() if track is None else RuleBook.objects.filter(track=track)
        if not books.exists():
            raise CommandError("No rule book: create one in the admin first.")
        try:
            for book in books:
                parsed = period_parse(period, start_month=book.year_start_month)
                diff = ledger_compare(track=book.track, start=parsed.start, end=parsed.end)
                self.stdout.write(
                    f"{book.track} {parsed.code} ({parsed.start} – {parsed.end}): "
                    f"{len(diff.missing)} missing, {len(diff.changed)} changed, {len(diff.extra)} no longer due"
                )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        if check:
            return
        result = period_rebuild(period_code=period, track=track)
        self.stdout.write(self.style.SUCCESS(
            f"posted {result.posted}, reversed {result.reversed}, unchanged {result.unchanged}"
        ))
