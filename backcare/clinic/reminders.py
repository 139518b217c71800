"""Messages about an appointment: the confirmation at once and the reminder before it.

`schedule` records both rows (due times) in the booking's own transaction and queues a task for
each to run when it is due (backcare/tasks.py: on the database backend the task rows join that
transaction). The task (`deliver`) sends its row once: it claims the row with a conditional
UPDATE (sent_at IS NULL, due_at passed), so two workers never send the same message, a stale task
for a moved appointment sends nothing early, and a cancelled appointment's reminder is skipped.
The claim commits before sending and is cleared after (`send_one`). A failed send releases the
claim and is tried again with backoff. `send_due` sweeps up every
due, unsent row (for a queue that lost a job). Each e-mail carries an .ics with the instants in
UTC and the location's zone named in the text, and a Message-ID of its row, the same on every
try, so a retry after a kill is not delivered twice (backcare/lib/mail.py).
"""

from __future__ import annotations

import os
import socket
import time
from datetime import UTC, datetime
from smtplib import SMTPException

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import InterfaceError, OperationalError, close_old_connections, transaction
from django.db.models import F

from backcare.clinic import booking_data as data
from backcare.clinic.models import Appointment, AppointmentMessage
from backcare.domain import booking as d
from backcare.lib.mail import stable_message_id
from backcare.lib.timezones import zone
from backcare.tasks import MAX_ATTEMPTS, enqueue, retry_delay, worker_id


def schedule(
    appointment: Appointment,
    now: datetime,
    *,
    fresh: bool = False,
    rules: d.BookingRules | None = None,
) -> None:
    """The confirmation now and the reminder before the start, as message rows with their
    tasks, in the caller's transaction. `fresh`: a new appointment, which has no rows yet, so
    they are inserted together rather than looked up one by one. `rules`: the clinic's, when the
    caller has read them already."""
    rules = rules or data.rules_for(appointment.clinic_id)
    wanted = [(AppointmentMessage.Kind.CONFIRMATION, now)]
    due = d.reminder_due_at(appointment.start, rules, booked_at=now)
    if due is not None:
        wanted.append((AppointmentMessage.Kind.REMINDER, due))
    if fresh:
        rows = AppointmentMessage.objects.bulk_create(
            AppointmentMessage(appointment=appointment, kind=kind, due_at=at) for kind, at in wanted
        )
    else:
        rows = [
            AppointmentMessage.objects.update_or_create(
                appointment=appointment,
                kind=kind,
                defaults={"due_at": at, "sent_at": None, "attempts": 0, "last_error": ""},
            )[0]
            for kind, at in wanted
        ]
    from backcare.clinic.tasks import send_appointment_message

    for row in rows:
        enqueue(
            send_appointment_message, row.pk, run_after=row.due_at if row.due_at > now else None
        )


def reschedule(appointment: Appointment, now: datetime) -> None:
    """A moved appointment: a new confirmation, and the reminder at its new time."""
    AppointmentMessage.objects.filter(
        appointment=appointment, kind=AppointmentMessage.Kind.REMINDER, sent_at__isnull=True
    ).delete()
    schedule(appointment, now)


def ics(appointment: Appointment) -> bytes:
    from icalendar import Calendar, Event

    cal = Calendar()
    cal.add("prodid", "-//backcare//booking//EN")
    cal.add("version", "2.0")
    event = Event()
    event.add("uid", f"appointment-{appointment.pk}@backcare")
    event.add("dtstamp", appointment.booked_at)
    event.add("dtstart", appointment.start)  # aware UTC: no zone arithmetic by hand
    event.add("dtend", appointment.end)
    event.add("summary", f"{appointment.appointment_type.name} at {appointment.location.name}")
    event.add("location", appointment.location.address or appointment.location.name)
    if appointment.video_link:
        event.add("url", appointment.video_link)
    cal.add_component(event)
    return cal.to_ical()


def when_label(appointment: Appointment) -> str:
    return when_label_at(appointment.start, appointment.location.timezone)


def when_label_at(start: datetime, timezone: str) -> str:
    local = start.astimezone(zone(timezone))
    return f"{local:%A %d %B %Y, %H:%M} {local.tzname()} ({timezone})"


def message_id(row: AppointmentMessage) -> str:
    """The row, the due time it was made for (to the microsecond) and the appointment's time and
    practitioner: the same on every try of this message, so the outbox delivers it once
    (backcare/lib/mail.py), and new for the confirmation of a move, however soon it comes."""
    a = row.appointment
    due = row.due_at.astimezone(UTC)
    return stable_message_id(
        f"{row.kind}-{row.pk}",
        f"{due:%Y%m%dT%H%M%S%f}",
        f"{a.start.astimezone(UTC):%Y%m%dT%H%M}",
        a.practitioner_id,
    )


def _message(row: AppointmentMessage) -> EmailMessage:
    """The e-mail for a message row, with its Message-ID (`message_id`)."""
    appointment, kind = row.appointment, row.kind
    base = getattr(settings, "SITE_URL", "http://127.0.0.1:8000")
    subject = ("Booked: " if kind == "confirmation" else "Reminder: ") + (
        f"{appointment.appointment_type.name}, {when_label(appointment)}"
    )
    body = (
        f"{appointment.appointment_type.name} with {appointment.practitioner.name}\n"
        f"{when_label(appointment)}\n"
        f"{appointment.location.name}, {appointment.location.address}\n"
        f"Phone: {appointment.location.phone}\n\n"
        f"Change or cancel: {base}/appointments/{appointment.pk}/\n"
    )
    email = EmailMessage(
        subject,
        body,
        to=[appointment.patient.email],
        headers={"Message-ID": message_id(row)},
    )
    email.attach("appointment.ics", ics(appointment), "text/calendar")
    return email


