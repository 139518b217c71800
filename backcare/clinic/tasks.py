"""The clinic's background tasks (run by the task worker; see backcare/tasks.py).

Each task takes only row ids, reads the clock when it runs, and is safe to run twice."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task


@task()
def send_appointment_message(message_id: int) -> str:
    """Send one confirmation or reminder e-mail, once; a failure is retried with backoff."""
    from backcare.clinic import reminders

    return reminders.deliver(message_id, timezone.now())


@task()
def send_waitlist_offer(entry_id: int) -> str:
    """E-mail a waiting patient the earlier time they were offered, once, while it is open."""
    from backcare.clinic import waitlist

    return waitlist.deliver_offer(entry_id, timezone.now())


@task()
def deliver_webhook(delivery_id: int) -> str:
    """POST one webhook delivery to the clinic's endpoint, signed; retried with backoff."""
    from backcare.clinic import webhooks

    return webhooks.deliver(delivery_id, timezone.now())


PURGE_EVERY_SECONDS = 3600


@task()
def purge_anonymous_checks() -> str:
    """Delete unclaimed anonymous checks (as `manage.py purge_anonymous_checks` does), then queue
    itself again an hour on: the worker keeps the purge going while it runs."""
    from datetime import timedelta

    from backcare.care.actions import do_purge_anonymous_checks
    from backcare.tasks import enqueue

    now = timezone.now()
    done = do_purge_anonymous_checks(now=now)
    enqueue(purge_anonymous_checks, run_after=now + timedelta(seconds=PURGE_EVERY_SECONDS))
    return f"removed {done.checks}"


def keep_purging() -> bool:
    """Queue the hourly purge unless one is waiting already (database backend); True if queued."""
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from backcare.tasks import in_transaction_of_caller

    if not in_transaction_of_caller():
        return False  # on RQ, run `manage.py purge_anonymous_checks` from cron
    waiting = DBTaskResult.objects.filter(
        task_path=purge_anonymous_checks.module_path, status=TaskResultStatus.READY
    )
    if waiting.exists():
        return False
    purge_anonymous_checks.enqueue()
    return True
