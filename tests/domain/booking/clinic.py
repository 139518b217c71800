"""A named clinic for the booking tests: its locations, practitioners, patients and types.

Ana Costa and Ben Nguyen are physiotherapists; Maya and Tom are patients. Locations are named
for real suburbs in each zone; every one is open 07:00-19:00 daily unless a test says otherwise.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from backcare.domain.booking import (
    AppointmentType,
    Booking,
    BookingRules,
    BookingStatus,
    FreeSlot,
    Location,
    OpeningHours,
    Practitioner,
    Shift,
    TimeRange,
    Weekday,
    free_slots,
)

ANA, BEN, CLEO = 101, 102, 103
MAYA, TOM = 201, 202
RICHMOND = 1

ZONES = {
    "Richmond": "Australia/Melbourne",
    "Hobart": "Australia/Hobart",
    "Fortitude Valley": "Australia/Brisbane",
    "Norwood": "Australia/Adelaide",
    "Subiaco": "Australia/Perth",
    "Darwin": "Australia/Darwin",
    "Lord Howe Island": "Australia/Lord_Howe",
    "Surry Hills": "Australia/Sydney",
}

RULES = BookingRules()


def hm(text: str) -> time:
    return time.fromisoformat(text)


def hours(start: str, end: str) -> TimeRange:
    return TimeRange(hm(start), hm(end))


def every_day(start: str = "07:00", end: str = "19:00") -> tuple[OpeningHours, ...]:
    return tuple(OpeningHours(d, hours(start, end)) for d in Weekday)


def place(name: str = "Richmond", *, id: int = RICHMOND, **overrides: Any) -> Location:
    values: dict[str, Any] = {"opening_hours": every_day()}
    values.update(overrides)
    return Location(id, name, ZONES[name], **values)


def weekly(
    start: str,
    end: str,
    *,
    days: Sequence[Weekday] = tuple(Weekday),
    location_id: int = RICHMOND,
    breaks: Sequence[tuple[str, str]] = (),
) -> tuple[Shift, ...]:
    gaps = tuple(hours(a, b) for a, b in breaks)
    return tuple(Shift(location_id, d, hours(start, end), gaps) for d in days)


def ana(**overrides: Any) -> Practitioner:
    values: dict[str, Any] = {"shifts": weekly("09:00", "17:00")}
    values.update(overrides)
    return Practitioner(ANA, "Ana Costa", **values)


def ben(**overrides: Any) -> Practitioner:
    values: dict[str, Any] = {"shifts": weekly("09:00", "17:00")}
    values.update(overrides)
    return Practitioner(BEN, "Ben Nguyen", **values)


def kind(
    minutes: int = 30, buffer: int = 0, who: Sequence[int] = (ANA, BEN), name: str = "Follow-up"
) -> AppointmentType:
    return AppointmentType(
        1, name, timedelta(minutes=minutes), frozenset(who), timedelta(minutes=buffer)
    )


def local(zone: str, text: str, *, fold: int = 0) -> datetime:
    """An aware wall time in `zone` from "2026-05-04 09:00" (fold=1: the second pass)."""
    return datetime.fromisoformat(text).replace(tzinfo=zoneinfo.ZoneInfo(zone), fold=fold)


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def booking(
    start: datetime,
    minutes: int = 30,
    *,
    id: int = 1,
    practitioner: int = ANA,
    patient: int = TOM,
    buffer: int = 0,
    status: BookingStatus = BookingStatus.BOOKED,
    location_id: int = RICHMOND,
) -> Booking:
    start = start.astimezone(UTC)  # elapsed minutes: local + timedelta would add wall time
    return Booking(
        id,
        practitioner,
        patient,
        location_id,
        start,
        start + timedelta(minutes=minutes),
        status,
        timedelta(minutes=buffer),
    )


def day_before(day: date) -> datetime:
    """Noon UTC two days before: far outside the notice, well inside the horizon."""
    return datetime.combine(day - timedelta(days=2), time(12), UTC)


def slots(
    day: date,
    *,
    at: Location | None = None,
    people: Sequence[Practitioner] | None = None,
    appointment: AppointmentType | None = None,
    bookings: Sequence[Booking] = (),
    now: datetime | None = None,
    rules: BookingRules = RULES,
    practitioner_id: int | None = None,
    last_day: date | None = None,
) -> list[FreeSlot]:
    return free_slots(
        at or place(),
        appointment or kind(),
        [ana()] if people is None else people,
        bookings,
        first_day=day,
        last_day=last_day or day,
        now=now or day_before(day),
        rules=rules,
        practitioner_id=practitioner_id,
    )


def labels(found: Sequence[FreeSlot]) -> list[str]:
    return [s.label for s in found]


def starts_utc(found: Sequence[FreeSlot]) -> list[str]:
    return [f"{s.start:%H:%M}" for s in found]
