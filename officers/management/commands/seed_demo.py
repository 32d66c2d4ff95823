import io
from importlib import import_module

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from officers.demo import DEMO_LOGINS, DEMO_PASSWORD

# Each app adds its part of the demo in `<app>/demo.py`, in this order.
DEMO_APPS = settings.PROJECT_APPS


class Command(BaseCommand):
    help = "Build (or refresh) a realistic demo bureau. Safe to run again."

    def handle(self, *args, **options):
        for app in DEMO_APPS:
            import_module(f"{app}.demo").seed(stdout=self.stdout)
        # The admin's page search and the usage of documents ("referenced N times")
        # read Wagtail's indexes; build them now rather than leave the demo's pages
        # to a queue of tasks the worker has not run yet.
        call_command("update_index", stdout=io.StringIO())
        call_command("rebuild_references_index", stdout=io.StringIO())
        self.stdout.write(self.style.SUCCESS(f"\nDemo logins (password for all: {DEMO_PASSWORD})"))
        for login in DEMO_LOGINS:
            self.stdout.write(f"  {login.police_number}  {login.name:<6}  {login.unit:<8}  {login.what}")
        self.stdout.write("Open http://127.0.0.1:8000/ and log in with a police number.")
