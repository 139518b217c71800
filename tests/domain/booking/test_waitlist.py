"""Who is offered a freed slot: the first to join whose wishes fit and who is free then.

The freed slot is Monday 4 May 2026, 10:00-10:30 AEST at Richmond, a follow-up, with Ana or Ben.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import pytest

from backcare.domain.booking import (
    BookingStatus,
    FreeSlot,
    Offer,
    WaitlistEntry,
    Weekday,
    offer_for,
)
from tests.domain.booking.clinic import (
    ANA,
    BEN,
    CLEO,
    MAYA,
    RICHMOND,
    TOM,
    ana,
    ben,
    booking,
    every_day,
    hours,
    kind,
    local,
    place,
    slots,
    utc,
    weekly,
)

MONDAY = date(2026, 5, 4)


def freed() -> FreeSlot:
    found = slots(MONDAY, people=[ana(), ben()])
    return next(s for s in found if f"{s.local_start:%H:%M}" == "10:00")


def entry(**overrides: Any) -> WaitlistEntry:
    values: dict[str, Any] = {
        "id": 1,
        "patient_id": MAYA,
        "joined_at": utc("2026-04-20 00:00"),
        "location_id": RICHMOND,
        "appointment_type_id": 1,
    }
    values.update(overrides)
    return WaitlistEntry(**values)


FITS = [
    ({}, True),
    ({"location_id": 2}, False),
    ({"appointment_type_id": 2}, False),
    ({"practitioner_id": ANA}, True),
    ({"practitioner_id": BEN}, True),
    ({"practitioner_id": CLEO}, False),
    ({"earliest": MONDAY}, True),
    ({"earliest": date(2026, 5, 5)}, False),
    ({"latest": MONDAY}, True),
    ({"latest": date(2026, 5, 3)}, False),
    ({"earliest": date(2026, 5, 1), "latest": date(2026, 5, 8)}, True),
    ({"weekdays": frozenset({Weekday.MONDAY, Weekday.FRIDAY})}, True),
    ({"weekdays": frozenset({Weekday.TUESDAY})}, False),
    ({"windows": (hours("09:00", "12:00"),)}, True),
    ({"windows": (hours("10:00", "10:30"),)}, True),  # exactly the appointment
    ({"windows": (hours("10:15", "12:00"),)}, False),  # starts too early for them
    ({"windows": (hours("09:00", "10:15"),)}, False),  # ends too late for them
    ({"windows": (hours("07:00", "08:00"), hours("10:00", "11:00"))}, True),
    ({"weekdays": frozenset({Weekday.MONDAY}), "windows": (hours("13:00", "17:00"),)}, False),
]


@pytest.mark.parametrize(("overrides", "fits"), FITS)
def test_which_wishes_fit(overrides: dict[str, Any], fits: bool) -> None:
    assert entry(**overrides).fits(freed()) is fits


def test_time_windows_read_the_locations_clock_on_a_change_day() -> None:
    # 5 April 2026 in Melbourne: 02:00-02:30 by the clock fits both passes of the repeated hour.
    night = place(opening_hours=every_day("00:00", "23:00"))
    found = slots(date(2026, 4, 5), at=night, people=[ana(shifts=weekly("02:00", "03:00"))])
    second = next(s for s in found if s.label == "02:00 AEST (UTC+10:00)")
    wish = entry(
        windows=(hours("02:00", "02:30"),),
        weekdays=frozenset({Weekday.SUNDAY}),
    )
    assert wish.fits(second)
    assert wish.fits(next(s for s in found if s.label == "02:00 AEDT (UTC+11:00)"))
    assert not wish.fits(next(s for s in found if s.label == "02:30 AEST (UTC+10:00)"))


def test_dates_are_the_locations_even_for_a_patient_far_away() -> None:
    # 08:00 on 2 June in Sydney is still 1 June in London: a London patient's "by 1 June" misses.
    sydney = slots(
        date(2026, 6, 2),
        at=place("Surry Hills"),
        people=[ana(shifts=weekly("08:00", "09:00"))],
        appointment=kind(60),
    )[0]
    assert not entry(latest=date(2026, 6, 1)).fits(sydney)
    assert entry(latest=date(2026, 6, 2)).fits(sydney)


def test_the_first_to_join_is_offered_it() -> None:
    waiting = [
        entry(id=3, patient_id=TOM, joined_at=utc("2026-04-21 00:00")),
        entry(id=2, patient_id=MAYA, joined_at=utc("2026-04-20 00:00")),
        entry(id=1, patient_id=404, joined_at=utc("2026-04-22 00:00")),
    ]
    offer = offer_for(freed(), waiting)
    assert offer == Offer(entry=waiting[1], practitioner_id=ANA, slot=freed())


def test_ties_go_to_the_earlier_entry_and_wishes_that_do_not_fit_are_passed_over() -> None:
    same = utc("2026-04-20 00:00")
    waiting = [
        entry(id=9, patient_id=TOM, joined_at=same),
        entry(id=5, patient_id=MAYA, joined_at=same - timedelta(days=1), location_id=2),
        entry(id=7, patient_id=MAYA, joined_at=same),
    ]
    offer = offer_for(freed(), waiting)
    assert offer is not None and offer.entry.id == 7


@pytest.mark.parametrize(
    ("their_booking", "skipped"),
    [
        (("10:15", 30, BookingStatus.BOOKED), True),
        (("09:45", 30, BookingStatus.HELD), True),
        (("10:15", 30, BookingStatus.CANCELLED), False),
        (("09:30", 30, BookingStatus.BOOKED), False),  # ends as the freed slot starts
        (("10:30", 30, BookingStatus.BOOKED), False),  # starts as it ends
    ],
)
def test_a_patient_already_booked_then_is_skipped(
    their_booking: tuple[str, int, BookingStatus], skipped: bool
) -> None:
    start, minutes, status = their_booking
    theirs = booking(
        local("Australia/Melbourne", f"2026-05-04 {start}"),
        minutes,
        practitioner=CLEO,
        patient=MAYA,
        status=status,
    )
    waiting = [
        entry(id=1, patient_id=MAYA),
        entry(id=2, patient_id=TOM, joined_at=utc("2026-04-25 00:00")),
    ]
    offer = offer_for(freed(), waiting, [theirs])
    assert offer is not None and offer.entry.patient_id == (TOM if skipped else MAYA)


def test_the_practitioner_is_the_one_asked_for_or_the_slots_first() -> None:
    slot = freed()
    assert slot.practitioner_ids == (ANA, BEN)
    asked = offer_for(slot, [entry(practitioner_id=BEN)])
    assert asked is not None and asked.practitioner_id == BEN
    anyone = offer_for(slot, [entry()])
    assert anyone is not None and anyone.practitioner_id == ANA


def test_nobody_fits() -> None:
    assert offer_for(freed(), []) is None
    assert offer_for(freed(), [entry(appointment_type_id=2)]) is None


def test_an_entry_refuses_what_cannot_be_right() -> None:
    with pytest.raises(ValueError, match="joined_at: must be an aware datetime"):
        entry(joined_at=datetime(2026, 4, 20))  # noqa: DTZ001
    with pytest.raises(ValueError, match=r"latest: must be on or after earliest \(2026-05-04\)"):
        entry(earliest=MONDAY, latest=date(2026, 5, 3))
