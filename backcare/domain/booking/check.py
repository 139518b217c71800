"""Checking one requested booking against the same rules as the free slots, naming each problem.

The database refuses overlaps on its own (a constraint, or a check in the same transaction); this
gives the person a clear reason first. Every free slot passes it (a property test holds it to that).
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from backcare.domain.booking import calendar
from backcare.domain.booking.availability import LocationDay, PractitionerDay, practitioner_day
from backcare.domain.booking.intervals import covers, overlaps
from backcare.domain.booking.types import (
    AppointmentType,
    Booking,
    BookingRules,
    Location,
    Practitioner,
    Weekday,
)
from backcare.domain.booking.window import Window


class ProblemCode(StrEnum):
    CANNOT_MOVE = "cannot_move"
    NOT_ON_GRID = "not_on_grid"
    IN_PAST = "in_past"
    INSIDE_NOTICE = "inside_notice"
    BEYOND_HORIZON = "beyond_horizon"
    TYPE_NOT_GIVEN = "type_not_given"
    LOCATION_CLOSED = "location_closed"
    OUTSIDE_HOURS = "outside_hours"
    ON_LEAVE = "on_leave"
    PRACTITIONER_BUSY = "practitioner_busy"
    PATIENT_BUSY = "patient_busy"


@dataclass(frozen=True, slots=True)
class Problem:
    code: ProblemCode
    message: str


@dataclass(frozen=True, slots=True)
class _Request:
    start: int
    end: int  # start + duration: the patient's time
    busy_end: int  # end + the type's buffer: the practitioner's time
    wall: datetime
    location: Location
    practitioner: Practitioner
    kind: AppointmentType

    @property
    def when(self) -> str:
        end = calendar.local(self.end, self.location.zone)
        return f"{calendar.when_label(self.wall)} to {calendar.time_label(end)}"


def check_booking(
    *,
    start: datetime,
    patient_id: int,
    practitioner: Practitioner,
    location: Location,
    appointment_type: AppointmentType,
    bookings: Sequence[Booking],
    rules: BookingRules,
    now: datetime,
    moving: Booking | None = None,
) -> list[Problem]:
    """The problems with booking `appointment_type` with `practitioner` at `location` from
    `start` for the patient; an empty list means it may be booked.

    `bookings` holds the practitioner's and the patient's existing bookings (any location, any
    status). `moving` is the booking being rescheduled: it must still be changeable, and its own
    old time does not count as a clash.
    """
    instant = calendar.to_instant(start)  # refuses a naive datetime
    # Through UTC: astimezone() into the zone a datetime already has returns it unchanged, so a
    # wall time in the missing hour (02:30 on 4 Oct in Melbourne) would be echoed as if it existed.
    at = start.astimezone(UTC).astimezone(location.zone)
    length = int(appointment_type.duration.total_seconds())
    request = _Request(
        start=instant,
        end=instant + length,
        busy_end=instant + length + int(appointment_type.buffer_after.total_seconds()),
        wall=at,
        location=location,
        practitioner=practitioner,
        kind=appointment_type,
    )
    window = Window.at(location, now, rules)
    others = [b for b in bookings if b.status.takes_time and (moving is None or b.id != moving.id)]
    return [
        *_moving_problems(moving),
        *_clock_problems(request, window, rules),
        *_schedule_problems(request),
        *_clash_problems(request, others, patient_id),
    ]


def _moving_problems(moving: Booking | None) -> list[Problem]:
    if moving is None or moving.status.changeable:
        return []
    status = moving.status.value.replace("_", " ")
    return [Problem(ProblemCode.CANNOT_MOVE, f"This appointment is {status}: it cannot be moved.")]


def _clock_problems(request: _Request, window: Window, rules: BookingRules) -> list[Problem]:
    out = []
    wall, name = request.wall, request.location.name
    minute = wall.hour * 60 + wall.minute
    if minute % rules.grid_minutes or wall.second or wall.microsecond:
        out.append(
            Problem(
                ProblemCode.NOT_ON_GRID,
                f"{wall:%H:%M:%S} is not a start time at {name}: appointments start every "
                f"{rules.grid_minutes} minutes from midnight (such as {_grid_example(rules)}).",
            )
        )
    if request.start < window.now:
        out.append(Problem(ProblemCode.IN_PAST, f"{calendar.when_label(wall)} has already passed."))
    elif request.start < window.earliest:
        earliest = calendar.local(window.earliest, request.location.zone)
        out.append(
            Problem(
                ProblemCode.INSIDE_NOTICE,
                f"Bookings need at least {calendar.span_label(rules.min_notice)}' notice: the "
                f"earliest start now is {calendar.when_label(earliest)}.",
            )
        )
    if wall.date() > window.last_day:
        out.append(
            Problem(
                ProblemCode.BEYOND_HORIZON,
                f"Bookings open {rules.horizon_days} days ahead: the last day that can be booked "
                f"now is {calendar.date_label(window.last_day)}.",
            )
        )
    return out


def _grid_example(rules: BookingRules) -> str:
    minutes = (540 + n * rules.grid_minutes for n in range(3))
    return ", ".join(f"{m // 60 % 24:02d}:{m % 60:02d}" for m in minutes)


def _schedule_problems(request: _Request) -> list[Problem]:
    person, kind = request.practitioner, request.kind
    out = []
    if person.id not in kind.practitioner_ids:
        out.append(Problem(ProblemCode.TYPE_NOT_GIVEN, f"{person.name} does not give {kind.name}."))
    place = LocationDay(request.location, request.wall.date())
    if not covers(place.open, request.start, request.end):
        out.append(Problem(ProblemCode.LOCATION_CLOSED, _closed_message(request, place)))
    day = practitioner_day(person, place)
    if not covers(day.work, request.start, request.end):
        out.append(Problem(ProblemCode.OUTSIDE_HOURS, _hours_message(request, place, day)))
    elif overlaps(day.leave, request.start, request.end):
        out.append(Problem(ProblemCode.ON_LEAVE, _leave_message(request, place, day)))
    return out


def _closed_message(request: _Request, place: LocationDay) -> str:
    name, day = request.location.name, calendar.date_label(place.day)
    for closure in place.closures:
        if overlaps(place.off([closure]), request.start, request.end):
            why = f" ({closure.reason})" if closure.reason else ""
            hours = " " + ", ".join(h.label for h in closure.hours) if closure.hours else ""
            return f"{name} is closed{hours} on {day}{why}."
    if not place.opening:
        return f"{name} is closed on {Weekday.of(place.day).label}s."
    hours = ", ".join(h.label for h in sorted(place.opening, key=lambda h: h.start))
    return f"{name} is open {hours} on {day}; {request.when} is outside that."


def _hours_message(request: _Request, place: LocationDay, day: PractitionerDay) -> str:
    who, where, date = request.practitioner.name, request.location.name, place.day
    if not day.works:
        return f"{who} does not work at {where} on {calendar.date_label(date)}."
    return (
        f"{who} works {day.hours.label} at {where} on {calendar.date_label(date)}; "
        f"{request.when} is outside those hours."
    )


def _leave_message(request: _Request, place: LocationDay, day: PractitionerDay) -> str:
    hit = [i for i in day.leave_items if overlaps(place.off([i]), request.start, request.end)]
    hours = ", ".join(h.label for i in hit for h in i.hours)
    why = "; ".join(i.reason for i in hit if i.reason)
    return (
        f"{request.practitioner.name} is on leave{' ' + hours if hours else ''} on "
        f"{calendar.date_label(place.day)}{f' ({why})' if why else ''}."
    )


def _clash_problems(request: _Request, others: list[Booking], patient_id: int) -> list[Problem]:
    out = []
    zone = request.location.zone
    mine = [b for b in others if b.practitioner_id == request.practitioner.id]
    clash = next(
        (b for b in mine if _meets(b.start, b.busy_until, request.start, request.busy_end)), None
    )
    if clash is not None:
        out.append(
            Problem(
                ProblemCode.PRACTITIONER_BUSY,
                f"{request.practitioner.name} already has an appointment "
                f"{_booking_when(clash, zone)}{_after(clash.buffer_after)}, which overlaps "
                f"{request.when}{_after(request.kind.buffer_after)}.",
            )
        )
    theirs = [b for b in others if b.patient_id == patient_id]
    clash = next((b for b in theirs if _meets(b.start, b.end, request.start, request.end)), None)
    if clash is not None:
        out.append(
            Problem(
                ProblemCode.PATIENT_BUSY,
                f"The patient already has an appointment {_booking_when(clash, zone)}, which "
                f"overlaps {request.when}.",
            )
        )
    return out


def _meets(start: datetime, end: datetime, low: int, high: int) -> bool:
    return start.timestamp() < high and low < end.timestamp()


def _booking_when(booking: Booking, zone: zoneinfo.ZoneInfo) -> str:
    start, end = booking.start.astimezone(zone), booking.end.astimezone(zone)
    return f"{calendar.when_label(start)} to {calendar.time_label(end)}"


def _after(buffer: timedelta) -> str:
    return f" (and {calendar.span_label(buffer)} after it)" if buffer else ""
