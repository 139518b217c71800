"""Deadlines around a booking: the patient's change cut-off, the reminder, a waitlist offer.

All are elapsed time, never "the same clock time the day before". Across a DST change the two
differ by an hour: 24 elapsed hours before 10:00 on the Sunday Melbourne's clocks go back is 11:00
on the Saturday, not 10:00. Elapsed time is chosen because it is what the rule is for (the clinic
gets the same real notice to offer the time to someone else whatever the date), it always exists
(a wall time the day before may fall in the missing hour or happen twice), it is the same for a
patient in another zone, and the reminder sent "24 hours before" then lands exactly at the cut-off.
"""

from __future__ import annotations

from datetime import UTC, datetime

from backcare.domain.booking import calendar
from backcare.domain.booking.types import Booking, BookingRules, BookingStatus


def change_deadline(appointment_start: datetime, rules: BookingRules) -> datetime:
    """The last instant (UTC) a patient may still reschedule or cancel online."""
    calendar.to_instant(appointment_start)  # refuses a naive datetime
    return appointment_start.astimezone(UTC) - rules.cancel_cutoff


def can_patient_change(appointment_start: datetime, now: datetime, rules: BookingRules) -> bool:
    """True while at least `rules.cancel_cutoff` of elapsed time remains before the start (at
    exactly 24 hours before, still True); after that the patient is told to call the location."""
    calendar.to_instant(now)
    return now <= change_deadline(appointment_start, rules)


def reminder_due_at(
    appointment_start: datetime, rules: BookingRules, *, booked_at: datetime | None = None
) -> datetime | None:
    """When the reminder is due (UTC): `rules.reminder_before` before the start. None when the
    booking was made at or after that moment: the confirmation sent at once is the reminder."""
    calendar.to_instant(appointment_start)
    due = appointment_start.astimezone(UTC) - rules.reminder_before
    if booked_at is not None and calendar.to_instant(booked_at) >= calendar.to_instant(due):
        return None
    return due


def should_send_reminder(booking: Booking, now: datetime) -> bool:
    """Whether a reminder still goes out: the booking stands (not cancelled, not a mere hold, not
    already marked attended or no-show) and has not started."""
    calendar.to_instant(now)
    return booking.status is BookingStatus.BOOKED and now < booking.start


def offer_expires_at(slot_start: datetime, now: datetime, rules: BookingRules) -> datetime | None:
    """When a waitlist offer of a slot lapses: `rules.offer_hold` after `now`, but no later than
    the minimum notice before the slot (after that nobody could book it). None when that moment
    has already come: too late to offer."""
    calendar.to_instant(now)
    calendar.to_instant(slot_start)
    expires = min(
        now.astimezone(UTC) + rules.offer_hold, slot_start.astimezone(UTC) - rules.min_notice
    )
    return expires if expires > now else None
