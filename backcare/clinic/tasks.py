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
