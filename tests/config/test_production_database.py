"""Production's database: DATABASE_URL must be given; PostgreSQL for several app
servers, or SQLite for one, committed to disk (the README's production section)."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SECRET = "k" * 20 + "Xy7!pQ2@rT9#vW4$zL6^mN8&bC1*dF3(" + "a" * 10
SHOW = (
    "import django; django.setup(); from django.conf import settings; d = settings.DATABASES['default']; "
    "print(d['ENGINE'], d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'], d.get('OPTIONS', {}).get('init_command', ''))"
)


def production(code_or_check, **env):
    environment = {
        **{k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}},
        "DJANGO_SETTINGS_MODULE": "config.settings.production", "SECRET_KEY": SECRET,
        "ALLOWED_HOSTS": "training.bureau.internal", "CSRF_TRUSTED_ORIGINS": "https://training.bureau.internal",
        **env,
    }
    command = [sys.executable, "-c", code_or_check] if code_or_check != "check" else [
        sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"]
    return subprocess.run(command, cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120)


def test_production_refuses_to_start_without_a_database_url():
    result = production("check")
    assert result.returncode != 0
    assert "DATABASE_URL must be set" in result.stderr


def test_one_app_server_on_sqlite_passes_check_deploy_and_commits_to_disk(tmp_path):
    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    check = production("check", DATABASE_URL=url)
    assert check.returncode == 0 and "no issues" in check.stdout, check.stdout + check.stderr
    shown = production(SHOW, DATABASE_URL=url)
    assert shown.returncode == 0, shown.stderr
    engine, max_age, health, init = shown.stdout.split(" ", 3)
    assert engine == "config.db.sqlite3" and max_age == "60" and health == "True"
    assert "synchronous=FULL" in init and "journal_mode=WAL" in init and "synchronous=NORMAL" not in init


def test_several_app_servers_share_postgresql_with_persistent_checked_connections():
    shown = production(SHOW, DATABASE_URL="postgres://yongjing@db.bureau.internal:5432/yongjing")
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.split()[:3] == ["django.db.backends.postgresql", "60", "True"]
