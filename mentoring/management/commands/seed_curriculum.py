from django.core.management.base import BaseCommand

from mentoring.curriculum import curriculum_seed


class Command(BaseCommand):
    help = "Add the bureau's 13 shadowing competencies with their 1/4/7 guidelines (keeps edits)."

    def handle(self, *args, **options):
        created = curriculum_seed()
        self.stdout.write(self.style.SUCCESS(f"{created} competencies added."))
