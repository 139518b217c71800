"""Demo booking data for `seed_demo`: 23 locations across Australia's time zones, 40
practitioners with weekly hours, breaks and some leave, and a few weeks of appointments (the
last fortnight attended or missed, the next three weeks booked), so /book/, the location pages
and the day views are lived-in.

`demo_booking(clinic, staff, now=...)` is idempotent and quick on a database that has it: it
only tops the appointments up to three weeks ahead. Sample appointments are written as rows
(no confirmation or reminder e-mails about sample people); the demo physiotherapist's own eight
follow-ups are booked through `do_book`, as before, so their queue shows the same next visits.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from backcare.accounts.models import Role, StaffMember, User
from backcare.care.models import Patient
from backcare.clinic.booking_actions import BookingRefused, SlotTaken, do_book, free_slots_for
from backcare.clinic.demo_appointments import (
    AHEAD_DAYS,
    DOMAIN,
    Diary,
    latest_sample_start,
    sample_patients,
)
from backcare.clinic.demo_places import (
    FIRST,
    LAST,
    OPENING,
    PATTERNS,
    PLACES,
)
from backcare.clinic.models import (
    Appointment,
    AppointmentType,
    AvailabilityException,
    Break,
    Clinic,
    ClinicBookingSettings,
    Location,
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
SAMPLE = "demo-physio-"


def demo_booking(clinic: Clinic, staff: Sequence[StaffMember], now: datetime | None = None) -> int:
    """Returns how many appointments it added (0 when everything is already there)."""
    now = now or timezone.now()
    if _complete(clinic, now):
        return 0
    with transaction.atomic():
        ClinicBookingSettings.objects.get_or_create(clinic=clinic)
        locations = _locations(clinic)
        demo_physios = [s for s in staff if s.role == Role.PHYSIO]
        practitioners = demo_physios + _sample_practitioners(clinic, locations)
        types = _types(clinic, practitioners)
        _hours(practitioners, demo_physios, locations, now)
    booked = _first_follow_ups(clinic, demo_physios, locations, types, now)
    with transaction.atomic():
        booked += _lived_in(clinic, practitioners, locations, types, now)
    return booked


def _complete(clinic: Clinic, now: datetime) -> bool:
    """Everything is there and sample appointments already run three weeks ahead."""
    if not User.objects.filter(username=f"{SAMPLE}{len(FIRST):02d}").exists():
        return False
    latest = latest_sample_start(clinic)
    return latest is not None and latest >= now + timedelta(days=AHEAD_DAYS - 1)


def _locations(clinic: Clinic) -> list[Location]:
    out = []
    for p in PLACES:
        loc, _ = Location.objects.get_or_create(
            clinic=clinic, name=p.name, defaults={"timezone": p.timezone, "region": "AU"}
        )
        fields = {"address": p.address, "suburb": p.suburb, "postcode": p.postcode}
        fields |= {"phone": p.phone, "timezone": p.timezone, "region": "AU"}
        if any(getattr(loc, k) != v for k, v in fields.items()):
            Location.objects.filter(pk=loc.pk).update(**fields)
            loc.refresh_from_db()
        if not loc.opening_hours.exists():
            OpeningHours.objects.bulk_create(
                OpeningHours(location=loc, weekday=day, start=_t(a), end=_t(b))
                for day, (a, b) in OPENING[p.hours].items()
            )
        out.append(loc)
    return out


def _t(text: str) -> time:
    return time.fromisoformat(text)


def _sample_practitioners(clinic: Clinic, locations: list[Location]) -> list[StaffMember]:
    """38 practitioners beside the demo's two (they cannot log in: no password, no device)."""
    out = []
    for i, (first, last) in enumerate(zip(FIRST, LAST, strict=True)):
        username = f"{SAMPLE}{i + 1:02d}"
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(
                username=username,
                first_name=first,
                last_name=last,
                email=f"{username}@demo.backcare.invalid",
                timezone=locations[_home(i)].timezone,
                is_demo=True,
            )
            user.set_unusable_password()
            user.save()
        member, _ = StaffMember.objects.get_or_create(
            user=user, defaults={"clinic": clinic, "role": Role.PHYSIO, "title": "APAM"}
        )
        out.append(member)
    return out


def _home(i: int) -> int:
    """Sample practitioner i's home location: the 21 others first, then a second at 17 more."""
    return (i + 2) % len(PLACES)


def _types(clinic: Clinic, practitioners: list[StaffMember]) -> list[AppointmentType]:
    types = []
    for name, kind, minutes, buffer, cents in TYPES:
        t, _ = AppointmentType.objects.get_or_create(
            clinic=clinic,
            name=name,
            defaults={
                "kind": kind,
                "duration_minutes": minutes,
                "buffer_minutes": buffer,
                "price_cents": cents,
            },
        )
        givers = practitioners if kind != "telehealth" else practitioners[::2]
        t.givers.add(*givers)
        types.append(t)
    return types


