"""When a practitioner can see patients at a location on one local date, as sets of instants.

Each range of hours is turned into instants edge by edge (`calendar.edge`), and only then are
ranges joined, cut and intersected, so free slots and `check_booking` read the same sets.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from backcare.domain.booking import calendar
from backcare.domain.booking.intervals import Span, intersect, merged, subtract
from backcare.domain.booking.types import (
    Booking,
    Closure,
    Leave,
    Location,
    Practitioner,
    Shift,
    TimeRange,
)


class LocationDay:
    """One local date at a location: its open time (opening hours less closures) and its grid."""

    __slots__ = ("closures", "day", "location", "open", "opening", "zone")

    def __init__(self, location: Location, day: date) -> None:
        self.location = location
        self.day = day
        self.zone = location.zone
        weekday = day.weekday()
        self.opening = tuple(o.hours for o in location.opening_hours if o.weekday == weekday)
        self.closures = tuple(c for c in location.closures if c.covers(day))
        self.open = subtract(merged(self.spans(self.opening)), self.off(self.closures))

    def edge(self, minute: int) -> int:
        return calendar.edge(self.day, minute, self.zone)

    def spans(self, ranges: Iterable[TimeRange]) -> list[Span]:
        return [(self.edge(r.start_minute), self.edge(r.end_minute)) for r in ranges]

    def off(self, items: Iterable[Closure | Leave]) -> list[Span]:
        """The time taken by closures or leave: all day when they name no hours."""
        out: list[Span] = []
        for item in items:
            out += self.spans(item.hours) if item.hours else [(self.edge(0), self.edge(1440))]
        return merged(out)

    def grid(self, grid_minutes: int) -> tuple[int, ...]:
        if not self.opening:
            return ()
        first = min(r.start_minute for r in self.opening)
        end = max(r.end_minute for r in self.opening)
        return calendar.grid_starts(self.day, self.zone, grid_minutes, first, end)


@dataclass(frozen=True, slots=True)
class Hours:
    """A practitioner's wall-clock hours at a location on a date, before leave."""

    ranges: tuple[TimeRange, ...]
    breaks: tuple[TimeRange, ...]
    changed: bool  # a ChangedDay replaced the weekly shifts

    @property
    def label(self) -> str:
        if not self.ranges:
            return "no hours"
        text = ", ".join(r.label for r in sorted(self.ranges, key=lambda r: r.start))
        if self.breaks:
            text += " (breaks " + ", ".join(b.label for b in self.breaks) + ")"
        return text + (", changed for that day" if self.changed else "")


class Week:
    """A practitioner's hours at one location, indexed once for looking up many dates."""

    __slots__ = ("changed", "leave", "shifts")

    def __init__(self, practitioner: Practitioner, location_id: int) -> None:
        self.shifts: dict[int, list[Shift]] = {}
        for shift in practitioner.shifts:
            if shift.location_id == location_id:
                self.shifts.setdefault(shift.weekday, []).append(shift)
        self.changed = {c.day: c for c in practitioner.changed_days if c.location_id == location_id}
        self.leave = practitioner.leave

    def hours(self, day: date) -> Hours:
        change = self.changed.get(day)
        if change is not None:
            return Hours(change.hours, (), changed=True)
        shifts = [s for s in self.shifts.get(day.weekday(), ()) if s.covers(day)]
        return Hours(
            tuple(s.hours for s in shifts), tuple(b for s in shifts for b in s.breaks), False
        )

    def free(self, place: LocationDay) -> list[Span]:
        """The free time on the place's date: what `practitioner_day(...).free` gives, faster."""
        if place.day not in self.changed and place.day.weekday() not in self.shifts:
            return []
        hours = self.hours(place.day)
        if not hours.ranges:
            return []
        return _free(place, _work(place, hours), self.leave_on(place.day))

    def leave_on(self, day: date) -> tuple[Leave, ...]:
        return tuple(item for item in self.leave if item.covers(day))


def hours_on(practitioner: Practitioner, location_id: int, day: date) -> Hours:
    return Week(practitioner, location_id).hours(day)


def _work(place: LocationDay, hours: Hours) -> list[Span]:
    work = merged(place.spans(hours.ranges))
    return subtract(work, merged(place.spans(hours.breaks))) if hours.breaks else work


def _free(place: LocationDay, work: list[Span], leave_items: tuple[Leave, ...]) -> list[Span]:
    free = intersect(work, place.open)
    return subtract(free, place.off(leave_items)) if leave_items else free


@dataclass(frozen=True, slots=True)
class PractitionerDay:
    hours: Hours
    work: list[Span]  # the hours less breaks
    leave: list[Span]
    leave_items: tuple[Leave, ...]
    free: list[Span]  # work, while the location is open, less leave

    @property
    def works(self) -> bool:
        return bool(self.work)


def practitioner_day(practitioner: Practitioner, place: LocationDay) -> PractitionerDay:
    week = Week(practitioner, place.location.id)
    hours = week.hours(place.day)
    work = _work(place, hours)
    leave_items = week.leave_on(place.day)
    leave = place.off(leave_items) if leave_items else []
    return PractitionerDay(hours, work, leave, leave_items, _free(place, work, leave_items))


def busy_by_practitioner(bookings: Iterable[Booking], ids: Iterable[int]) -> dict[int, list[Span]]:
    """Each practitioner's taken time: every booking that takes time, with its buffer after it,
    rounded outwards to whole seconds so a taken span never shrinks."""
    spans: dict[int, list[Span]] = {i: [] for i in ids}
    for b in bookings:
        bucket = spans.get(b.practitioner_id)
        if bucket is not None and b.status.takes_time:
            end = b.end.timestamp() + b.buffer_after.total_seconds()
            bucket.append((math.floor(b.start.timestamp()), math.ceil(end)))
    return {i: merged(items) for i, items in spans.items()}
