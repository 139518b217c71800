"""The waitlist: when an appointment is cancelled, the first waiting patient whose wishes fit
is offered the freed time by e-mail, for `offer_hold` (domain: `offer_for`, `offer_expires_at`)."""

from __future__ import annotations

from datetime import datetime, time

from django.core.mail import send_mail

from backcare.clinic import booking_data as data
from backcare.clinic.models import Appointment, WaitlistEntry
from backcare.domain import booking as d


def _entry_value(e: WaitlistEntry) -> d.WaitlistEntry:
    return d.WaitlistEntry(
        id=e.pk,
        patient_id=e.patient_id,
        joined_at=e.joined_at,
        location_id=e.location_id,
        appointment_type_id=e.appointment_type_id,
        practitioner_id=e.practitioner_id,
        earliest=e.earliest,
        latest=e.latest,
        weekdays=frozenset(d.Weekday(w) for w in e.weekdays),
        windows=tuple(
            d.TimeRange(time.fromisoformat(a), time.fromisoformat(b)) for a, b in e.windows
        ),
    )


def offer_freed(appointment: Appointment, now: datetime) -> WaitlistEntry | None:
    rules = data.rules_for(appointment.clinic_id)
    expires = d.offer_expires_at(appointment.start, now, rules)
    if expires is None:
        return None
    slot = d.FreeSlot(
        start=appointment.start,
        end=appointment.end,
        local_start=appointment.start.astimezone(data.location_value(appointment.location).zone),
        zone=appointment.location.timezone,
        location_id=appointment.location_id,
        appointment_type_id=appointment.appointment_type_id,
        practitioner_ids=(appointment.practitioner_id,),
    )
    rows = {
        e.pk: e
        for e in WaitlistEntry.objects.filter(
            location_id=appointment.location_id, is_active=True, offer_expires_at__isnull=True
        ).exclude(patient_id=appointment.patient_id)
    }
    waiting = [_entry_value(e) for e in rows.values()]
    bookings = data.bookings_near(
        practitioner_ids=[],
        patient_id=None,
        after=appointment.start,
        before=appointment.end,
    )
    offer = d.offer_for(slot, waiting, bookings)
    if offer is None:
        return None
    entry = rows[offer.entry.id]
    entry.offered_start = appointment.start
    entry.offered_practitioner_id = offer.practitioner_id
    entry.offer_expires_at = expires
    entry.save(update_fields=["offered_start", "offered_practitioner", "offer_expires_at"])
    from backcare.clinic.reminders import when_label

    if entry.patient.email:
        send_mail(
            "An earlier appointment is free",
            f"{when_label(appointment)} at {appointment.location.name} is free. "
            f"It is kept for you until {expires:%H:%M} UTC: book it at /appointments/.",
            None,
            [entry.patient.email],
        )
    return entry
