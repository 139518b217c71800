"""The patient's change cut-off, the reminder and a waitlist offer's deadline: elapsed time.

Melbourne's clocks go back at 03:00 on Sunday 5 April 2026 and forward at 02:00 on Sunday 4 October.
"24 hours before" is 24 elapsed hours, so on those weekends it is not the same clock time the day
before: the rows marked "the clock rule would say" are where the two rules part.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from backcare.domain.booking import (
    BookingRules,
    BookingStatus,
    can_patient_change,
    change_deadline,
    offer_expires_at,
    reminder_due_at,
    should_send_reminder,
)
from tests.domain.booking.clinic import booking, local, utc

MEL, BNE, PER = "Australia/Melbourne", "Australia/Brisbane", "Australia/Perth"
RULES = BookingRules()


CUT_OFF = [
    # (appointment, now, may change)
    # Clocks go back overnight: 10:00 AEST Sunday is 25 clock hours after 10:00 AEDT Saturday.
    (local(MEL, "2026-04-05 10:00"), local(MEL, "2026-04-04 10:00"), True),
    (local(MEL, "2026-04-05 10:00"), local(MEL, "2026-04-04 10:30"), True),  # clock rule: False
    (local(MEL, "2026-04-05 10:00"), local(MEL, "2026-04-04 11:00"), True),  # exactly 24 h
    (local(MEL, "2026-04-05 10:00"), local(MEL, "2026-04-04 11:01"), False),
    # Clocks go forward overnight: 10:00 AEDT Sunday is 23 clock hours after 10:00 AEST Saturday.
    (local(MEL, "2026-10-04 10:00"), local(MEL, "2026-10-03 09:00"), True),  # exactly 24 h
    (local(MEL, "2026-10-04 10:00"), local(MEL, "2026-10-03 09:30"), False),  # clock rule: True
    (local(MEL, "2026-10-04 10:00"), local(MEL, "2026-10-03 10:00"), False),
    # No DST in Brisbane: the two rules agree.
    (local(BNE, "2026-10-04 10:00"), local(BNE, "2026-10-03 10:00"), True),
    (local(BNE, "2026-10-04 10:00"), local(BNE, "2026-10-03 10:01"), False),
    # The patient's own zone changes nothing: the same instants, read from Perth.
    (local(MEL, "2026-04-05 10:00"), local(PER, "2026-04-04 08:00"), True),  # 11:00 AEDT
    (local(MEL, "2026-04-05 10:00"), local(PER, "2026-04-04 08:01"), False),
    # After the start, never.
    (local(MEL, "2026-05-04 10:00"), local(MEL, "2026-05-04 11:00"), False),
]


@pytest.mark.parametrize(("start", "now", "allowed"), CUT_OFF)
def test_the_cut_off_is_24_elapsed_hours(start: datetime, now: datetime, allowed: bool) -> None:
    assert can_patient_change(start, now, RULES) is allowed


def test_the_deadline_is_in_utc_and_follows_the_clinics_setting() -> None:
    start = local(MEL, "2026-10-04 10:00")
    assert change_deadline(start, RULES) == utc("2026-10-02 23:00")
    assert change_deadline(start, RULES).tzinfo is UTC
    two_days = BookingRules(cancel_cutoff=timedelta(hours=48))
    assert change_deadline(start, two_days) == utc("2026-10-01 23:00")
    anytime = BookingRules(cancel_cutoff=timedelta(0))
    assert can_patient_change(start, start, anytime)
    assert not can_patient_change(start, start + timedelta(seconds=1), anytime)


def test_naive_times_are_refused() -> None:
    naive = datetime(2026, 5, 4, 10)  # noqa: DTZ001
    with pytest.raises(ValueError, match="aware"):
        can_patient_change(naive, utc("2026-05-01 00:00"), RULES)
    with pytest.raises(ValueError, match="aware"):
        can_patient_change(utc("2026-05-04 00:00"), naive, RULES)


@pytest.mark.parametrize(
    ("start", "booked_at", "due"),
    [
        (local(MEL, "2026-10-04 10:00"), None, utc("2026-10-02 23:00")),  # 09:00 AEST Saturday
        (local(MEL, "2026-04-05 10:00"), None, utc("2026-04-04 00:00")),  # 11:00 AEDT Saturday
        (local(MEL, "2026-05-04 10:00"), utc("2026-04-20 00:00"), utc("2026-05-03 00:00")),
        # Booked inside the 24 hours: the confirmation sent at once is the reminder.
        (local(MEL, "2026-05-04 10:00"), utc("2026-05-03 00:00"), None),
        (local(MEL, "2026-05-04 10:00"), utc("2026-05-03 09:00"), None),
    ],
)
def test_when_the_reminder_is_due(
    start: datetime, booked_at: datetime | None, due: datetime | None
) -> None:
    assert reminder_due_at(start, RULES, booked_at=booked_at) == due


@pytest.mark.parametrize(
    ("status", "now", "send"),
    [
        (BookingStatus.BOOKED, "2026-05-03 00:00", True),
        (BookingStatus.BOOKED, "2026-05-03 23:59", True),  # late, but before the start
        (BookingStatus.BOOKED, "2026-05-04 00:00", False),  # it has started
        (BookingStatus.BOOKED, "2026-05-05 00:00", False),
        (BookingStatus.CANCELLED, "2026-05-03 00:00", False),
        (BookingStatus.HELD, "2026-05-03 00:00", False),  # only an offer so far
        (BookingStatus.ATTENDED, "2026-05-03 00:00", False),
        (BookingStatus.NO_SHOW, "2026-05-03 00:00", False),
    ],
)
def test_whether_a_reminder_still_goes_out(status: BookingStatus, now: str, send: bool) -> None:
    appointment = booking(utc("2026-05-04 00:00"), status=status)
    assert should_send_reminder(appointment, utc(now)) is send


@pytest.mark.parametrize(
    ("slot", "now", "expires"),
    [
        ("2026-05-04 00:00", "2026-05-01 00:00", "2026-05-01 02:00"),  # the clinic's 2 hours
        ("2026-05-04 00:00", "2026-05-03 21:00", "2026-05-03 22:00"),  # no later than the notice
        ("2026-05-04 00:00", "2026-05-03 22:00", None),  # too late to offer
        ("2026-05-04 00:00", "2026-05-03 23:00", None),
    ],
)
def test_how_long_a_waitlist_offer_is_kept(slot: str, now: str, expires: str | None) -> None:
    assert offer_expires_at(utc(slot), utc(now), RULES) == (utc(expires) if expires else None)
