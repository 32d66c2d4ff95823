"""SQLite whose writers queue in the operating system instead of sleeping.

SQLite lets one writer at a time hold its write lock. A connection that finds it
taken does not queue: SQLite's busy handler sleeps in growing steps (1, 2, 5 … up
to 100 ms) and tries again, so under exam-day load a save that needs 10 ms of
work now and then waits seconds while newer writers slip in ahead of it.

Here every write transaction (Django's ``atomic()``, which begins with
``BEGIN IMMEDIATE`` on this project) first takes an exclusive ``flock`` on a
small file beside the database, and gives it back at commit or rollback. A
waiter polls that lock every millisecond at most (never SQLite's 100 ms naps),
so writers from every worker process and thread take turns within a millisecond
of each other. The wait is bounded by the
connection's ``timeout``: after it, the transaction goes on to SQLite's own lock
and busy handler as before (and "database is locked" if that fails too), so a
stuck holder can never hang a request for ever.

In-memory databases are left alone (they have one connection and no other
process). Single-statement writes outside ``atomic()`` still rely on SQLite's
busy handler; the answer, hand-in and session paths all run in ``atomic()``.
"""

from __future__ import annotations

import errno
import fcntl
import os
import time

from django.db.backends.sqlite3 import base as sqlite_base

# Poll the lock quickly: a waiter is told within ~1 ms that it is free.
_POLL_SECONDS = (0.0002, 0.0005, 0.001)


class DatabaseWrapper(sqlite_base.DatabaseWrapper):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._write_lock_fd: int | None = None
        self._write_lock_held = False
        self._write_lock_pid = 0

    # -- connection life ---------------------------------------------------
    def get_new_connection(self, conn_params):
        connection = super().get_new_connection(conn_params)
        self._close_write_lock()
        if not self.is_in_memory_db():
            path = f"{os.fspath(self.settings_dict['NAME'])}-writelock"
            self._write_lock_fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
            self._write_lock_pid = os.getpid()
        return connection

    def _close(self):
        try:
            super()._close()
        finally:
            self._close_write_lock()

    def _close_write_lock(self) -> None:
        self._release_write_lock()
        if self._write_lock_fd is not None:
            os.close(self._write_lock_fd)
            self._write_lock_fd = None

    # -- write transactions ------------------------------------------------
    def _start_transaction_under_autocommit(self):
        self._acquire_write_lock()
        try:
            super()._start_transaction_under_autocommit()
        except BaseException:
            self._release_write_lock()
            raise

    def _commit(self):
        try:
            return super()._commit()
        finally:
            self._release_write_lock()

    def _rollback(self):
        try:
            return super()._rollback()
        finally:
            self._release_write_lock()

    def _set_autocommit(self, autocommit):
        super()._set_autocommit(autocommit)
        if autocommit:
            # Back in autocommit mode, whatever ended the transaction.
            self._release_write_lock()

    def _acquire_write_lock(self) -> None:
        fd = self._write_lock_fd
        if fd is None or self._write_lock_held:
            return
        if self._write_lock_pid != os.getpid():
            # Opened before a fork (gunicorn --preload): a child must not share the
            # parent's open file, or parent and children would hold "one" lock together.
            fd = self._write_lock_fd = os.open(
                f"{os.fspath(self.settings_dict['NAME'])}-writelock", os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600
            )
            self._write_lock_pid = os.getpid()
        timeout = float(self.settings_dict.get("OPTIONS", {}).get("timeout", 5))
        deadline = time.monotonic() + timeout
        step = 0
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as error:
                if error.errno not in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                    raise
                if time.monotonic() >= deadline:
                    return  # SQLite's own busy handler decides from here.
                time.sleep(_POLL_SECONDS[min(step, len(_POLL_SECONDS) - 1)])
                step += 1
                continue
            self._write_lock_held = True
            return

    def _release_write_lock(self) -> None:
        if self._write_lock_held and self._write_lock_fd is not None:
            fcntl.flock(self._write_lock_fd, fcntl.LOCK_UN)
        self._write_lock_held = False
