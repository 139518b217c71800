"""Free slots: when an appointment type can be booked at a location, for one practitioner or anyone.

Each practitioner's free time is tiled with appointments: a slot starts at the first grid time of
each free stretch (or the first after an existing booking and its buffer), the next one at the
first grid time after that slot and its buffer, and so on. So one practitioner's slots never
overlap, buffers included, and the list does not shift as the clock moves: a slot inside the
minimum notice is left out but still takes its place in the tiling. A slot's buffer must be free of
other bookings but may run past the end of the hours (notes after the last patient).

"Anyone" lists each start once, with every practitioner free then, in the order the practitioners
were given (the caller's preference, say least busy first).
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from backcare.domain.booking import calendar
from backcare.domain.booking.availability import (
    LocationDay,
    Week,
    busy_by_practitioner,
)
from backcare.domain.booking.tiling import tile
from backcare.domain.booking.types import (
    AppointmentType,
    Booking,
    BookingRules,
    Location,
    Practitioner,
)
from backcare.domain.booking.window import Window


@dataclass(frozen=True, slots=True)
class FreeSlot:
    """A bookable start. `start`/`end` are aware UTC datetimes (end = start + duration);
    `local_start` is the wall time at the location (fold=1 in the second pass of a repeated hour),
    `zone` its IANA name."""

    start: datetime
    end: datetime
    local_start: datetime
    zone: str
    location_id: int
    appointment_type_id: int
    practitioner_ids: tuple[int, ...]

    @property
    def local_end(self) -> datetime:
        return self.end.astimezone(zoneinfo.ZoneInfo(self.zone))

    @property
    def local_date(self) -> date:
        """The date at the location, whatever the date where the patient is."""
        return self.local_start.date()

    @property
    def label(self) -> str:
        """09:00 AEST; unique within the day, even in a repeated hour."""
        return calendar.time_label(self.local_start)

    @property
    def date_label(self) -> str:
        return calendar.date_label(self.local_date)

    def seen_from(self, timezone: str) -> datetime:
        """The start as a clock in another zone shows it (a patient booking from elsewhere)."""
        return self.start.astimezone(zoneinfo.ZoneInfo(timezone))


def givers(
    appointment_type: AppointmentType,
    practitioners: Sequence[Practitioner],
    practitioner_id: int | None,
) -> list[Practitioner]:
    """Who can be booked: those who give the type (just the one asked for, unless "anyone")."""
    seen: set[int] = set()
    out = []
    for p in practitioners:
        wanted = practitioner_id is None or p.id == practitioner_id
        if wanted and p.id in appointment_type.practitioner_ids and p.id not in seen:
            out.append(p)
            seen.add(p.id)
    return out


def free_slots(
    location: Location,
    appointment_type: AppointmentType,
    practitioners: Sequence[Practitioner],
    bookings: Sequence[Booking],
    *,
    first_day: date,
    last_day: date,
    now: datetime,
    rules: BookingRules,
    practitioner_id: int | None = None,
) -> list[FreeSlot]:
    """Free slots from `first_day` to `last_day` (dates at the location, both included).

    `practitioner_id=None` means anyone who gives the type. `bookings` are the existing bookings
    of these practitioners at every location (a practitioner cannot be in two places), any status:
    cancelled ones are ignored.
    """
    if last_day < first_day:
        raise ValueError(f"last_day: must be on or after first_day ({first_day})")
    out: list[FreeSlot] = []
    for found in _days(
        location,
        appointment_type,
        practitioners,
        bookings,
        first_day,
        last_day,
        now,
        rules,
        practitioner_id,
    ):
        out += found
    return out


def next_free(
    location: Location,
    appointment_type: AppointmentType,
    practitioners: Sequence[Practitioner],
    bookings: Sequence[Booking],
    *,
    after: datetime,
    now: datetime,
    rules: BookingRules,
    practitioner_id: int | None = None,
    count: int = 3,
) -> list[FreeSlot]:
    """The first `count` free slots starting at or after `after`, up to the booking horizon
    ("that time was just taken; these are the next free ones")."""
    if count < 1:
        raise ValueError("count: must be 1 or more")
    cut = calendar.to_instant(after)
    first_day = calendar.local(cut, location.zone).date()
    last_day = Window.at(location, now, rules).last_day
    out: list[FreeSlot] = []
    for found in _days(
        location,
        appointment_type,
        practitioners,
        bookings,
        first_day,
        last_day,
        now,
        rules,
        practitioner_id,
    ):
        out += (s for s in found if calendar.to_instant(s.start) >= cut)
        if len(out) >= count:
            break
    return out[:count]


def _days(
    location: Location,
    appointment_type: AppointmentType,
    practitioners: Sequence[Practitioner],
    bookings: Sequence[Booking],
    first_day: date,
    last_day: date,
    now: datetime,
    rules: BookingRules,
    practitioner_id: int | None,
) -> Iterator[list[FreeSlot]]:
    """Each day's free slots in time order, from the first day inside the window to the last."""
    window = Window.at(location, now, rules)
    people = givers(appointment_type, practitioners, practitioner_id)
    busy = busy_by_practitioner(bookings, (p.id for p in people))
    length = int(appointment_type.duration.total_seconds())
    step = length + int(appointment_type.buffer_after.total_seconds())
    weeks = {p.id: Week(p, location.id) for p in people}
    cursors = {p.id: -(2**62) for p in people}
    day = max(first_day, window.today)
    while people and day <= min(last_day, window.last_day):
        place = LocationDay(location, day)
        found: dict[int, list[int]] = {}
        grid = place.grid(rules.grid_minutes) if place.open else ()
        for person in people if grid else ():
            free = weeks[person.id].free(place)
            starts, cursors[person.id] = tile(
                grid, free, busy[person.id], length, step, window.earliest, cursors[person.id]
            )
            for start in starts:
                found.setdefault(start, []).append(person.id)
        yield [_slot(place, appointment_type, s, length, found[s]) for s in sorted(found)]
        day += timedelta(days=1)


def _slot(
    place: LocationDay, kind: AppointmentType, start: int, length: int, who: list[int]
) -> FreeSlot:
    return FreeSlot(
        start=calendar.utc(start),
        end=calendar.utc(start + length),
        local_start=calendar.local(start, place.zone),
        zone=place.location.timezone,
        location_id=place.location.id,
        appointment_type_id=kind.id,
        practitioner_ids=tuple(who),
    )
