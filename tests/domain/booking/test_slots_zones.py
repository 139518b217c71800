"""Slot tables in every Australian zone, on the DST change days, and for bookers elsewhere."""

from __future__ import annotations

import zoneinfo
from datetime import date, datetime, timedelta
from itertools import pairwise

import pytest

from backcare.domain.booking import BookingRules, FreeSlot
from tests.domain.booking.clinic import (
    ZONES,
    ana,
    every_day,
    kind,
    labels,
    place,
    slots,
    starts_utc,
    utc,
    weekly,
)

BACK, FORWARD = date(2026, 4, 5), date(2026, 10, 4)


def _night(
    name: str, day: date, minutes: int, shift: tuple[str, str] = ("01:00", "04:00")
) -> list[FreeSlot]:
    """A (made-up) shift across the small hours, where the clocks change."""
    return slots(
        day,
        at=place(name, opening_hours=every_day("00:00", "23:00")),
        people=[ana(shifts=weekly(*shift))],
        appointment=kind(minutes),
    )


NIGHT_TABLES = [
    # Melbourne, 5 April: 02:00-02:59 happens twice. The grid follows elapsed time through both
    # passes; each label in the repeated hour names its offset. Four elapsed hours, 8 slots.
    (
        "Richmond",
        BACK,
        30,
        [
            ("01:00 AEDT", "14:00"),
            ("01:30 AEDT", "14:30"),
            ("02:00 AEDT (UTC+11:00)", "15:00"),
            ("02:30 AEDT (UTC+11:00)", "15:30"),
            ("02:00 AEST (UTC+10:00)", "16:00"),
            ("02:30 AEST (UTC+10:00)", "16:30"),
            ("03:00 AEST", "17:00"),
            ("03:30 AEST", "17:30"),
        ],
    ),
    # 45 minutes on a 15-minute grid: each next slot at the first grid time after the last.
    (
        "Richmond",
        BACK,
        45,
        [
            ("01:00 AEDT", "14:00"),
            ("01:45 AEDT", "14:45"),
            ("02:30 AEDT (UTC+11:00)", "15:30"),
            ("02:15 AEST (UTC+10:00)", "16:15"),
            ("03:00 AEST", "17:00"),
        ],
    ),
    # Melbourne, 4 October: 02:00-02:59 does not exist. Two elapsed hours, nothing starts in it.
    (
        "Richmond",
        FORWARD,
        30,
        [
            ("01:00 AEST", "15:00"),
            ("01:30 AEST", "15:30"),
            ("03:00 AEDT", "16:00"),
            ("03:30 AEDT", "16:30"),
        ],
    ),
    # A slot may run across the change: 01:45 AEST for 45 minutes ends at 03:30 AEDT.
    ("Richmond", FORWARD, 45, [("01:00 AEST", "15:00"), ("01:45 AEST", "15:45")]),
    ("Hobart", FORWARD, 45, [("01:00 AEST", "15:00"), ("01:45 AEST", "15:45")]),
    (
        "Norwood",
        BACK,
        60,
        [
            ("01:00 ACDT", "14:30"),
            ("02:00 ACDT (UTC+10:30)", "15:30"),
            ("02:00 ACST (UTC+09:30)", "16:30"),
            ("03:00 ACST", "17:30"),
        ],
    ),
    ("Norwood", FORWARD, 60, [("01:00 ACST", "15:30"), ("03:00 ACDT", "16:30")]),
    # Lord Howe moves by half an hour: 01:30-01:59 twice in April, 02:00-02:29 gone in October.
    (
        "Lord Howe Island",
        BACK,
        30,
        [
            ("01:00 UTC+11:00", "14:00"),
            ("01:30 UTC+11:00", "14:30"),
            ("01:30 UTC+10:30", "15:00"),
            ("02:00 UTC+10:30", "15:30"),
            ("02:30 UTC+10:30", "16:00"),
            ("03:00 UTC+10:30", "16:30"),
            ("03:30 UTC+10:30", "17:00"),
        ],
    ),
    (
        "Lord Howe Island",
        FORWARD,
        30,
        [
            ("01:00 UTC+10:30", "14:30"),
            ("01:30 UTC+10:30", "15:00"),
            ("02:30 UTC+11:00", "15:30"),
            ("03:00 UTC+11:00", "16:00"),
            ("03:30 UTC+11:00", "16:30"),
        ],
    ),
    # No DST: the small hours of those Sundays are like any other.
    (
        "Fortitude Valley",
        BACK,
        60,
        [
            ("01:00 AEST", "15:00"),
            ("02:00 AEST", "16:00"),
            ("03:00 AEST", "17:00"),
        ],
    ),
    (
        "Subiaco",
        FORWARD,
        60,
        [
            ("01:00 AWST", "17:00"),
            ("02:00 AWST", "18:00"),
            ("03:00 AWST", "19:00"),
        ],
    ),
    (
        "Darwin",
        FORWARD,
        60,
        [
            ("01:00 ACST", "15:30"),
            ("02:00 ACST", "16:30"),
            ("03:00 ACST", "17:30"),
        ],
    ),
]


