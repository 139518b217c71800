"""The demo's sample patients and a few weeks of their appointments, as rows.

Appointments are laid end to end in each practitioner's hours as the booking page would offer
them (the location's clock, the slot grid, breaks, leave and opening hours respected), some left
free; the days before today are attended or missed, the rest booked. No two overlap for a
practitioner (buffers included) or a patient, so the database's own constraints accept them.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta

from django.db.models import Max

from backcare.accounts.models import StaffMember
from backcare.care.models import Patient
from backcare.clinic.demo_places import PATIENT_FIRST, PATIENT_LAST
from backcare.clinic.models import (
    Appointment,
    AppointmentType,
    AvailabilityException,
    Clinic,
    Location,
    WorkingHours,
)
from backcare.lib.timezones import zone

PAST_DAYS, AHEAD_DAYS = 14, 20
PATIENTS_PER_PRACTITIONER = 14
GRID = 15
DOMAIN = "@patients.demo.backcare.invalid"
REASONS = (
    "Low back spasm after lifting",
    "Review of the home exercise programme",
    "Stiff lower back after gardening",
    "Back pain since a long drive",
    "Spasms when getting out of bed",
    "Pain easing, wants to get back to running",
    "Desk worker, back tight by the afternoon",
    "",
)
VIDEO = "https://video.demo.backcare.invalid/room"
Span = tuple[time, time]


def sample_patients(
    clinic: Clinic, locations: list[Location], now: datetime
) -> dict[int, list[Patient]]:
    """Each location's sample patients (made once): no login, their home location's zone, a
    practitioner there as their lead (never the demo physiotherapist: their queue stays)."""
    existing = Patient.objects.filter(clinic=clinic, email__endswith=DOMAIN).order_by("pk")
    if not existing.exists():
        Patient.objects.bulk_create(_new_patients(clinic, locations, now), batch_size=500)
    pools: dict[int, list[Patient]] = defaultdict(list)
    for p in existing:
        if p.location_id is not None:
            pools[p.location_id].append(p)
    return pools


def _new_patients(clinic: Clinic, locations: list[Location], now: datetime) -> list[Patient]:
    rng = random.Random(23)  # noqa: S311 (sample data, the same every time)
    workers: dict[int, list[int]] = defaultdict(list)
    for h in WorkingHours.objects.filter(location__in=locations).order_by("staff_id"):
        if h.staff_id not in workers[h.location_id]:
            workers[h.location_id].append(h.staff_id)
    demo = set(
        StaffMember.objects.filter(user__username__in=["physio"]).values_list("pk", flat=True)
    )
    rows, n = [], 0
    for loc in locations:
        staff = workers[loc.pk] or [None]
        leads = [s for s in staff if s not in demo] or staff
        for _ in range(PATIENTS_PER_PRACTITIONER * len(staff)):
            n += 1
            first, last = rng.choice(PATIENT_FIRST), rng.choice(PATIENT_LAST)
            rows.append(
                Patient(
                    name=f"{first} {last}",
                    email=f"{first.lower()}.{last.lower()}.{n}{DOMAIN}",
                    phone=f"0491 570 {rng.randint(100, 999)}",  # numbers kept for fiction
                    clinic=clinic,
                    location=loc,
                    lead_physio_id=leads[n % len(leads)],
                    timezone=loc.timezone,
                    region="AU",
                    is_demo=True,
                    created_at=now - timedelta(days=rng.randint(30, 400)),
                )
            )
    return rows


class Diary:
    """The appointments to add: from the day after the latest sample one (or a fortnight ago)
    to three weeks ahead, each location's days by its own calendar."""

    def __init__(
        self,
        clinic: Clinic,
        practitioners: list[StaffMember],
        locations: list[Location],
        types: list[AppointmentType],
        pools: dict[int, list[Patient]],
        *,
        now: datetime,
        after: datetime | None,
    ) -> None:
        self.clinic, self.now, self.after = clinic, now, after
        self.locations = {loc.pk: loc for loc in locations}
        self.types, self.pools = types, pools
        self.rng = random.Random(int(now.timestamp()) // 86400)  # noqa: S311 (sample data)
        self.givers = {t.pk: set(t.givers.values_list("pk", flat=True)) for t in types}
        self.hours = list(
            WorkingHours.objects.filter(staff__in=practitioners).prefetch_related("breaks")
        )
        self.leave: dict[int, list[AvailabilityException]] = defaultdict(list)
        self.changed: dict[tuple[int, int, date], list[Span]] = defaultdict(list)
        for e in AvailabilityException.objects.filter(staff__in=practitioners):
            if e.kind == AvailabilityException.Kind.LEAVE:
                self.leave[e.staff_id].append(e)
            elif e.location_id is not None and e.start and e.end:
                day = e.first_day
                while day <= e.last_day:
                    self.changed[(e.staff_id, e.location_id, day)].append((e.start, e.end))
                    day += timedelta(days=1)
        self.opening: dict[tuple[int, int], list[Span]] = defaultdict(list)
        for loc in locations:
            for o in loc.opening_hours.all():
                self.opening[(loc.pk, o.weekday)].append((o.start, o.end))
        self.busy: dict[int, list[tuple[datetime, datetime]]] = defaultdict(list)
        self.patient_days: set[tuple[int, date]] = set()
        start = now - timedelta(days=PAST_DAYS + 2)
        for a in Appointment.objects.filter(clinic=clinic, blocked_until__gt=start).exclude(
            status=Appointment.Status.CANCELLED
        ):
            self.busy[a.practitioner_id].append((a.start, a.blocked_until))
            loc = self.locations.get(a.location_id)
            local = a.start.astimezone(zone(loc.timezone if loc else "UTC")).date()
            self.patient_days.add((a.patient_id, local))

    def appointments(self) -> list[Appointment]:
        rows: list[Appointment] = []
        for h in self.hours:
            loc = self.locations[h.location_id]
            here = zone(loc.timezone)
            today = self.now.astimezone(here).date()
            first = today - timedelta(days=PAST_DAYS)
            if self.after is not None:
                first = max(first, self.after.astimezone(here).date() + timedelta(days=1))
            day = first
            while day <= today + timedelta(days=AHEAD_DAYS):
                if day.weekday() == h.weekday and self._applies(h, day):
                    for span in self._stretches(h, loc, day):
                        rows.extend(self._fill(h, loc, day, span, (day - today).days))
                day += timedelta(days=1)
        return rows

    def _applies(self, h: WorkingHours, day: date) -> bool:
        return (h.first_day is None or h.first_day <= day) and (
            h.last_day is None or day <= h.last_day
        )

    def _stretches(self, h: WorkingHours, loc: Location, day: date) -> list[Span]:
        changed = self.changed.get((h.staff_id, loc.pk, day))
        spans = changed or [(h.start, h.end)]
        cuts = [] if changed else [(b.start, b.end) for b in h.breaks.all()]
        for e in self.leave[h.staff_id]:
            if e.first_day <= day <= e.last_day:
                if not (e.start and e.end):
                    return []
                cuts.append((e.start, e.end))
        out = []
        for a, b in spans:
            for oa, ob in self.opening[(loc.pk, day.weekday())]:
                out.extend(_minus((max(a, oa), min(b, ob)), cuts))
        return [s for s in out if s[0] < s[1]]

    def _fill(
        self, h: WorkingHours, loc: Location, day: date, span: Span, offset: int
    ) -> list[Appointment]:
        """Slots end to end along one stretch, each taken with a chance that falls with the
        distance ahead (full last week, emptier in three weeks)."""
        here = zone(loc.timezone)
        share = 0.8 if offset < 0 else 0.75 if offset < 7 else 0.5 if offset < 14 else 0.3
        at = _grid(datetime.combine(day, span[0]))
        end = datetime.combine(day, span[1])
        rows = []
        while True:
            kind = self._kind(h.staff_id)
            length = timedelta(minutes=kind.duration_minutes + kind.buffer_minutes)
            if at + length > end:
                return rows
            start = at.replace(tzinfo=here).astimezone(UTC)
            if self.rng.random() < share:
                made = self._book(h, loc, kind, start, day)
                if made is not None:
                    rows.append(made)
            at = _grid(at + length)

    def _kind(self, staff_id: int) -> AppointmentType:
        weights = (0.2, 0.4, 0.3, 0.1)
        while True:
            kind = self.rng.choices(self.types, weights[: len(self.types)])[0]
            if staff_id in self.givers[kind.pk]:
                return kind

    def _book(
        self, h: WorkingHours, loc: Location, kind: AppointmentType, start: datetime, day: date
    ) -> Appointment | None:
        end = start + kind.duration
        blocked = end + kind.buffer_after
        if any(a < blocked and start < b for a, b in self.busy[h.staff_id]):
            return None
        pool = self.pools.get(loc.pk, [])
        patient = next(
            (
                p
                for p in self.rng.sample(pool, min(6, len(pool)))
                if (p.pk, day) not in self.patient_days
            ),
            None,
        )
        if patient is None:
            return None
        status, cancelled_at = self._status(start, end)
        if status != Appointment.Status.CANCELLED:
            self.busy[h.staff_id].append((start, blocked))
            self.patient_days.add((patient.pk, day))
        booked_at = min(self.now, start - timedelta(days=self.rng.randint(1, 14)))
        return Appointment(
            clinic=self.clinic, patient=patient, practitioner_id=h.staff_id, location=loc,
            appointment_type=kind, start=start, end=end, blocked_until=blocked, status=status,
            reason=self.rng.choice(REASONS), booked_at=booked_at, cancelled_at=cancelled_at,
            video_link=VIDEO if kind.kind == "telehealth" else "",
        )  # fmt: skip

    def _status(self, start: datetime, end: datetime) -> tuple[str, datetime | None]:
        roll = self.rng.random()
        if roll < 0.03 and start > self.now:
            return Appointment.Status.CANCELLED, self.now
        if end > self.now:
            return Appointment.Status.BOOKED, None
        return (Appointment.Status.NO_SHOW if roll < 0.1 else Appointment.Status.ATTENDED), None


def _grid(at: datetime) -> datetime:
    """The first grid time at or after `at` (wall clock: the grid counts from local midnight)."""
    minutes = at.hour * 60 + at.minute
    up = -(-minutes // GRID) * GRID
    return datetime.combine(at.date(), time()) + timedelta(minutes=up)


def _minus(span: Span, cuts: list[Span]) -> list[Span]:
    out = [span]
    for ca, cb in cuts:
        nxt = []
        for a, b in out:
            if cb <= a or b <= ca:
                nxt.append((a, b))
                continue
            if a < ca:
                nxt.append((a, ca))
            if cb < b:
                nxt.append((cb, b))
        out = nxt
    return out


def latest_sample_start(clinic: Clinic) -> datetime | None:
    rows = Appointment.objects.filter(clinic=clinic, patient__email__endswith=DOMAIN)
    return rows.aggregate(latest=Max("start"))["latest"]
