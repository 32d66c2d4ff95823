"""A backup taken while the platform is in use restores into a fresh database with every row."""

import sqlite3
import subprocess
import threading
import uuid

import pytest
from django.core.management import call_command
from django.db import connection

from officers.models import Officer, Unit
from tests.factories.officers import OfficerFactory

TABLES = ["officers_officer", "officers_unit", "auth_group"]


def _counts_django() -> dict[str, int]:
    with connection.cursor() as cursor:
        result = {}
        for table in TABLES:
            cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608 (fixed names)
            result[table] = cursor.fetchone()[0]
        return result


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif("connection.vendor != 'sqlite'", reason="SQLite's online backup")
def test_sqlite_online_backup_while_writing_restores_every_row(tmp_path):
    OfficerFactory.create_batch(30)
    stop = threading.Event()
    written = []

    def writer():
        # Officers keep working while the backup runs.
        from django.db import connection as thread_connection

        unit = Unit.objects.first()
        while not stop.is_set():
            number = f"{len(written) + 700000:06d}"
            written.append(Officer.objects.create(police_number=number, name="写入", unit=unit))
            stop.wait(0.005)
        thread_connection.close()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        call_command("backup_database", str(tmp_path / "b.sqlite3"))
    finally:
        stop.set()
        thread.join()
    restored = tmp_path / "restored.sqlite3"
    call_command("restore_database", str(tmp_path / "b.sqlite3"), f"sqlite:///{restored}")

    copy = sqlite3.connect(restored)
    assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    officers = copy.execute("SELECT COUNT(*) FROM officers_officer").fetchone()[0]
    copy.close()
    # A consistent snapshot: every officer from before, and a prefix of those written during.
    assert 30 <= officers <= 30 + len(written)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="pg_dump and pg_restore")
def test_postgresql_dump_restores_into_a_fresh_database_with_equal_counts(tmp_path):
    OfficerFactory.create_batch(30)
    before = _counts_django()
    dump = tmp_path / "b.dump"
    call_command("backup_database", str(dump))
    settings_dict = connection.settings_dict
    fresh = f"restore_{uuid.uuid4().hex[:10]}"
    host = ["-h", settings_dict["HOST"] or "127.0.0.1", "-U", settings_dict["USER"] or "postgres"]
    subprocess.run(["createdb", *host, fresh], check=True)
    try:
        url = f"postgres://{settings_dict['USER'] or 'postgres'}@{settings_dict['HOST'] or '127.0.0.1'}:{settings_dict['PORT'] or 5432}/{fresh}"
        call_command("restore_database", str(dump), url)
        after = {}
        for table in TABLES:
            out = subprocess.run(
                ["psql", *host, "-tAc", f"SELECT COUNT(*) FROM {table}", fresh],
                check=True, capture_output=True, text=True,
            )
            after[table] = int(out.stdout.strip())
        assert after == before
    finally:
        subprocess.run(["dropdb", *host, fresh], check=False)


@pytest.mark.django_db
def test_restore_refuses_to_overwrite_an_existing_database(tmp_path):
    existing = tmp_path / "live.sqlite3"
    existing.write_bytes(b"not empty")
    with pytest.raises(Exception, match="exists"):
        call_command("restore_database", str(existing), f"sqlite:///{existing}")
