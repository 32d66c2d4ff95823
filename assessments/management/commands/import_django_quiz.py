"""Move a django-quiz-app site onto the platform: its bank, its quizzes and its history.

    manage.py dumpdata auth.user quiz multichoice true_false essay > quiz.json   (on the old system)
    manage.py import_django_quiz quiz.json [--root 旧题库] [--users users.csv] [--language en]

`--users`: a CSV of (old user id or user name, police number), for users whose
user name is not their police number. Everything is imported or, on an error,
nothing; the summary counts every kind of object read, imported, already here
and left out, and says why each was left out.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from assessments.quizapp import quizapp_import_all


class Command(BaseCommand):
    help = "Import a django-quiz-app site (questions, quizzes, sittings) from a dumpdata JSON file."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--root", default="", help="Put the imported categories under this top-level category.")
        parser.add_argument("--users", default="", help="CSV of (old user id or user name, police number).")
        parser.add_argument("--language", default=settings.LANGUAGE_CODE, help="Language of the summary (zh-hans, en).")

    def handle(self, *args, path, root, users, language, **options):
        with translation.override(language):
            try:
                data = Path(path).read_bytes()
                user_map = Path(users).read_text(encoding="utf-8-sig") if users else None
            except OSError as error:
                raise CommandError(str(error)) from error
            try:
                result = quizapp_import_all(data=data, root=root, user_map=user_map)
            except (ValueError, KeyError, TypeError) as error:
                raise CommandError(_("Not a django-quiz-app dumpdata file (nothing was imported): %(error)s")
                                   % {"error": error}) from error
            for line in result.summary_lines():
                self.stdout.write(line)
            if result.unmapped:
                self.stdout.write(_("Settings that could not be carried over:"))
                for line in result.unmapped:
                    self.stdout.write(f"  {line}")
            if result.reasons:
                self.stdout.write(_("Left out, and why:"))
                for line in result.reasons:
                    self.stdout.write(f"  {line}")
