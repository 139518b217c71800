"""The waitlist: when an appointment is cancelled, the first waiting patient whose wishes fit
is offered the freed time by e-mail, for `offer_hold` (domain: `offer_for`, `offer_expires_at`)."""

from __future__ import annotations

from datetime import datetime, time
from smtplib import SMTPException
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction

from backcare.care.models import Action, AuditEvent, Patient
from backcare.clinic import booking_data as data
from backcare.clinic.models import Appointment, Location, WaitlistEntry
from backcare.domain import booking as d
from backcare.domain.booking.inputs import WaitlistWishInput
from backcare.lib.mail import stable_message_id
from backcare.tasks import enqueue, retry_delay


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
    entry.offer_emailed_at = None
    entry.save(
        update_fields=[
            "offered_start",
            "offered_practitioner",
            "offer_expires_at",
            "offer_emailed_at",
        ]
    )
    from backcare.clinic.tasks import send_waitlist_offer

    enqueue(send_waitlist_offer, entry.pk)  # in this transaction: no offer, no e-mail
    return entry


def waiting_for(patient: Patient, appointment: Appointment) -> WaitlistEntry | None:
    """The patient's active wish for an earlier time than this appointment (same place, type)."""
    return (
        WaitlistEntry.objects.filter(
            patient=patient,
            location_id=appointment.location_id,
            appointment_type_id=appointment.appointment_type_id,
            is_active=True,
        )
        .select_related("practitioner__user")
        .first()
    )


def do_join_waitlist(
    actor: Any, patient: Patient, wish: WaitlistWishInput, *, now: datetime
) -> WaitlistEntry:
    """Join the waitlist with `wish` (already parsed), or change the wish already there for the
    same location and type: it keeps its place in the queue (joined_at). Audited."""
    fields = {
        "practitioner_id": wish.practitioner,
        "earliest": wish.earliest,
        "latest": wish.latest,
        "weekdays": sorted(int(d.Weekday[w.upper()]) for w in set(wish.weekdays)),
        "windows": [[f"{w.start:%H:%M}", f"{w.end:%H:%M}"] for w in wish.windows],
    }
    with transaction.atomic():
        entry = (
            WaitlistEntry.objects.select_for_update()
            .filter(
                patient=patient,
                location_id=wish.location,
                appointment_type_id=wish.appointment_type,
                is_active=True,
            )
            .first()
        )
        if entry is None:
            location = Location.objects.get(pk=wish.location)
            entry = WaitlistEntry.objects.create(
                clinic_id=location.clinic_id,
                patient=patient,
                location=location,
                appointment_type_id=wish.appointment_type,
                joined_at=now,
                **fields,
            )
        else:
            for name, value in fields.items():
                setattr(entry, name, value)
            entry.save(update_fields=[f.removesuffix("_id") for f in fields])
        AuditEvent.objects.create(
            actor=actor if getattr(actor, "is_authenticated", False) else None,
            patient=patient,
            action=Action.WAITLIST_JOINED,
            object_type="WaitlistEntry",
            object_id=entry.pk,
            details={},
            at=now,
        )
    return entry


def deliver_offer(entry_id: int, now: datetime) -> str:
    """The task's body: e-mail the open offer once (claimed first); a closed one is not sent.
    A failed send rolls the claim back and is retried with backoff."""
    from backcare.clinic.tasks import send_waitlist_offer

    try:
        with transaction.atomic():
            claimed = WaitlistEntry.objects.filter(
                pk=entry_id, offer_emailed_at__isnull=True, offer_expires_at__gt=now
            ).update(offer_emailed_at=now)
            if not claimed:
                return "nothing to send"
            entry = WaitlistEntry.objects.select_related("patient", "location").get(pk=entry_id)
            start, expires = entry.offered_start, entry.offer_expires_at
            if not entry.patient.email or start is None or expires is None:
                return "nothing to send"
            _offer_email(entry, start, expires).send()
    except (OSError, SMTPException):
        # The claim rolled back; try again a minute on while the offer is still open.
        retry_at = now + retry_delay(1)
        if WaitlistEntry.objects.filter(pk=entry_id, offer_expires_at__gt=retry_at).exists():
            enqueue(send_waitlist_offer, entry_id, run_after=retry_at)
        raise
    return "sent"


def _offer_email(entry: WaitlistEntry, start: datetime, expires: datetime) -> EmailMessage:
    from backcare.clinic.reminders import when_label_at

    location = entry.location
    theirs = (
        Appointment.objects.filter(
            patient_id=entry.patient_id,
            location_id=entry.location_id,
            appointment_type_id=entry.appointment_type_id,
            status=Appointment.Status.BOOKED,
            start__gt=start,
        )
        .order_by("start")
        .first()
    )
    where = f"/appointments/{theirs.pk}/waitlist/" if theirs else "/appointments/"
    base = getattr(settings, "SITE_URL", "http://127.0.0.1:8000").rstrip("/")
    ends = expires.astimezone(ZoneInfo(location.timezone))
    return EmailMessage(
        "An earlier appointment is free",
        f"{when_label_at(start, location.timezone)} at {location.name} is free. "
        f"This offer lasts until {ends:%H:%M} ({location.timezone}); the time is "
        "not held, so whoever books it first has it. Move your appointment to it at "
        f"{base}{where}",
        None,
        [entry.patient.email],
        headers={
            "Message-ID": stable_message_id(
                f"waitlist-offer-{entry.pk}", start.isoformat(), expires.isoformat()
            )
        },
    )


def do_leave_waitlist(patient: Patient, entry_id: int) -> bool:
    """Remove the patient's own wish; False when there was none of theirs by that id."""
    with transaction.atomic():
        deleted, _ = WaitlistEntry.objects.filter(pk=entry_id, patient=patient).delete()
    return deleted > 0


def wish_label(entry: WaitlistEntry) -> str:
    """ "Mondays and Fridays, 07:00-09:00 or 17:00-19:00, with anyone", in the location's clock."""
    names = ["Mondays", "Tuesdays", "Wednesdays", "Thursdays", "Fridays", "Saturdays", "Sundays"]
    days = [names[w] for w in sorted(entry.weekdays)] or ["any day"]
    day_words = days[0] if len(days) == 1 else ", ".join(days[:-1]) + " and " + days[-1]
    windows = [f"{a}–{b}" for a, b in entry.windows] or ["any time"]
    who = entry.practitioner.name if entry.practitioner_id else "anyone"
    return f"{day_words}, {' or '.join(windows)}, with {who}"


def offer_open(entry: WaitlistEntry | None, now: datetime) -> bool:
    return bool(
        entry is not None
        and entry.offered_start is not None
        and entry.offered_practitioner_id is not None
        and entry.offer_expires_at is not None
        and now < entry.offer_expires_at
    )


def do_take_offer(
    actor: Any, appointment: Appointment, entry: WaitlistEntry, *, now: datetime
) -> Appointment:
    """Move the appointment to the earlier time the patient was offered, and end the wish, in one
    transaction. The time was not held: BookingRefused if the offer is closed, SlotTaken if
    someone booked it first (the wish then stays)."""
    from backcare.clinic.booking_actions import BookingRefused, do_move

    start = entry.offered_start
    if start is None or not offer_open(entry, now):
        raise BookingRefused(["offer: there is no open offer of an earlier time"])
    with transaction.atomic():
        moved = do_move(
            actor,
            appointment,
            start=start,
            now=now,
            by_patient=True,
            practitioner=entry.offered_practitioner,
        )
        entry.delete()
    return moved
