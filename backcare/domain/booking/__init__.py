"""Booking's pure core: free slots, checking a booking, deadlines and the waitlist.

No Django, no clock (`now` is passed in), no I/O beyond zoneinfo's time zone data. Hours are
wall-clock times at a location; every instant is an aware datetime, kept in UTC. The rules, and
what happens on DST change days, are in docs/booking.md.
"""

from __future__ import annotations

from backcare.domain.booking.check import Problem, ProblemCode, check_booking
from backcare.domain.booking.slots import FreeSlot, free_slots, next_free
from backcare.domain.booking.types import (
    AppointmentType,
    Booking,
    BookingRules,
    BookingStatus,
    ChangedDay,
    Closure,
    Leave,
    Location,
    OpeningHours,
    Practitioner,
    Shift,
    TimeRange,
    Weekday,
)

__all__ = [
    "AppointmentType",
    "Booking",
    "BookingRules",
    "BookingStatus",
    "ChangedDay",
    "Closure",
    "FreeSlot",
    "Leave",
    "Location",
    "OpeningHours",
    "Practitioner",
    "Problem",
    "ProblemCode",
    "Shift",
    "TimeRange",
    "Weekday",
    "check_booking",
    "free_slots",
    "next_free",
]
