from django.core.management.base import BaseCommand

from officers.storage import move_documents_to_private


class Command(BaseCommand):
    help = (
        "Move Wagtail document files from MEDIA_ROOT/documents/ to PRIVATE_MEDIA_ROOT/documents/, "
        "where only the application's permission-checked views reach them. Safe to run again."
    )

    def handle(self, *args, **options):
        moved, skipped = move_documents_to_private()
        self.stdout.write(f"documents: {moved} moved to the private folder, {skipped} already there")
