"""Backups of the platform's database, taken while it is in use, and their restore.

SQLite (the embedded default): SQLite's online backup API copies a consistent
snapshot page by page while officers keep writing; a plain file copy of a live
WAL database can be torn. PostgreSQL: `pg_dump` in its custom format, restored
with `pg_restore` into an empty database.
"""

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

from django.db import connections


class BackupError(Exception):
    pass


def _pg_env(settings_dict) -> dict:
    env = dict(os.environ)
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = settings_dict["PASSWORD"]
    return env


def _pg_args(settings_dict) -> list[str]:
    args = []
    if settings_dict.get("HOST"):
        args += ["-h", settings_dict["HOST"]]
    if settings_dict.get("PORT"):
        args += ["-p", str(settings_dict["PORT"])]
    if settings_dict.get("USER"):
        args += ["-U", settings_dict["USER"]]
    return args


def database_backup(*, target: Path, alias: str = "default") -> Path:
    """Write a consistent backup of the live database to `target`."""
    connection = connections[alias]
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        destination = sqlite3.connect(target)
        try:
            # One step, inside one read transaction: in WAL mode readers never
            # block writers, and a stepwise copy would restart at every write.
            connection.connection.backup(destination, pages=-1)
        finally:
            destination.close()
        return target
    if connection.vendor == "postgresql":
        if shutil.which("pg_dump") is None:
            raise BackupError("pg_dump is not installed (apt-get install postgresql-client).")
        settings_dict = connection.settings_dict
        subprocess.run(
            ["pg_dump", "-Fc", "--no-owner", "-f", str(target), *_pg_args(settings_dict), settings_dict["NAME"]],
            check=True, env=_pg_env(settings_dict), capture_output=True,
        )
        return target
    raise BackupError(f"No backup method for {connection.vendor}.")


def database_restore(*, source: Path, database_url: str) -> None:
    """Restore a backup into an EMPTY database (a new SQLite file or a new PostgreSQL database)."""
    source = Path(source)
    parts = urlsplit(database_url)
    if parts.scheme == "sqlite":
        path = Path(parts.path[1:] if parts.path.startswith("//") else parts.path)
        if path.exists() and path.stat().st_size:
            raise BackupError(f"{path} exists: restore into a new file.")
        origin = sqlite3.connect(source)
        destination = sqlite3.connect(path)
        try:
            origin.backup(destination)
        finally:
            origin.close()
            destination.close()
        return
    if parts.scheme in {"postgres", "postgresql"}:
        settings_dict = {
            "HOST": parts.hostname or "", "PORT": parts.port or "", "USER": parts.username or "",
            "PASSWORD": parts.password or "", "NAME": parts.path.lstrip("/"),
        }
        subprocess.run(
            ["pg_restore", "--no-owner", "--exit-on-error", "-d", settings_dict["NAME"], *_pg_args(settings_dict), str(source)],
            check=True, env=_pg_env(settings_dict), capture_output=True,
        )
        return
    raise BackupError(f"No restore method for {parts.scheme}.")
