"""Import a django-quiz-app database export into the question bank.

    manage.py dumpdata quiz multichoice true_false essay > quiz.json   (on the old system)
    manage.py import_django_quiz quiz.json [--root 旧题库]
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assessments.importers import quizapp_import


class Command(BaseCommand):
    help = "Import questions from a django-quiz-app dumpdata JSON file."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--root", default="", help="Put the imported categories under this top-level category.")

    def handle(self, *args, path, root, **options):
        try:
            data = Path(path).read_bytes()
        except OSError as error:
            raise CommandError(str(error)) from error
        try:
            result = quizapp_import(data=data, root=root)
        except ValueError as error:
            raise CommandError(f"Not a dumpdata JSON file: {error}") from error
        for reason in result.skipped:
            self.stderr.write(f"skipped: {reason}")
        self.stdout.write(
            f"created {result.created} questions, {result.duplicates} already in the bank, "
            f"{len(result.skipped)} skipped, {result.categories} new categories"
        )
