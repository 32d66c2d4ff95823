from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from officers.backups import BackupError, database_backup


class Command(BaseCommand):
    help = (
        "Back up the live database: SQLite through its online backup API, PostgreSQL with pg_dump -Fc. "
        "Restore with restore_database."
    )

    def add_arguments(self, parser):
        parser.add_argument("target", nargs="?", help="file to write (default: backups/<database>-<time>.<ext>)")

    def handle(self, *args, target=None, **options):
        from django.db import connection

        if target is None:
            suffix = "sqlite3" if connection.vendor == "sqlite" else "dump"
            target = Path("backups") / f"yongjing-{timezone.localtime():%Y%m%d-%H%M%S}.{suffix}"
        try:
            path = database_backup(target=Path(target))
        except (BackupError, OSError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"{path} ({path.stat().st_size:,} bytes)")
