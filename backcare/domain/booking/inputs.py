"""Strict parsing of what a patient sends: a booking request and a waitlist wish.

Parse with `backcare.domain.validation.parse_json` / `parse_obj`: unknown fields and wrong types
are refused with one line per problem naming the field.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, Field, ValidationInfo, field_validator

from backcare.domain.booking.types import TimeRange, Weekday
from backcare.domain.booking.waitlist import WaitlistEntry
from backcare.domain.validation import STRICT

_INSTANT = "must be a date and time with its UTC offset, such as 2026-05-04T09:00:00+10:00"
_WALL = "must be a time of day as HH:MM, such as 09:30"


def _instant(value: object) -> datetime:
    """ISO 8601 with an offset: a time without one would be read in the server's zone."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            raise ValueError(_INSTANT) from None
    if not isinstance(value, datetime) or value.tzinfo is None:
        raise ValueError(_INSTANT)
    return value


def _wall(value: object) -> time:
    if isinstance(value, str) and len(value) == 5 and value[2] == ":":
        try:
            return time.fromisoformat(value)
        except ValueError:
            pass
    raise ValueError(_WALL)


Instant = Annotated[datetime, BeforeValidator(_instant)]
WallTime = Annotated[time, BeforeValidator(_wall)]
Id = Annotated[int, Field(ge=1)]
DayName = Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


class BookingRequestInput(BaseModel):
    """Book `appointment_type` at `location` from `start`, with `practitioner` or anyone (null)."""

    model_config = STRICT

    location: Id
    appointment_type: Id
    practitioner: Id | None = None
    start: Instant


class WindowInput(BaseModel):
    model_config = STRICT

    start: WallTime
    end: WallTime

    @field_validator("end")
    @classmethod
    def _after_start(cls, value: time, info: ValidationInfo) -> time:
        start = info.data.get("start")
        if start is not None and value <= start:
            raise ValueError(f"must be after start ({start:%H:%M}), on the same day")
        return value


class WaitlistWishInput(BaseModel):
    """An earlier appointment, please: where, what, with whom (null: anyone), between which dates,
    on which days and at which times of day (the location's own clock; empty lists: any)."""

    model_config = STRICT

    location: Id
    appointment_type: Id
    practitioner: Id | None = None
    earliest: date | None = None
    latest: date | None = None
    weekdays: Annotated[list[DayName], Field(max_length=7)] = []
    windows: Annotated[list[WindowInput], Field(max_length=6)] = []

    @field_validator("latest")
    @classmethod
    def _after_earliest(cls, value: date | None, info: ValidationInfo) -> date | None:
        earliest = info.data.get("earliest")
        if value is not None and earliest is not None and value < earliest:
            raise ValueError(f"must be on or after earliest ({earliest})")
        return value

    def to_entry(self, *, id: int, patient_id: int, joined_at: datetime) -> WaitlistEntry:
        return WaitlistEntry(
            id=id,
            patient_id=patient_id,
            joined_at=joined_at,
            location_id=self.location,
            appointment_type_id=self.appointment_type,
            practitioner_id=self.practitioner,
            earliest=self.earliest,
            latest=self.latest,
            weekdays=frozenset(Weekday[d.upper()] for d in self.weekdays),
            windows=tuple(TimeRange(w.start, w.end) for w in self.windows),
        )