@pytest.mark.parametrize(("name", "day", "minutes", "expected"), NIGHT_TABLES)
def test_slot_tables_through_the_small_hours(
    name: str, day: date, minutes: int, expected: list[tuple[str, str]]
) -> None:
    found = _night(name, day, minutes)
    assert list(zip(labels(found), starts_utc(found), strict=True)) == expected


@pytest.mark.parametrize("day", [BACK, FORWARD])
def test_a_shift_starting_in_the_missing_hour_starts_when_the_clocks_change(day: date) -> None:
    found = _night("Richmond", day, 30, shift=("02:30", "04:00"))
    if day == FORWARD:
        assert labels(found) == ["03:00 AEDT", "03:30 AEDT"]
    else:  # 02:30 happens twice: the shift starts at its first pass
        assert labels(found)[:2] == ["02:30 AEDT (UTC+11:00)", "02:00 AEST (UTC+10:00)"]
        assert len(found) == 5


MORNINGS = [
    # (location, day, the 09:00 slot in UTC): the offset of the day itself, never the day before.
    ("Richmond", date(2026, 4, 4), "2026-04-03T22:00"),
    ("Richmond", BACK, "2026-04-04T23:00"),
    ("Richmond", date(2026, 10, 3), "2026-10-02T23:00"),
    ("Richmond", FORWARD, "2026-10-03T22:00"),
    ("Hobart", BACK, "2026-04-04T23:00"),
    ("Surry Hills", FORWARD, "2026-10-03T22:00"),
    ("Fortitude Valley", BACK, "2026-04-04T23:00"),
    ("Fortitude Valley", FORWARD, "2026-10-03T23:00"),
    ("Norwood", date(2026, 4, 4), "2026-04-03T22:30"),
    ("Norwood", BACK, "2026-04-04T23:30"),
    ("Norwood", FORWARD, "2026-10-03T22:30"),
    ("Darwin", BACK, "2026-04-04T23:30"),
    ("Darwin", FORWARD, "2026-10-03T23:30"),
    ("Subiaco", BACK, "2026-04-05T01:00"),
    ("Subiaco", FORWARD, "2026-10-04T01:00"),
    ("Lord Howe Island", date(2026, 4, 4), "2026-04-03T22:00"),
    ("Lord Howe Island", BACK, "2026-04-04T22:30"),
    ("Lord Howe Island", FORWARD, "2026-10-03T22:00"),
]


@pytest.mark.parametrize(("name", "day", "nine"), MORNINGS)
def test_a_morning_in_each_zone(name: str, day: date, nine: str) -> None:
    found = slots(
        day, at=place(name), people=[ana(shifts=weekly("09:00", "12:00"))], appointment=kind(60)
    )
    assert [s.local_start.strftime("%H:%M") for s in found] == ["09:00", "10:00", "11:00"]
    assert found[0].start == utc(nine.replace("T", " "))
    assert found[0].start.utcoffset() == timedelta(0)
    assert found[0].zone == ZONES[name] and found[0].local_date == day
    assert [b.start - a.start for a, b in pairwise(found)] == [timedelta(hours=1)] * 2


