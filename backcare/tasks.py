"""Background work through Django's Tasks API (the django-tasks backport on Django 5.2).

One setting, `BACKCARE_TASKS`, picks where tasks wait:
- `database` (the default): django-tasks-db keeps each task as a row in backcare's own database,
  written in the caller's transaction, so a booking and its confirmation commit or vanish
  together; `manage.py db_worker` (started by `make run`) runs them.
- `rq`: the same tasks on RQ over Redis (`manage.py rqworker default --with-scheduler`), for a
  clinic whose app servers span machines. Redis is not in the database's transaction, so the job
  is queued once the transaction commits; the rows a task works on (appointment messages,
  webhook deliveries) stay in the database, and `manage.py send_booking_messages --once` sweeps
  up anything due that a lost job left unsent.
- `immediate`: runs the task at once, in the request (tests of the task bodies only).

Every task is safe to run twice: it claims its row with a conditional UPDATE before it acts.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import transaction

# A failed delivery waits 1, 2, 4, ... minutes before the next try, at most an hour apart, and
# gives up after this many tries (the row keeps the last error for the clinic to see).
MAX_ATTEMPTS = 8
FIRST_DELAY = timedelta(minutes=1)
LONGEST_DELAY = timedelta(hours=1)


def retry_delay(attempts: int) -> timedelta:
    """How long to wait after the `attempts`-th failed try (1, 2, ...): doubling, capped."""
    if attempts < 1:
        raise ValueError("attempts: must be 1 or more")
    return min(FIRST_DELAY * (2 ** (attempts - 1)), LONGEST_DELAY)


def in_transaction_of_caller() -> bool:
    """Whether the configured backend stores tasks in backcare's database (same transaction)."""
    from django_tasks import task_backends
    from django_tasks_db.backend import DatabaseBackend

    return isinstance(task_backends["default"], DatabaseBackend)


def enqueue(task: Any, *args: Any, run_after: datetime | None = None) -> None:
    """Queue `task(*args)` to run at `run_after` (or as soon as a worker is free).

    On the database backend the task row joins the caller's transaction; elsewhere the job is
    queued once that transaction commits, so a rolled-back booking never sends anything."""
    bound = task.using(run_after=run_after) if run_after is not None else task
    if in_transaction_of_caller():
        bound.enqueue(*args)
    else:
        transaction.on_commit(lambda: bound.enqueue(*args))


# A task still marked running this long after it started is taken to belong to a worker that died
# (SIGKILL, a lost host) and is made ready again. Every task is safe to run twice, so a slow task
# that is really still running costs nothing but a second, empty run.
LEASE = timedelta(minutes=15)


def worker_id(host: str, pid: int) -> str:
    """The id a database worker claims its tasks under: this host and process (at most 64)."""
    return f"{host[:40]}:{pid}"


def dead_here(claimed_by: str, host: str) -> bool:
    """Whether `claimed_by` names a process of this host that no longer runs."""
    import os

    name, _, pid = claimed_by.rpartition(":")
    if name != host[:40] or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def recover_stalled(now: datetime, *, host: str, mine: str = "") -> int:
    """Make ready again the tasks a dead worker left marked running, so they run at all: those
    claimed by a process of this host that is gone (a worker killed and restarted), and any
    running longer than LEASE (a worker on a host that is gone), and those claimed under `mine`
    (this process's own id, when its worker loop starts again and so runs none). Returns how
    many."""
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    running = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING)
    stalled = [
        pk
        for pk, started, ids in running.values_list("pk", "started_at", "worker_ids")
        if (started is not None and started < now - LEASE)
        or (ids and (str(ids[-1]) == mine or dead_here(str(ids[-1]), host)))
    ]
    if not stalled:
        return 0
    # Only rows still running: one another worker finished meanwhile stays finished.
    return running.filter(pk__in=stalled).update(status=TaskResultStatus.READY, started_at=None)