def send_due(now: datetime) -> int:
    """Send every due, unsent message once (the sweep); returns how many went out."""
    sent = 0
    due = AppointmentMessage.objects.filter(
        sent_at__isnull=True, due_at__lte=now, attempts__lt=MAX_ATTEMPTS
    )
    for message_id in list(due.values_list("pk", flat=True)):
        try:
            sent += send_one(message_id, now)
        except (OSError, SMTPException) as exc:
            _failed(message_id, now, exc)  # the next sweep or its retry task tries again
    return sent


def deliver(message_id: int, now: datetime) -> str:
    """The task's body: send the row once; on failure, record it and queue a retry with backoff,
    then re-raise so the worker marks this try failed."""
    from backcare.clinic.tasks import send_appointment_message

    try:
        return "sent" if send_one(message_id, now) else "nothing to send"
    except (OSError, SMTPException) as exc:
        attempts = _failed(message_id, now, exc)
        if attempts < MAX_ATTEMPTS:
            enqueue(send_appointment_message, message_id, run_after=now + retry_delay(attempts))
        raise


def _failed(message_id: int, now: datetime, exc: BaseException) -> int:
    AppointmentMessage.objects.filter(pk=message_id).update(
        attempts=F("attempts") + 1, last_error=f"{now:%Y-%m-%d %H:%M}Z {exc}"[:300]
    )
    row = AppointmentMessage.objects.filter(pk=message_id).values("attempts").first()
    return row["attempts"] if row else MAX_ATTEMPTS


def send_one(message_id: int, now: datetime) -> int:
    """Send the row once. The claim commits before the e-mail goes, and the claim's worker id is
    cleared in a transaction that holds the row (and, on SQLite, the write lock) before sending
    and commits just after: a database lost meanwhile (a PostgreSQL restart) is waited out here
    rather than rolling back and sending again on the next try. What is left is a process killed
    between sending and that commit (about a millisecond): the next run of the task sees the
    claim of a dead process and sends again, with the same Message-ID, which the outbox has
    delivered already (backcare/lib/mail.py): never lost, and in the outbox once."""
    worker = worker_id(socket.gethostname(), os.getpid())
    row = _claim(message_id, now, worker)
    if row is None:
        return 0  # sent already, another worker has it, or not due (a moved appointment)
    a = row.appointment
    if (
        row.kind == AppointmentMessage.Kind.REMINDER
        and (a.status != Appointment.Status.BOOKED or now >= a.start)
    ) or not a.patient.email:
        _sent(message_id, worker)
        return 0  # cancelled, past or nowhere to send: never sent, stays claimed
    email = _message(row)
    sent = False
    try:
        with transaction.atomic():
            # Locks first, so that the commit after sending waits for nothing.
            AppointmentMessage.objects.filter(pk=message_id, claimed_by=worker).update(
                claimed_by=""
            )
            email.send()
            sent = True
    except (OSError, SMTPException):
        AppointmentMessage.objects.filter(pk=message_id, claimed_by=worker).update(
            sent_at=None, claimed_by=""
        )  # not sent: free for the retry
        raise
    except (OperationalError, InterfaceError):
        if not sent:
            raise  # nothing went: the claim of this (then restarted) worker is taken over
        _sent(message_id, worker)  # it went, and only the commit was lost
    return 1


def _claim(message_id: int, now: datetime, worker: str) -> AppointmentMessage | None:
    """Claim the row for `worker` (committed), or take over the claim of a worker that died
    while sending it; the row with what the e-mail needs, or None."""
    with transaction.atomic():
        rows = AppointmentMessage.objects.filter(pk=message_id)
        claimed = rows.filter(sent_at__isnull=True, due_at__lte=now).update(
            sent_at=now, claimed_by=worker
        )
        if not claimed:
            left = rows.exclude(claimed_by="").values_list("claimed_by", "sent_at").first()
            if left is None or not _abandoned(left[0], left[1], now, worker):
                return None
            if not rows.filter(claimed_by=left[0]).update(claimed_by=worker):
                return None
        return AppointmentMessage.objects.select_related(
            "appointment__location",
            "appointment__appointment_type",
            "appointment__patient",
            "appointment__practitioner__user",
        ).get(pk=message_id)


def _abandoned(claimed_by: str, claimed_at: datetime | None, now: datetime, worker: str) -> bool:
    """Whether a claim was left by a process that is gone, or by this one in an earlier try that
    failed before sending (the database lost between claiming and sending: the worker's loop
    starts again and runs the task again), or is older than any send takes."""
    from backcare.tasks import LEASE, dead_here

    return (
        claimed_by == worker
        or dead_here(claimed_by, socket.gethostname())
        or (claimed_at is not None and claimed_at < now - LEASE)
    )


def _sent(message_id: int, worker: str, *, wait: float = 0.5) -> None:
    """Clear the claim: the e-mail has gone. Until the database answers again this process
    waits (it alone knows the e-mail went), instead of failing the task and sending twice."""
    while True:
        try:
            AppointmentMessage.objects.filter(pk=message_id, claimed_by=worker).update(
                claimed_by=""
            )
            return
        except (OperationalError, InterfaceError):
            close_old_connections()  # a dead connection is closed; the next try opens one
            time.sleep(wait)
