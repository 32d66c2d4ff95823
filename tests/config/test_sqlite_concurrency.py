"""SQLite, as configured, lets many officers save at once without "database is locked"."""

import threading

import pytest
from django.db import connection, connections, transaction

from officers.models import Officer, Unit

pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="SQLite settings only"
)


@pytest.mark.django_db(transaction=True)
def test_concurrent_read_then_write_transactions_all_land():
    unit = Unit.objects.create(name="并发测试所", kind="police_station")
    officers = [
        Officer.objects.create(police_number=f"{800000 + i:06d}", name=f"民警{i}", unit=unit)
        for i in range(8)
    ]
    errors, writes_per_thread = [], 25
    barrier = threading.Barrier(len(officers))

    def worker(officer_id):
        try:
            barrier.wait()
            for i in range(writes_per_thread):
                # Read, then write, in one transaction: the pattern that fails with
                # SQLite's default deferred transactions under concurrent writers.
                with transaction.atomic():
                    me = Officer.objects.get(pk=officer_id)
                    me.name = f"{me.name.split('#')[0]}#{i}"
                    me.save(update_fields=["name"])
                    Unit.objects.create(name=f"单位{officer_id}-{i}", kind="other")
        except Exception as error:  # collected and asserted below
            errors.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(o.id,)) for o in officers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert Unit.objects.filter(kind="other").count() == len(officers) * writes_per_thread
    assert all(o.name.endswith(f"#{writes_per_thread - 1}") for o in Officer.objects.filter(unit=unit))


@pytest.mark.django_db
def test_sqlite_pragmas_are_in_force():
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] >= 5000
    assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


def _second_connection(*, timeout: float, busy_timeout_ms: int):
    """Another connection to the test database, as another worker process would open."""
    from config.db.sqlite3.base import DatabaseWrapper

    settings_dict = {**connection.settings_dict}
    options = {**settings_dict["OPTIONS"], "timeout": timeout}
    options["init_command"] = options["init_command"].replace(
        "PRAGMA busy_timeout=20000;", f"PRAGMA busy_timeout={busy_timeout_ms};"
    )
    settings_dict["OPTIONS"] = options
    return DatabaseWrapper(settings_dict, alias="second")


def _hold_write_transaction(held: threading.Event, seconds: float):
    import time

    with transaction.atomic():
        Unit.objects.create(name="持锁", kind="other")
        held.set()
        time.sleep(seconds)
    connections.close_all()


@pytest.mark.django_db(transaction=True)
def test_a_writer_queues_for_the_lock_instead_of_failing():
    """SQLite alone (busy timeout 0) would fail at once with "database is locked"; the
    writer instead waits its turn on the lock file and lands as soon as it is free."""
    import time

    Unit.objects.create(name="预热", kind="other")  # the tables exist in the file
    held = threading.Event()
    holder = threading.Thread(target=_hold_write_transaction, args=(held, 0.4))
    holder.start()
    held.wait(5)
    second = _second_connection(timeout=5, busy_timeout_ms=0)
    try:
        started = time.monotonic()
        second.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)
        with second.cursor() as cursor:
            cursor.execute(
                "INSERT INTO officers_unit (name, kind, parent_id) VALUES ('排队', 'other', NULL)"
            )
        second.commit()
        second.set_autocommit(True)
        waited = time.monotonic() - started
    finally:
        second.close()
        holder.join()
    assert Unit.objects.filter(name="排队").count() == 1
    assert 0.2 <= waited < 3


@pytest.mark.django_db(transaction=True)
def test_a_stuck_holder_never_hangs_a_writer():
    """The wait is bounded by the connection's timeout; then SQLite's own lock decides."""
    import time

    from django.db.utils import OperationalError

    Unit.objects.create(name="预热", kind="other")
    held = threading.Event()
    holder = threading.Thread(target=_hold_write_transaction, args=(held, 1.5))
    holder.start()
    held.wait(5)
    second = _second_connection(timeout=0.3, busy_timeout_ms=0)
    try:
        started = time.monotonic()
        with pytest.raises(OperationalError, match="locked"):
            second.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)
        waited = time.monotonic() - started
        assert second._write_lock_held is False
    finally:
        second.close()
        holder.join()
    assert 0.25 <= waited < 1.2
