"""The values booking works on: places, hours, exceptions, appointment types, bookings and rules.

Hours are wall-clock times at a location (what a receptionist types and a patient reads); bookings
are instants (aware datetimes, kept in UTC). `backcare.domain.booking.calendar` is the one place
that turns the first into the second.
"""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import IntEnum, StrEnum


class Weekday(IntEnum):
    """Numbered as `date.weekday()` numbers them."""

    MONDAY = 0
    TUESDAY = 1
    WEDNESDAY = 2
    THURSDAY = 3
    FRIDAY = 4
    SATURDAY = 5
    SUNDAY = 6

    @property
    def label(self) -> str:
        return self.name.capitalize()

    @classmethod
    def of(cls, day: date) -> Weekday:
        return cls(day.weekday())


@dataclass(frozen=True, slots=True)
class TimeRange:
    """A stretch of one day in wall-clock time, start included, end excluded (09:00-12:00)."""

    start: time
    end: time

    def __post_init__(self) -> None:
        for name in ("start", "end"):
            value: time = getattr(self, name)
            if value.tzinfo is not None:
                raise ValueError(f"{name}: must be a wall-clock time without a time zone")
            if value.second or value.microsecond:
                raise ValueError(f"{name}: must be whole minutes, such as 09:00")
        if self.end <= self.start:
            raise ValueError(
                f"end: must be after start ({_hm(self.start)}); a range cannot pass midnight"
            )

    @property
    def start_minute(self) -> int:
        return self.start.hour * 60 + self.start.minute

    @property
    def end_minute(self) -> int:
        return self.end.hour * 60 + self.end.minute

    @property
    def label(self) -> str:
        return f"{_hm(self.start)}–{_hm(self.end)}"


def _hm(value: time) -> str:
    return f"{value:%H:%M}"


def _check_days(first_day: date | None, last_day: date | None) -> None:
    if first_day is not None and last_day is not None and last_day < first_day:
        raise ValueError(f"last_day: must be on or after first_day ({first_day})")


@dataclass(frozen=True, slots=True)
class OpeningHours:
    """One stretch of a weekday when a location is open; several make a day with a gap."""

    weekday: Weekday
    hours: TimeRange


@dataclass(frozen=True, slots=True)
class Closure:
    """A location closed on some days (a public holiday), all day or only during `hours`."""

    first_day: date
    last_day: date
    hours: tuple[TimeRange, ...] = ()
    reason: str = ""

    def __post_init__(self) -> None:
        _check_days(self.first_day, self.last_day)

    def covers(self, day: date) -> bool:
        return self.first_day <= day <= self.last_day


@dataclass(frozen=True, slots=True)
class Location:
    """A place patients come to, with its own IANA time zone ("Australia/Melbourne")."""

    id: int
    name: str
    timezone: str
    opening_hours: tuple[OpeningHours, ...]
    closures: tuple[Closure, ...] = ()

    def __post_init__(self) -> None:
        try:
            zoneinfo.ZoneInfo(self.timezone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"timezone: {self.timezone!r} is not an IANA time zone name, such as "
                "Australia/Melbourne"
            ) from None

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)  # ZoneInfo keeps one instance per name


@dataclass(frozen=True, slots=True)
class Shift:
    """A practitioner's weekly hours at one location on one weekday, with breaks inside them.

    A day with a gap is two shifts; `breaks` is for the receptionist who enters 09:00-17:00 with
    lunch 12:30-13:15. `first_day`/`last_day` bound the weeks it applies to (None: open-ended).
    """

    location_id: int
    weekday: Weekday
    hours: TimeRange
    breaks: tuple[TimeRange, ...] = ()
    first_day: date | None = None
    last_day: date | None = None

    def __post_init__(self) -> None:
        _check_days(self.first_day, self.last_day)
        for gap in self.breaks:
            if gap.start < self.hours.start or gap.end > self.hours.end:
                raise ValueError(f"breaks: {gap.label} is not inside the shift {self.hours.label}")

    def covers(self, day: date) -> bool:
        """Whether the shift's weeks include `day` (its weekday is checked by the caller)."""
        return (self.first_day is None or self.first_day <= day) and (
            self.last_day is None or day <= self.last_day
        )


