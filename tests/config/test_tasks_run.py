"""Whatever is queued runs: under `make run` (the Procfile) and with the production worker.

Earlier, Wagtail's search- and reference-index tasks piled up because nothing
ran them. These tests fail when a task of any kind would wait for ever.
"""

import importlib
import pkgutil
import shlex
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django.test import override_settings
from django_tasks.base import Task

ROOT = Path(__file__).resolve().parents[2]


def _procfile() -> dict[str, list[str]]:
    processes = {}
    for line in (ROOT / "Procfile").read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, command = line.split(":", 1)
            processes[name.strip()] = shlex.split(command)
    return processes


def _worker_queues(argv: list[str]) -> set[str]:
    if "--queue-name" in argv:
        return set(argv[argv.index("--queue-name") + 1].split(","))
    return {"default"}


def _all_tasks() -> list[Task]:
    """Every task defined in an installed app (ours, Wagtail's, any library's)."""
    found = {}
    for config in apps.get_app_configs():
        package = importlib.import_module(config.name)
        names = [f"{config.name}.tasks"]
        if hasattr(package, "__path__"):
            names += [
                f"{config.name}.{m.name}"
                for m in pkgutil.iter_modules(package.__path__)
                if m.name == "tasks"
            ]
        for name in names:
            try:
                module = importlib.import_module(name)
            except ModuleNotFoundError as error:
                if error.name != name:
                    raise
                continue
            for value in vars(module).values():
                if isinstance(value, Task):
                    found[value.module_path] = value
    return list(found.values())


def test_make_run_starts_the_worker_beside_the_web_server():
    makefile = (ROOT / "Makefile").read_text()
    run_recipe = makefile.split("\nrun:", 1)[1].split("\n\n", 1)[0]
    assert "honcho start -f Procfile" in run_recipe
    processes = _procfile()
    assert "runserver" in processes["web"]
    assert "db_worker" in processes["worker"]


def test_every_task_is_on_a_queue_and_backend_the_worker_runs():
    tasks = _all_tasks()
    # Ours and Wagtail's: the list must not be empty, or the test proves nothing.
    paths = {t.module_path for t in tasks}
    assert "assessments.tasks.sitting_autosubmit" in paths
    assert any(p.startswith("wagtail.") for p in paths)

    queues = _worker_queues(_procfile()["worker"])
    for task in tasks:
        assert "*" in queues or task.queue_name in queues, f"{task.module_path} waits on {task.queue_name}"
        assert task.backend == "default", f"{task.module_path} uses backend {task.backend}"


def test_dev_and_production_settings_queue_into_the_database_the_worker_reads():
    import config.settings.base as base

    backend = base.TASKS["default"]["BACKEND"]
    assert backend == "django_tasks_db.DatabaseBackend"
    assert not base.TASKS["default"].get("QUEUES"), "a QUEUES list would refuse other queues"


@pytest.mark.django_db(transaction=True)
def test_the_worker_runs_a_queued_task():
    """Queue a real task in the database backend and run the Procfile's worker once."""
    from django_tasks_db.models import DBTaskResult

    from assessments.tasks import sittings_expire_all

    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        result = sittings_expire_all.enqueue()
        assert DBTaskResult.objects.filter(id=result.id, status="READY").exists()
        queues = _worker_queues(_procfile()["worker"])
        call_command("db_worker", batch=True, queue_name=",".join(queues), startup_delay=False, verbosity=0)
        done = DBTaskResult.objects.get(id=result.id)
        assert done.status == "SUCCESSFUL", done.traceback
