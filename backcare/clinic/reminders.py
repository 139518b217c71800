"""Messages about an appointment: the confirmation at once and the reminder before it.

`schedule` records both rows (due times) in the booking's own transaction; `send_due` sends each
due row once: it claims the row with a conditional UPDATE (sent_at IS NULL), so two workers never
send the same message, and a cancelled appointment's reminder is skipped. Each e-mail carries an
.ics with the instants in UTC and the location's zone named in the text.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction

from backcare.clinic import booking_data as data
from backcare.clinic.models import Appointment, AppointmentMessage
from backcare.domain import booking as d
from backcare.lib.timezones import zone


def schedule(appointment: Appointment, now: datetime) -> None:
    rules = data.rules_for(appointment.clinic_id)
    AppointmentMessage.objects.update_or_create(
        appointment=appointment,
        kind=AppointmentMessage.Kind.CONFIRMATION,
        defaults={"due_at": now, "sent_at": None},
    )
    due = d.reminder_due_at(appointment.start, rules, booked_at=now)
    if due is not None:
        AppointmentMessage.objects.update_or_create(
            appointment=appointment,
            kind=AppointmentMessage.Kind.REMINDER,
            defaults={"due_at": due, "sent_at": None},
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
    local = appointment.start.astimezone(zone(appointment.location.timezone))
    return f"{local:%A %d %B %Y, %H:%M} {local.tzname()} ({appointment.location.timezone})"


def _message(appointment: Appointment, kind: str) -> EmailMessage:
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
    email = EmailMessage(subject, body, to=[appointment.patient.email])
    email.attach("appointment.ics", ics(appointment), "text/calendar")
    return email


def send_due(now: datetime) -> int:
    """Send every due, unsent message once; returns how many went out."""
    sent = 0
    due = AppointmentMessage.objects.filter(sent_at__isnull=True, due_at__lte=now)
    for message_id in list(due.values_list("pk", flat=True)):
        sent += send_one(message_id, now)
    return sent


def send_one(message_id: int, now: datetime) -> int:
    with transaction.atomic():
        claimed = AppointmentMessage.objects.filter(pk=message_id, sent_at__isnull=True).update(
            sent_at=now
        )
        if not claimed:
            return 0  # another worker has it
        row = AppointmentMessage.objects.select_related(
            "appointment__location",
            "appointment__appointment_type",
            "appointment__patient",
            "appointment__practitioner__user",
        ).get(pk=message_id)
        a = row.appointment
        if row.kind == AppointmentMessage.Kind.REMINDER and (
            a.status != Appointment.Status.BOOKED or now >= a.start
        ):
            return 0  # cancelled or past: never sent, stays claimed
        if not a.patient.email:
            return 0
        _message(a, row.kind).send()  # a failure rolls the claim back, so it is retried
    return 1