@dataclass(frozen=True, slots=True)
class Leave:
    """Time off, wherever the practitioner works: whole days, or only `hours` of each day.

    Part-day times are wall-clock times at the location being booked.
    """

    first_day: date
    last_day: date
    hours: tuple[TimeRange, ...] = ()
    reason: str = ""

    def __post_init__(self) -> None:
        _check_days(self.first_day, self.last_day)

    def covers(self, day: date) -> bool:
        return self.first_day <= day <= self.last_day


@dataclass(frozen=True, slots=True)
class ChangedDay:
    """One date's hours at one location, replacing the weekly shifts there that day.

    Empty `hours` means not working at that location that day (say, moved to another one, which
    gets its own ChangedDay).
    """

    location_id: int
    day: date
    hours: tuple[TimeRange, ...]


@dataclass(frozen=True, slots=True)
class Practitioner:
    id: int
    name: str
    shifts: tuple[Shift, ...] = ()
    leave: tuple[Leave, ...] = ()
    changed_days: tuple[ChangedDay, ...] = ()


@dataclass(frozen=True, slots=True)
class AppointmentType:
    """What is booked: how long it lasts, the practitioner's buffer after it, and who gives it."""

    id: int
    name: str
    duration: timedelta
    practitioner_ids: frozenset[int]
    buffer_after: timedelta = timedelta(0)

    def __post_init__(self) -> None:
        if self.duration <= timedelta(0) or self.duration % timedelta(minutes=1):
            raise ValueError("duration: must be a positive whole number of minutes")
        if self.duration > timedelta(hours=12):
            raise ValueError("duration: must be at most 12 hours")
        if self.buffer_after < timedelta(0) or self.buffer_after % timedelta(minutes=1):
            raise ValueError("buffer_after: must be zero or a whole number of minutes")


class BookingStatus(StrEnum):
    HELD = "held"  # offered to a waiting patient and kept for them until the offer ends
    BOOKED = "booked"
    ATTENDED = "attended"
    NO_SHOW = "no_show"
    CANCELLED = "cancelled"

    @property
    def takes_time(self) -> bool:
        """Whether it occupies the practitioner and the patient: all but a cancelled one."""
        return self is not BookingStatus.CANCELLED

    @property
    def changeable(self) -> bool:
        """Whether it can still be moved or cancelled (it has not happened or been cancelled)."""
        return self in (BookingStatus.HELD, BookingStatus.BOOKED)


def _aware(name: str, value: datetime) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name}: must be an aware datetime (with its UTC offset)")
    return value.astimezone(UTC)


@dataclass(frozen=True, slots=True)
class Booking:
    """An existing appointment. `start`/`end` are kept in UTC (any aware datetime is converted).

    The practitioner is taken for [start, end + buffer_after); the patient for [start, end).
    """

    id: int
    practitioner_id: int
    patient_id: int
    location_id: int
    start: datetime
    end: datetime
    status: BookingStatus = BookingStatus.BOOKED
    buffer_after: timedelta = timedelta(0)
    booked_at: datetime | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "start", _aware("start", self.start))
        object.__setattr__(self, "end", _aware("end", self.end))
        if self.booked_at is not None:
            object.__setattr__(self, "booked_at", _aware("booked_at", self.booked_at))
        if self.end <= self.start:
            raise ValueError("end: must be after start")
        if self.buffer_after < timedelta(0):
            raise ValueError("buffer_after: must not be negative")

    @property
    def busy_until(self) -> datetime:
        return self.end + self.buffer_after


@dataclass(frozen=True, slots=True)
class BookingRules:
    """A clinic's settings. Defaults: a 15-minute grid, 2 hours' notice, 60 days ahead, patients
    may change or cancel until 24 hours before, a reminder 24 hours before, a waitlist offer
    kept for 2 hours."""

    grid_minutes: int = 15
    min_notice: timedelta = timedelta(hours=2)
    horizon_days: int = 60
    cancel_cutoff: timedelta = timedelta(hours=24)
    reminder_before: timedelta = timedelta(hours=24)
    offer_hold: timedelta = timedelta(hours=2)

    def __post_init__(self) -> None:
        if not 5 <= self.grid_minutes <= 1440 or 1440 % self.grid_minutes:
            raise ValueError(
                "grid_minutes: must divide a day evenly and be at least 5 (5, 10, 15, 20, 30, 60)"
            )
        for name in ("min_notice", "cancel_cutoff", "reminder_before", "offer_hold"):
            if getattr(self, name) < timedelta(0):
                raise ValueError(f"{name}: must not be negative")
        if self.horizon_days < 0:
            raise ValueError("horizon_days: must be 0 or more")