@dataclass(frozen=True)
class Work:
    staff: StaffMember
    location: Location
    weekday: int
    start: time
    end: time
    lunch: tuple[time, time] | None


def _plan(
    practitioners: list[StaffMember], demo: list[StaffMember], locations: list[Location]
) -> Iterator[Work]:
    """Each practitioner's weekly hours: a pattern at their home location; one in four spends
    one of its days at another location in the same zone."""
    for n, person in enumerate(practitioners):
        if n < len(demo):  # the demo physiotherapist at Richmond, the admin at Brunswick
            home, pattern, other = locations[n % 2], PATTERNS[0 if n == 0 else 3], None
        else:
            i = n - len(demo)
            home, pattern = locations[_home(i)], PATTERNS[i % len(PATTERNS)]
            same = [loc for loc in locations if loc.timezone == home.timezone and loc != home]
            other = same[i % len(same)] if same and i % 4 == 0 else None
        days = sorted(pattern)
        for day in days:
            start, end, b1, b2 = pattern[day]
            where = other if other is not None and day == days[-1] else home
            lunch = (_t(b1), _t(b2)) if b1 else None
            yield Work(person, where, day, _t(start), _t(end), lunch)


def _hours(
    practitioners: list[StaffMember],
    demo: list[StaffMember],
    locations: list[Location],
    now: datetime,
) -> None:
    """Weekly hours and breaks for whoever has none yet, and some leave."""
    has_hours = set(
        WorkingHours.objects.filter(staff__in=practitioners).values_list("staff_id", flat=True)
    )
    for w in _plan(practitioners, demo, locations):
        if w.staff.pk in has_hours:
            continue
        h = WorkingHours.objects.create(
            staff=w.staff, location=w.location, weekday=w.weekday, start=w.start, end=w.end
        )
        if w.lunch:
            Break.objects.create(hours=h, start=w.lunch[0], end=w.lunch[1])
    for person in practitioners:
        person.locations.add(*{h.location_id for h in person.working_hours.all()})
    _leave(practitioners[len(demo) :], now)


def _leave(sample: list[StaffMember], now: datetime) -> None:
    if not sample or AvailabilityException.objects.filter(staff__in=sample).exists():
        return
    today = now.astimezone(zone(PLACES[0].timezone)).date()
    leave = AvailabilityException.Kind.LEAVE
    rows = [
        (4, leave, 7, 13, None, None, "Annual leave"),
        (13, leave, -3, 2, None, None, "Sick leave"),
        (22, leave, 15, 19, None, None, "Conference"),
        (31, leave, 3, 3, "13:00", "19:30", "Afternoon off"),
        (9, AvailabilityException.Kind.CHANGED_DAY, 5, 5, "12:00", "16:00", "Late start"),
    ]
    for i, kind, first, last, start, end, reason in rows:
        person = sample[i % len(sample)]
        AvailabilityException.objects.create(
            staff=person,
            kind=kind,
            first_day=today + timedelta(days=first),
            last_day=today + timedelta(days=last),
            location=person.working_hours.first().location if kind != leave else None,  # type: ignore[union-attr]
            start=_t(start) if start else None,
            end=_t(end) if end else None,
            reason=reason,
        )


def _first_follow_ups(
    clinic: Clinic,
    demo: list[StaffMember],
    locations: list[Location],
    types: list[AppointmentType],
    now: datetime,
) -> int:
    """The demo physiotherapist's follow-ups with eight of their patients in the coming week
    (once: not when any patient of the demo but the sample ones has an appointment)."""
    if (
        not demo
        or Appointment.objects.filter(clinic=clinic)
        .exclude(patient__email__endswith=DOMAIN)
        .exists()
    ):
        return 0
    physio, loc, kind = demo[0], locations[0], types[1]
    patients = list(
        Patient.objects.filter(clinic=clinic).exclude(email__endswith=DOMAIN).order_by("pk")[:8]
    )
    today = now.astimezone(zone(loc.timezone)).date()
    slots = free_slots_for(
        loc,
        kind,
        first_day=today,
        last_day=today + timedelta(days=7),
        now=now,
        practitioner_id=physio.pk,
    )
    booked = 0
    for patient, slot in zip(patients, slots[::5], strict=False):
        try:
            do_book(
                None,
                patient=patient,
                practitioner=physio,
                location=loc,
                appointment_type=kind,
                start=slot.start,
                now=now,
                reason="Follow-up of the programme",
            )
            booked += 1
        except (BookingRefused, SlotTaken):
            continue
    return booked


def _lived_in(
    clinic: Clinic,
    practitioners: list[StaffMember],
    locations: list[Location],
    types: list[AppointmentType],
    now: datetime,
) -> int:
    every = list(clinic.locations.order_by("pk"))  # the demo's 23 and any added by hand
    pools = sample_patients(clinic, every, now)
    latest = latest_sample_start(clinic)
    diary = Diary(clinic, practitioners, every, types, pools, now=now, after=latest)
    rows = diary.appointments()
    Appointment.objects.bulk_create(rows, batch_size=500)
    return len(rows)
