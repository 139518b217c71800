"""Django's SQLite backend, with writers that wait their turn in the kernel instead of sleeping.

Every transaction begins with `BEGIN IMMEDIATE` (settings), so a second writer finds the one
write lock taken and SQLite's busy handler puts it to sleep: for 1, 2, 5, 10, 15 ms and so on,
however soon the lock comes free. Under load that sleeping, not the work, decides the rate.
Here a transaction first takes an exclusive `flock` on a file beside the database, given up at
commit, rollback or close: the next writer's `flock` returns the moment the first lets go, and
then its `BEGIN IMMEDIATE` finds the lock free. The kernel drops the flock of a process that
dies, even by SIGKILL, so a crash leaves no one waiting. SQLite's own lock still decides who
writes: a writer outside this backend (the `sqlite3` shell, a write outside a transaction) is
waited for by the busy handler as before.
"""

from __future__ import annotations

import fcntl
import os
from typing import Any

from django.db.backends.sqlite3 import base


class DatabaseWrapper(base.DatabaseWrapper):
    """SQLite, with an exclusive flock held from BEGIN to COMMIT or ROLLBACK (not in memory)."""

    _turn: int | None = None

    def _start_transaction_under_autocommit(self) -> None:
        self._take_turn()
        try:
            super()._start_transaction_under_autocommit()
        except BaseException:
            self._end_turn()
            raise

    def _commit(self) -> Any:
        try:
            return super()._commit()
        finally:
            self._end_turn()

    def _rollback(self) -> Any:
        try:
            return super()._rollback()
        finally:
            self._end_turn()

    def _close(self) -> Any:
        try:
            return super()._close()
        finally:
            self._end_turn()

    def _take_turn(self) -> None:
        if self._turn is not None or self.is_in_memory_db():
            return
        fd = os.open(f"{self.settings_dict['NAME']}.writer", os.O_RDWR | os.O_CREAT | os.O_CLOEXEC)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
        except BaseException:
            os.close(fd)
            raise
        self._turn = fd

    def _end_turn(self) -> None:
        fd, self._turn = self._turn, None
        if fd is not None:
            os.close(fd)  # closing the file gives up its flock
