"""What a patient sends to book or to wait is parsed strictly, one readable line per problem."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone
from typing import Any

import pytest

from backcare.domain.booking import TimeRange, Weekday
from backcare.domain.booking.inputs import BookingRequestInput, WaitlistWishInput
from backcare.domain.validation import InputError, parse_json, parse_obj

REQUEST = {"location": 1, "appointment_type": 2, "start": "2026-05-04T09:00:00+10:00"}


def test_a_booking_request_keeps_the_instant_it_names() -> None:
    got = parse_obj(BookingRequestInput, REQUEST)
    assert (got.location, got.appointment_type, got.practitioner) == (1, 2, None)
    assert got.start == datetime(2026, 5, 3, 23, tzinfo=UTC)
    assert got.start.utcoffset() == timedelta(hours=10)
    zulu = parse_json(
        BookingRequestInput,
        '{"location": 1, "appointment_type": 2, '
        '"practitioner": 7, "start": "2026-05-03T23:00:00Z"}',
    )
    assert zulu.start == got.start and zulu.practitioner == 7


OFFSET = "must be a date and time with its UTC offset, such as 2026-05-04T09:00:00+10:00"

BAD_REQUESTS: list[tuple[dict[str, Any], list[str]]] = [
    ({**REQUEST, "start": "2026-05-04T09:00:00"}, [f"start: {OFFSET}"]),
    ({**REQUEST, "start": "next Monday"}, [f"start: {OFFSET}"]),
    ({**REQUEST, "start": 1777852800}, [f"start: {OFFSET}"]),
    ({**REQUEST, "location": 0}, ["location: must be an integer of 1 or more"]),
    ({**REQUEST, "appointment_type": "2"}, ["appointment_type: must be an integer of 1 or more"]),
    ({**REQUEST, "practitioner": -1}, ["practitioner: must be an integer of 1 or more or null"]),
    ({**REQUEST, "slot": "x"}, ["slot: unknown field"]),
    (
        {"location": 1, "start": REQUEST["start"]},
        ["appointment_type: is required and must be an integer of 1 or more"],
    ),
]


@pytest.mark.parametrize(("data", "problems"), BAD_REQUESTS)
def test_a_bad_booking_request_is_refused_naming_the_field(
    data: dict[str, Any], problems: list[str]
) -> None:
    with pytest.raises(InputError) as caught:
        parse_obj(BookingRequestInput, data)
    assert caught.value.problems == problems


WISH = {
    "location": 1,
    "appointment_type": 2,
    "earliest": "2026-05-04",
    "latest": "2026-05-15",
    "weekdays": ["monday", "thursday"],
    "windows": [{"start": "08:00", "end": "10:30"}, {"start": "16:00", "end": "18:00"}],
}


def test_a_waitlist_wish_becomes_an_entry() -> None:
    joined = datetime(2026, 4, 20, 9, tzinfo=timezone(timedelta(hours=10)))
    got = parse_obj(WaitlistWishInput, WISH).to_entry(id=5, patient_id=201, joined_at=joined)
    assert (got.id, got.patient_id, got.location_id, got.appointment_type_id) == (5, 201, 1, 2)
    assert (got.practitioner_id, got.earliest, got.latest) == (
        None,
        date(2026, 5, 4),
        date(2026, 5, 15),
    )
    assert got.weekdays == frozenset({Weekday.MONDAY, Weekday.THURSDAY})
    assert got.windows == (TimeRange(time(8), time(10, 30)), TimeRange(time(16), time(18)))
    assert got.joined_at == joined
    bare = parse_obj(WaitlistWishInput, {"location": 1, "appointment_type": 2})
    entry = bare.to_entry(id=1, patient_id=2, joined_at=joined)
    assert (entry.weekdays, entry.windows, entry.earliest) == (frozenset(), (), None)


BAD_WISHES: list[tuple[dict[str, Any], list[str]]] = [
    ({**WISH, "latest": "2026-05-01"}, ["latest: must be on or after earliest (2026-05-04)"]),
    ({**WISH, "earliest": "4 May"}, ["earliest: must be a date as YYYY-MM-DD or null"]),
    (
        {**WISH, "weekdays": ["mon"]},
        [
            'weekdays[0]: must be one of "monday", "tuesday", "wednesday", "thursday", "friday", '
            '"saturday", "sunday"',
        ],
    ),
    (
        {**WISH, "weekdays": ["monday"] * 8},
        [
            'weekdays: must be a list of at most 7 items, each one of "monday", "tuesday", '
            '"wednesday", "thursday", "friday", "saturday", "sunday"',
        ],
    ),
    (
        {**WISH, "windows": [{"start": "9:00", "end": "10:00"}]},
        ["windows[0].start: must be a time of day as HH:MM, such as 09:30"],
    ),
    (
        {**WISH, "windows": [{"start": "09:00", "end": "24:00"}]},
        ["windows[0].end: must be a time of day as HH:MM, such as 09:30"],
    ),
    (
        {**WISH, "windows": [{"start": "10:00", "end": "09:00"}]},
        ["windows[0].end: must be after start (10:00), on the same day"],
    ),
    (
        {**WISH, "windows": [{"start": "09:00", "end": "10:00", "days": 1}]},
        ["windows[0].days: unknown field"],
    ),
]


@pytest.mark.parametrize(("data", "problems"), BAD_WISHES)
def test_a_bad_wish_is_refused_naming_the_field(data: dict[str, Any], problems: list[str]) -> None:
    with pytest.raises(InputError) as caught:
        parse_obj(WaitlistWishInput, data)
    assert caught.value.problems == problems


def test_a_missing_window_end_is_named() -> None:
    with pytest.raises(InputError) as caught:
        parse_obj(WaitlistWishInput, {**WISH, "windows": [{"start": "10:00"}]})
    [problem] = caught.value.problems
    assert problem.startswith("windows[0].end: is required")
