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
