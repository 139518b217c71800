"""Demo booking data for `seed_demo`: appointment types, opening and working hours at each of the
clinic's locations, a week of leave and a few appointments, so /book/ and the day view are lived-in.

`demo_booking(clinic, staff, now=...)` is idempotent: it does nothing when the clinic already has
appointment types. The lead wires it into seed_demo.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, time, timedelta

from django.utils import timezone

from backcare.accounts.models import StaffMember
from backcare.care.models import Patient
from backcare.clinic.booking_actions import BookingRefused, SlotTaken, do_book, free_slots_for
from backcare.clinic.models import (
    AppointmentType,
    AvailabilityException,
    Break,
    Clinic,
    ClinicBookingSettings,
    OpeningHours,
    WorkingHours,
)
from backcare.lib.timezones import zone

TYPES = [
    ("Initial assessment", "initial", 45, 15, 11000),
    ("Follow-up", "follow_up", 30, 0, 8500),
    ("Treatment session", "treatment", 30, 10, 9000),
    ("Telehealth review", "telehealth", 20, 0, 7000),
]


def demo_booking(clinic: Clinic, staff: Sequence[StaffMember], now: datetime | None = None) -> int:
    """Returns how many appointments it booked."""
    now = now or timezone.now()
    if AppointmentType.objects.filter(clinic=clinic).exists():
        return 0
    ClinicBookingSettings.objects.get_or_create(clinic=clinic)
    physios = [s for s in staff if s.role == "physio"]
    types = []
    for name, kind, minutes, buffer, cents in TYPES:
        t = AppointmentType.objects.create(
            clinic=clinic,
            name=name,
            kind=kind,
            duration_minutes=minutes,
            buffer_minutes=buffer,
            price_cents=cents,
        )
        t.givers.set(physios)
        types.append(t)
    locations = list(clinic.locations.order_by("pk"))
    for n, loc in enumerate(locations):
        for day in range(6):
            OpeningHours.objects.create(
                location=loc, weekday=day, start=time(8), end=time(18 if day < 5 else 13)
            )
        for i, physio in enumerate(physios):
            if i % max(len(locations), 1) != n:
                continue
            for day in range(5):
                h = WorkingHours.objects.create(
                    staff=physio, location=loc, weekday=day, start=time(9), end=time(17)
                )
                Break.objects.create(hours=h, start=time(12, 30), end=time(13, 15))
    if physios:
        today = now.astimezone(zone(locations[0].timezone if locations else "UTC")).date()
        AvailabilityException.objects.create(
            staff=physios[-1],
            kind=AvailabilityException.Kind.LEAVE,
            first_day=today + timedelta(days=21),
            last_day=today + timedelta(days=27),
            reason="Annual leave",
        )
    booked = 0
    patients = list(Patient.objects.filter(clinic=clinic).order_by("pk")[:8])
    if not locations or not patients:
        return 0
    loc = locations[0]
    today = now.astimezone(zone(loc.timezone)).date()
    slots = free_slots_for(
        loc, types[1], first_day=today, last_day=today + timedelta(days=7), now=now
    )
    for patient, slot in zip(patients, slots[::5], strict=False):
        try:
            do_book(
                None,
                patient=patient,
                practitioner=StaffMember.objects.get(pk=slot.practitioner_ids[0]),
                location=loc,
                appointment_type=types[1],
                start=slot.start,
                now=now,
                reason="Follow-up of the programme",
            )
            booked += 1
        except (BookingRefused, SlotTaken):
            continue
    return booked
