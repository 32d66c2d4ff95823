"""The production settings pass `check --deploy`, and need their secrets from the environment."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_check(extra_env):
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "ALLOWED_HOSTS": "training.bureau.internal",
        "CSRF_TRUSTED_ORIGINS": "https://training.bureau.internal",
        # Production refuses to start without one (tests/config/test_production_database.py).
        "DATABASE_URL": os.environ.get("DATABASE_URL") or "sqlite:////var/lib/yongjing/db.sqlite3",
        **extra_env,
    }
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )


def test_production_settings_pass_check_deploy():
    result = run_check({"SECRET_KEY": "k" * 20 + "Xy7!pQ2@rT9#vW4$zL6^mN8&bC1*dF3(" + "a" * 10})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = run_check({"SECRET_KEY": ""})
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