def test_a_patient_in_perth_sees_melbournes_times_and_date() -> None:
    # 23:30 in Perth on 4 May is already 01:30 on 5 May in Melbourne.
    now = datetime(2026, 5, 4, 23, 30, tzinfo=zoneinfo.ZoneInfo("Australia/Perth"))
    found = slots(
        date(2026, 5, 4),
        now=now,
        last_day=date(2026, 5, 5),
        people=[ana(shifts=weekly("09:00", "10:00"))],
    )
    assert [(s.date_label, s.label) for s in found] == [
        ("Tue 5 May 2026", "09:00 AEST"),
        ("Tue 5 May 2026", "09:30 AEST"),
    ]
    perth = found[0].seen_from("Australia/Perth")
    assert (perth.date(), f"{perth:%H:%M %Z}") == (date(2026, 5, 5), "07:00 AWST")


def test_a_patient_in_london_sees_the_date_in_sydney() -> None:
    # 20:00 in London on 1 June is 05:00 on 2 June in Sydney: 08:00 there is 23:00 here, on the 1st.
    now = datetime(2026, 6, 1, 20, tzinfo=zoneinfo.ZoneInfo("Europe/London"))
    found = slots(
        date(2026, 6, 2),
        now=now,
        at=place("Surry Hills"),
        people=[ana(shifts=weekly("08:00", "09:00"))],
        appointment=kind(60),
    )
    [slot] = found
    assert (slot.local_date, slot.date_label, slot.label) == (
        date(2026, 6, 2),
        "Tue 2 Jun 2026",
        "08:00 AEST",
    )
    london = slot.seen_from("Europe/London")
    assert (london.date(), f"{london:%H:%M %Z}") == (date(2026, 6, 1), "23:00 BST")


def test_today_is_the_locations_today_not_the_bookers() -> None:
    # At 23:30 UTC on 4 May it is still the 4th in London but already 09:30 on the 5th in
    # Melbourne: asking for Melbourne's 4th finds nothing (it is over), the 5th finds 11:30 on.
    now = datetime(2026, 5, 4, 23, 30, tzinfo=zoneinfo.ZoneInfo("UTC"))
    assert slots(date(2026, 5, 4), now=now) == []
    found = slots(date(2026, 5, 5), now=now)
    assert found[0].label == "11:30 AEST" and found[0].local_date == date(2026, 5, 5)


def _exists(slot: FreeSlot) -> bool:
    """The wall time shown, read back in its zone with its fold, is the same instant."""
    wall = slot.local_start.replace(tzinfo=None)
    again = wall.replace(tzinfo=zoneinfo.ZoneInfo(slot.zone), fold=slot.local_start.fold)
    return again.timestamp() == slot.start.timestamp()


@pytest.mark.parametrize("name", sorted(ZONES))
@pytest.mark.parametrize("day", [BACK, FORWARD, date(2027, 4, 4), date(2027, 10, 3)])
@pytest.mark.parametrize(
    ("minutes", "buffer", "grid"), [(15, 0, 15), (20, 5, 5), (45, 15, 15), (60, 0, 30)]
)
def test_change_days_in_every_zone_keep_their_promises(
    name: str, day: date, minutes: int, buffer: int, grid: int
) -> None:
    found = slots(
        day,
        at=place(name, opening_hours=every_day("00:00", "23:59")),
        people=[ana(shifts=weekly("00:00", "23:59"))],
        appointment=kind(minutes, buffer),
        rules=BookingRules(grid_minutes=grid),
    )
    assert found
    assert len(set(labels(found))) == len(found)
    step = timedelta(minutes=minutes + buffer)
    assert all(b.start - a.start >= step for a, b in pairwise(found))
    for slot in found:
        assert _exists(slot)
        assert (slot.local_start.hour * 60 + slot.local_start.minute) % grid == 0
        assert slot.end - slot.start == timedelta(minutes=minutes)
        assert slot.local_date == day
