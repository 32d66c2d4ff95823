from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from officers.backups import BackupError, database_restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by backup_database into an EMPTY database, named by its URL "
        "(sqlite:////srv/yongjing/restored.sqlite3, or postgres://user@host/newdb made with createdb). "
        "Then point DATABASE_URL at it."
    )

    def add_arguments(self, parser):
        parser.add_argument("source")
        parser.add_argument("database_url")

    def handle(self, *args, source, database_url, **options):
        try:
            database_restore(source=Path(source), database_url=database_url)
        except (BackupError, OSError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"restored into {database_url}")
