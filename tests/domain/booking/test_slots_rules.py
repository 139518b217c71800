"""Free slots from hours, breaks, leave, changed days, closures, bookings, buffers and the clock.

Ana works at Richmond (Melbourne); in May 2026 Melbourne is on AEST (+10). 4 May is a Monday.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from backcare.domain.booking import (
    BookingRules,
    BookingStatus,
    ChangedDay,
    Closure,
    FreeSlot,
    Leave,
    OpeningHours,
    Practitioner,
    Shift,
    Weekday,
    free_slots,
    next_free,
)
from tests.domain.booking.clinic import (
    ANA,
    BEN,
    CLEO,
    MAYA,
    RICHMOND,
    ana,
    ben,
    booking,
    day_before,
    every_day,
    hours,
    kind,
    local,
    place,
    slots,
    weekly,
)

MONDAY = date(2026, 5, 4)
MEL = "Australia/Melbourne"


def at(text: str, day: date = MONDAY) -> datetime:
    return local(MEL, f"{day} {text}")


def walls(found: list[FreeSlot]) -> list[str]:
    return [f"{s.local_start:%H:%M}" for s in found]


def morning(**overrides: object) -> Practitioner:
    return ana(shifts=weekly("09:00", "12:00"), **overrides)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("minutes", "buffer", "shift", "expected"),
    [
        (30, 0, ("09:00", "11:00"), ["09:00", "09:30", "10:00", "10:30"]),
        # The buffer after each appointment pushes the next one along the grid.
        (45, 15, ("09:00", "12:00"), ["09:00", "10:00", "11:00"]),
        (40, 10, ("09:00", "11:00"), ["09:00", "10:00"]),
        # The last buffer may run past the end of the hours (notes after the last patient).
        (45, 15, ("09:00", "11:45"), ["09:00", "10:00", "11:00"]),
        # An appointment must end inside the hours.
        (45, 0, ("09:00", "10:30"), ["09:00", "09:45"]),
        (120, 0, ("09:00", "10:30"), []),
    ],
)
def test_durations_and_buffers(
    minutes: int, buffer: int, shift: tuple[str, str], expected: list[str]
) -> None:
    found = slots(MONDAY, people=[ana(shifts=weekly(*shift))], appointment=kind(minutes, buffer))
    assert walls(found) == expected


@pytest.mark.parametrize(
    ("existing", "minutes", "buffer", "expected"),
    [
        # Booked 09:30-10:00 with 15 minutes after it: the next slot waits until 10:15.
        ([("09:30", 30, 15)], 30, 0, ["09:00", "10:15", "10:45", "11:15"]),
        # A new slot's own buffer must not run into a booking: 09:45 + 30 + 15 would reach 10:30.
        ([("10:00", 30, 0)], 30, 15, ["09:00", "10:30", "11:15"]),
        # Back to back is fine: a booking that ends at 10:00 leaves 10:00 free.
        ([("09:00", 60, 0)], 60, 0, ["10:00", "11:00"]),
        ([("09:00", 60, 0), ("10:00", 60, 0), ("11:00", 60, 0)], 30, 0, []),
    ],
)
def test_existing_bookings_and_their_buffers(
    existing: list[tuple[str, int, int]], minutes: int, buffer: int, expected: list[str]
) -> None:
    taken = [booking(at(t), m, id=n, buffer=b) for n, (t, m, b) in enumerate(existing)]
    found = slots(MONDAY, people=[morning()], appointment=kind(minutes, buffer), bookings=taken)
    assert walls(found) == expected


def test_a_cancelled_booking_frees_its_time() -> None:
    gone = booking(at("10:00"), 60, status=BookingStatus.CANCELLED)
    found = slots(MONDAY, people=[morning()], appointment=kind(60), bookings=[gone])
    assert walls(found) == ["09:00", "10:00", "11:00"]


@pytest.mark.parametrize(
    "status",
    [BookingStatus.HELD, BookingStatus.BOOKED, BookingStatus.ATTENDED, BookingStatus.NO_SHOW],
)
def test_every_other_status_takes_the_time(status: BookingStatus) -> None:
    taken = booking(at("10:00"), 60, status=status)
    found = slots(MONDAY, people=[morning()], appointment=kind(60), bookings=[taken])
    assert walls(found) == ["09:00", "11:00"]


def test_a_booking_elsewhere_takes_the_practitioner_but_anothers_does_not() -> None:
    taken = [
        booking(at("10:00"), 60, id=1, location_id=9),  # Ana, at another location
        booking(at("09:00"), 60, id=2, practitioner=BEN),
    ]
    found = slots(MONDAY, people=[morning()], appointment=kind(60), bookings=taken)
    assert walls(found) == ["09:00", "11:00"]


def test_breaks_as_a_gap_or_as_an_explicit_break_give_the_same_slots() -> None:
    explicit = ana(shifts=weekly("09:00", "17:00", breaks=[("12:00", "13:00")]))
    gap = ana(shifts=weekly("09:00", "12:00") + weekly("13:00", "17:00"))
    one, other = (slots(MONDAY, people=[p], appointment=kind(60)) for p in (explicit, gap))
    assert (
        walls(one)
        == walls(other)
        == ["09:00", "10:00", "11:00", "13:00", "14:00", "15:00", "16:00"]
    )


def test_a_break_mid_shift_restarts_the_tiling_after_it() -> None:
    p = ana(shifts=weekly("09:00", "13:00", breaks=[("10:50", "11:10")]))
    assert walls(slots(MONDAY, people=[p], appointment=kind(45))) == [
        "09:00",
        "09:45",
        "11:15",
        "12:00",
    ]


@pytest.mark.parametrize(
    ("leave", "expected"),
    [
        ([Leave(MONDAY, MONDAY)], []),
        ([Leave(date(2026, 5, 1), date(2026, 5, 8), reason="conference")], []),
        ([Leave(date(2026, 5, 5), date(2026, 5, 8))], ["09:00", "10:00", "11:00"]),
        ([Leave(MONDAY, MONDAY, (hours("10:00", "11:00"),))], ["09:00", "11:00"]),
        # Free again from 10:45: the next slot starts there, not back on the hour.
        ([Leave(MONDAY, MONDAY, (hours("10:30", "10:45"),))], ["09:00", "10:45"]),
        (
            [
                Leave(MONDAY, MONDAY, (hours("09:00", "10:00"),)),
                Leave(MONDAY, MONDAY, (hours("11:00", "12:00"),)),
            ],
            ["10:00"],
        ),
    ],
)
def test_leave(leave: list[Leave], expected: list[str]) -> None:
    found = slots(MONDAY, people=[morning(leave=tuple(leave))], appointment=kind(60))
    assert walls(found) == expected


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ([ChangedDay(RICHMOND, MONDAY, (hours("13:00", "15:00"),))], ["13:00", "14:00"]),
        (
            [ChangedDay(RICHMOND, MONDAY, (hours("08:00", "09:00"), hours("16:00", "17:00")))],
            ["08:00", "16:00"],
        ),
        ([ChangedDay(RICHMOND, MONDAY, ())], []),  # working elsewhere that day
        ([ChangedDay(9, MONDAY, ())], ["09:00", "10:00", "11:00"]),  # another location's change
        ([ChangedDay(RICHMOND, date(2026, 5, 5), ())], ["09:00", "10:00", "11:00"]),
    ],
)
def test_a_changed_day_replaces_the_weekly_hours(
    changes: list[ChangedDay], expected: list[str]
) -> None:
    found = slots(MONDAY, people=[morning(changed_days=tuple(changes))], appointment=kind(60))
    assert walls(found) == expected


def test_a_changed_day_can_open_a_day_she_does_not_usually_work() -> None:
    sunday = date(2026, 5, 3)
    p = ana(
        shifts=weekly("09:00", "12:00", days=[Weekday.MONDAY]),
        changed_days=(ChangedDay(RICHMOND, sunday, (hours("10:00", "12:00"),)),),
    )
    assert walls(slots(sunday, people=[p], appointment=kind(60))) == ["10:00", "11:00"]
    assert walls(slots(date(2026, 5, 10), people=[p], appointment=kind(60))) == []


def test_shifts_apply_only_on_their_weekday_location_and_weeks() -> None:
    p = ana(
        shifts=(
            Shift(
                RICHMOND,
                Weekday.MONDAY,
                hours("09:00", "10:00"),
                first_day=date(2026, 5, 4),
                last_day=date(2026, 5, 11),
            ),
            Shift(9, Weekday.MONDAY, hours("10:00", "12:00")),
            Shift(RICHMOND, Weekday.TUESDAY, hours("14:00", "15:00")),
        )
    )

    def on(day: date) -> list[str]:
        return walls(slots(day, people=[p], appointment=kind(60)))

    assert on(MONDAY) == ["09:00"]
    assert on(date(2026, 5, 11)) == ["09:00"]
    assert on(date(2026, 5, 18)) == []
    assert on(date(2026, 5, 5)) == ["14:00"]


@pytest.mark.parametrize(
    ("location", "expected"),
    [
        (place(opening_hours=every_day("10:00", "19:00")), ["10:00", "11:00"]),
        (
            place(
                opening_hours=(
                    OpeningHours(Weekday.MONDAY, hours("07:00", "10:30")),
                    OpeningHours(Weekday.MONDAY, hours("11:00", "12:00")),
                )
            ),
            ["09:00", "11:00"],
        ),
        (place(opening_hours=(OpeningHours(Weekday.TUESDAY, hours("07:00", "19:00")),)), []),
        (place(closures=(Closure(MONDAY, MONDAY, reason="public holiday"),)), []),
        (
            place(closures=(Closure(MONDAY, MONDAY, (hours("09:00", "10:00"),)),)),
            ["10:00", "11:00"],
        ),
        (
            place(closures=(Closure(date(2026, 5, 5), date(2026, 5, 6)),)),
            ["09:00", "10:00", "11:00"],
        ),
    ],
)
def test_the_location_must_be_open(location: object, expected: list[str]) -> None:
    found = slots(MONDAY, at=location, people=[morning()], appointment=kind(60))  # type: ignore[arg-type]
    assert walls(found) == expected


@pytest.mark.parametrize(
    ("grid", "shift", "expected"),
    [
        (15, ("09:10", "11:00"), ["09:15", "09:45", "10:15"]),
        (20, ("09:00", "11:00"), ["09:00", "09:40", "10:20"]),
        (60, ("09:30", "12:00"), ["10:00", "11:00"]),
        (5, ("09:02", "10:00"), ["09:05"]),
    ],
)
def test_slots_start_on_the_grid_counted_from_local_midnight(
    grid: int, shift: tuple[str, str], expected: list[str]
) -> None:
    found = slots(
        MONDAY,
        people=[ana(shifts=weekly(*shift))],
        appointment=kind(30),
        rules=BookingRules(grid_minutes=grid),
    )
    assert walls(found)[: len(expected)] == expected


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (at("07:00"), ["09:00", "10:00", "11:00"]),  # exactly two hours before: still bookable
        (at("07:01"), ["10:00", "11:00"]),  # the tiling stays put: 10:00, not 09:15
        (at("09:00"), ["11:00"]),
        (at("09:01"), []),
        (at("12:00"), []),
    ],
)
def test_the_minimum_notice_at_its_edge(now: datetime, expected: list[str]) -> None:
    assert walls(slots(MONDAY, people=[morning()], appointment=kind(60), now=now)) == expected


def test_no_notice_allows_the_very_next_slot_but_never_the_past() -> None:
    rules = BookingRules(min_notice=timedelta(0))
    found = slots(MONDAY, people=[morning()], appointment=kind(60), now=at("10:00"), rules=rules)
    assert walls(found) == ["10:00", "11:00"]


def test_the_horizon_at_its_edge() -> None:
    # 60 days from Monday 4 May is Friday 3 July, which can be booked to its last slot.
    found = slots(
        date(2026, 7, 2),
        last_day=date(2026, 7, 5),
        people=[morning()],
        appointment=kind(60),
        now=at("11:59"),
    )
    assert {s.local_date for s in found} == {date(2026, 7, 2), date(2026, 7, 3)}
    assert walls([s for s in found if s.local_date == date(2026, 7, 3)]) == [
        "09:00",
        "10:00",
        "11:00",
    ]
    # At 00:00 on the 5th in Melbourne the horizon moves on by a day.
    later = slots(
        date(2026, 7, 4),
        people=[morning()],
        appointment=kind(60),
        now=at("00:00", date(2026, 5, 5)),
    )
    assert walls(later) == ["09:00", "10:00", "11:00"]


def test_days_already_over_are_skipped_and_a_backward_range_refused() -> None:
    found = slots(
        date(2026, 5, 1),
        last_day=MONDAY,
        people=[morning()],
        appointment=kind(60),
        now=at("23:00", date(2026, 5, 3)),
    )
    assert {s.local_date for s in found} == {MONDAY}
    with pytest.raises(ValueError, match="last_day: must be on or after first_day"):
        slots(MONDAY, last_day=date(2026, 5, 3))


def test_anyone_merges_practitioners_without_duplicates() -> None:
    people = [ben(shifts=weekly("10:00", "13:00")), ana(shifts=weekly("09:00", "12:00")), ben()]
    found = slots(MONDAY, people=people, appointment=kind(60))
    assert [(f"{s.local_start:%H:%M}", s.practitioner_ids) for s in found] == [
        ("09:00", (ANA,)),
        ("10:00", (BEN, ANA)),  # in the order they were given: the caller's preference
        ("11:00", (BEN, ANA)),
        ("12:00", (BEN,)),
    ]
    assert len({s.start for s in found}) == len(found)


def test_one_practitioner_or_only_those_who_give_the_type() -> None:
    cleo = Practitioner(CLEO, "Cleo Park", weekly("09:00", "12:00"))
    people = [morning(), ben(shifts=weekly("10:00", "12:00")), cleo]
    only_ben = slots(MONDAY, people=people, appointment=kind(60), practitioner_id=BEN)
    assert [(f"{s.local_start:%H:%M}", s.practitioner_ids) for s in only_ben] == [
        ("10:00", (BEN,)),
        ("11:00", (BEN,)),
    ]
    assert slots(MONDAY, people=people, appointment=kind(60), practitioner_id=CLEO) == []
    anyone = slots(MONDAY, people=people, appointment=kind(60))
    assert all(CLEO not in s.practitioner_ids for s in anyone)


def test_a_slot_carries_what_the_booking_needs() -> None:
    [slot] = slots(MONDAY, people=[ana(shifts=weekly("09:00", "09:30"))])
    assert slot.start == at("09:00") and slot.end == at("09:30")
    assert slot.start.utcoffset() == timedelta(0) and slot.local_end == at("09:30")
    assert (slot.zone, slot.location_id, slot.appointment_type_id) == (MEL, RICHMOND, 1)


def test_a_fortnight_lists_every_day_in_order() -> None:
    found = slots(
        MONDAY, last_day=MONDAY + timedelta(days=13), people=[morning()], appointment=kind(60)
    )
    assert len(found) == 14 * 3
    assert [s.start for s in found] == sorted(s.start for s in found)


class TestNextFree:
    def test_after_a_taken_slot_it_lists_the_next_ones_across_days(self) -> None:
        taken = [booking(at("10:00"), 60, id=1, patient=MAYA)]
        found = next_free(
            place(),
            kind(60),
            [morning()],
            taken,
            after=at("10:00"),
            now=day_before(MONDAY),
            rules=BookingRules(),
        )
        assert [(s.local_date.day, f"{s.local_start:%H:%M}") for s in found] == [
            (4, "11:00"),
            (5, "09:00"),
            (5, "10:00"),
        ]

    def test_for_anyone_it_offers_the_same_time_with_someone_else_first(self) -> None:
        taken = [booking(at("10:00"), 60, id=1)]
        found = next_free(
            place(),
            kind(60),
            [morning(), ben(shifts=weekly("10:00", "12:00"))],
            taken,
            after=at("10:00"),
            now=day_before(MONDAY),
            rules=BookingRules(),
            count=2,
        )
        assert [(f"{s.local_start:%H:%M}", s.practitioner_ids) for s in found] == [
            ("10:00", (BEN,)),
            ("11:00", (ANA, BEN)),
        ]

    def test_it_stops_at_the_horizon(self) -> None:
        found = next_free(
            place(),
            kind(60),
            [morning()],
            [],
            after=at("09:00"),
            now=day_before(MONDAY),
            rules=BookingRules(horizon_days=3),
            count=50,
        )
        # Now is 2 May in Melbourne: three days ahead is 5 May, so the 4th and the 5th only.
        assert len(found) == 6
        assert max(s.local_date for s in found) == date(2026, 5, 5)

    def test_it_refuses_to_count_below_one(self) -> None:
        with pytest.raises(ValueError, match="count"):
            next_free(
                place(),
                kind(),
                [ana()],
                [],
                after=at("09:00"),
                now=day_before(MONDAY),
                rules=BookingRules(),
                count=0,
            )


def test_free_slots_is_the_same_function_whatever_the_order_of_bookings() -> None:
    taken = [booking(at(t), 30, id=n) for n, t in enumerate(["11:00", "09:30", "10:15"])]
    one = free_slots(
        place(),
        kind(30),
        [morning()],
        taken,
        first_day=MONDAY,
        last_day=MONDAY,
        now=day_before(MONDAY),
        rules=BookingRules(),
    )
    other = free_slots(
        place(),
        kind(30),
        [morning()],
        taken[::-1],
        first_day=MONDAY,
        last_day=MONDAY,
        now=day_before(MONDAY),
        rules=BookingRules(),
    )
    assert one == other and walls(one) == ["09:00", "11:30"]
