"""The booking values refuse what cannot be right, naming the field."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest

from backcare.domain.booking import (
    AppointmentType,
    Booking,
    BookingRules,
    BookingStatus,
    Closure,
    Leave,
    Location,
    Shift,
    TimeRange,
    Weekday,
)
from tests.domain.booking.clinic import ANA, TOM, hm, hours, local

NAIVE = datetime(2026, 5, 4, 9)  # noqa: DTZ001
AWARE = datetime(2026, 5, 4, 9, tzinfo=UTC)

BAD: list[tuple[Callable[[], Any], str]] = [
    (lambda: TimeRange(hm("10:00"), hm("09:00")), "end: must be after start (10:00)"),
    (lambda: TimeRange(hm("10:00"), hm("10:00")), "end: must be after start"),
    (lambda: TimeRange(time(9, 0, 30), hm("10:00")), "start: must be whole minutes"),
    (lambda: TimeRange(time(9, tzinfo=UTC), hm("10:00")), "start: must be a wall-clock time"),
    (
        lambda: Shift(1, Weekday.MONDAY, hours("09:00", "12:00"), (hours("11:00", "13:00"),)),
        "breaks: 11:00–13:00 is not inside the shift 09:00–12:00",
    ),
    (
        lambda: Shift(
            1,
            Weekday.MONDAY,
            hours("09:00", "12:00"),
            first_day=date(2026, 5, 2),
            last_day=date(2026, 5, 1),
        ),
        "last_day: must be on or after first_day (2026-05-02)",
    ),
    (lambda: Leave(date(2026, 5, 2), date(2026, 5, 1)), "last_day: must be on or after"),
    (lambda: Closure(date(2026, 5, 2), date(2026, 5, 1)), "last_day: must be on or after"),
    (lambda: Location(1, "X", "Australia/Melburne", ()), "timezone: 'Australia/Melburne' is not"),
    (lambda: Location(1, "X", "", ()), "timezone: '' is not an IANA"),
    (
        lambda: AppointmentType(1, "X", timedelta(0), frozenset()),
        "duration: must be a positive whole number of minutes",
    ),
    (
        lambda: AppointmentType(1, "X", timedelta(seconds=90), frozenset()),
        "duration: must be a positive whole number",
    ),
    (
        lambda: AppointmentType(1, "X", timedelta(hours=13), frozenset()),
        "duration: must be at most",
    ),
    (
        lambda: AppointmentType(1, "X", timedelta(minutes=30), frozenset(), timedelta(minutes=-5)),
        "buffer_after: must be zero or",
    ),
    (lambda: Booking(1, ANA, TOM, 1, NAIVE, AWARE), "start: must be an aware datetime"),
    (lambda: Booking(1, ANA, TOM, 1, AWARE, NAIVE), "end: must be an aware datetime"),
    (lambda: Booking(1, ANA, TOM, 1, AWARE, AWARE), "end: must be after start"),
    (
        lambda: Booking(1, ANA, TOM, 1, AWARE, AWARE + timedelta(hours=1), booked_at=NAIVE),
        "booked_at: must be an aware datetime",
    ),
    (
        lambda: Booking(
            1, ANA, TOM, 1, AWARE, AWARE + timedelta(hours=1), buffer_after=timedelta(minutes=-1)
        ),
        "buffer_after: must not be negative",
    ),
    (lambda: BookingRules(grid_minutes=7), "grid_minutes: must divide a day evenly"),
    (lambda: BookingRules(grid_minutes=0), "grid_minutes: must divide"),
    (lambda: BookingRules(min_notice=timedelta(hours=-1)), "min_notice: must not be negative"),
    (lambda: BookingRules(horizon_days=-1), "horizon_days: must be 0 or more"),
    (lambda: BookingRules(cancel_cutoff=timedelta(-1)), "cancel_cutoff: must not be negative"),
]


@pytest.mark.parametrize(("build", "message"), BAD)
def test_it_refuses_values_that_cannot_be_right(build: Callable[[], Any], message: str) -> None:
    with pytest.raises(ValueError, match="^" + re.escape(message)):
        build()


def test_a_booking_keeps_its_times_in_utc() -> None:
    start = local("Australia/Melbourne", "2026-05-04 09:00")
    b = Booking(
        1, ANA, TOM, 1, start, start + timedelta(minutes=30), buffer_after=timedelta(minutes=10)
    )
    assert b.start == datetime(2026, 5, 3, 23, tzinfo=UTC) and b.start.tzinfo is UTC
    assert b.busy_until == datetime(2026, 5, 3, 23, 40, tzinfo=UTC)


@pytest.mark.parametrize(
    ("status", "takes_time", "changeable"),
    [
        (BookingStatus.HELD, True, True),
        (BookingStatus.BOOKED, True, True),
        (BookingStatus.ATTENDED, True, False),
        (BookingStatus.NO_SHOW, True, False),
        (BookingStatus.CANCELLED, False, False),
    ],
)
def test_which_statuses_take_time_and_can_change(
    status: BookingStatus, takes_time: bool, changeable: bool
) -> None:
    assert (status.takes_time, status.changeable) == (takes_time, changeable)


def test_weekdays_follow_the_date() -> None:
    assert Weekday.of(date(2026, 4, 5)) is Weekday.SUNDAY
    assert Weekday.MONDAY.label == "Monday"
    assert hours("09:00", "12:30").label == "09:00–12:30"
