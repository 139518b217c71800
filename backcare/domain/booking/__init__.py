"""Booking's pure core: free slots, checking a booking, deadlines and the waitlist.

No Django, no clock (`now` is passed in), no I/O beyond zoneinfo's time zone data. Hours are
wall-clock times at a location; every instant is an aware datetime, kept in UTC. The rules, and
what happens on DST change days, are in docs/booking.md.
"""

from __future__ import annotations

from backcare.domain.booking.check import Problem, ProblemCode, check_booking
from backcare.domain.booking.policy import (
    can_patient_change,
    change_deadline,
    offer_expires_at,
    reminder_due_at,
    should_send_reminder,
)
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
from backcare.domain.booking.waitlist import Offer, WaitlistEntry, offer_for

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
    "Offer",
    "OpeningHours",
    "Practitioner",
    "Problem",
    "ProblemCode",
    "Shift",
    "TimeRange",
    "WaitlistEntry",
    "Weekday",
    "can_patient_change",
    "change_deadline",
    "check_booking",
    "free_slots",
    "next_free",
    "offer_expires_at",
    "offer_for",
    "reminder_due_at",
    "should_send_reminder",
]
