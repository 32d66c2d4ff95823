"""The production files in deploy/ agree with the settings: private files only behind the app."""

import re
import runpy
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"


def _env_example() -> dict[str, str]:
    pairs = {}
    for line in (DEPLOY / "env.example").read_text().splitlines():
        if line and not line.startswith("#"):
            key, value = line.split("=", 1)
            pairs[key] = value
    return pairs


def _locations(conf: str) -> dict[str, str]:
    return {m.group(1): m.group(2) for m in re.finditer(r"location\s+(\S+)\s*\{([^}]*)\}", conf)}


def test_nginx_serves_private_files_only_as_an_internal_location_of_the_app():
    conf = (DEPLOY / "nginx-yongjing.conf").read_text()
    env = _env_example()
    locations = _locations(conf)
    accel = env["PRIVATE_FILES_ACCEL_PREFIX"]
    assert "internal;" in locations[accel]
    assert env["PRIVATE_MEDIA_ROOT"].rstrip("/") + "/" in locations[accel]
    # No other location exposes the private root, and /media/ is closed but for pictures.
    for path, body in locations.items():
        if path != accel:
            assert env["PRIVATE_MEDIA_ROOT"] not in body
    assert "return 404" in locations["/media/"]
    assert {p for p in locations if p.startswith("/media/")} == {"/media/", "/media/images/"}


def test_gunicorn_configuration_loads_with_sync_workers():
    config = runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))
    assert config["worker_class"] == "sync"
    assert config["workers"] >= 2
    assert config["preload_app"] is True


def test_a_worker_returns_a_logins_hashing_memory():
    """Argon2's 7 MiB per login is handed back after the hash, not kept in every worker."""
    import subprocess
    import sys

    script = (
        "import runpy, psutil; from argon2 import PasswordHasher;"
        f"runpy.run_path({str(DEPLOY / 'gunicorn.conf.py')!r})['post_fork'](None, None);"
        "p = psutil.Process(); h = PasswordHasher(time_cost=5, memory_cost=7168, parallelism=1);"
        "e = h.hash('x'); before = p.memory_info().rss;"
        "[h.verify(e, 'x') for _ in range(10)]; print(p.memory_info().rss - before)"
    )
    grown = int(subprocess.run([sys.executable, "-c", script], check=True, capture_output=True, text=True).stdout)
    assert grown < 2 * 2**20


def test_systemd_units_run_the_production_settings_and_every_task_queue():
    env = _env_example()
    assert env["DJANGO_SETTINGS_MODULE"] == "config.settings.production"
    web = (DEPLOY / "yongjing-web.service").read_text()
    worker = (DEPLOY / "yongjing-worker.service").read_text()
    assert "EnvironmentFile=/etc/yongjing/env" in web and "EnvironmentFile=/etc/yongjing/env" in worker
    assert "gunicorn -c deploy/gunicorn.conf.py config.wsgi" in web
    assert "db_worker --queue-name *" in worker
    assert "Restart=always" in worker
