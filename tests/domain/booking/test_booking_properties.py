"""Properties over random clinics, in every zone, around the DST change days.

Whatever the hours, breaks, leave, bookings, buffers, grid and clock:
- no two free slots of one practitioner overlap, buffers included;
- no free slot overlaps an existing booking plus its buffer (nor its own buffer a booking);
- every free slot passes check_booking;
- no two slots of a day share a label, and each starts at a wall time that exists.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from backcare.domain.booking import (
    AppointmentType,
    Booking,
    BookingRules,
    BookingStatus,
    FreeSlot,
    Leave,
    Location,
    OpeningHours,
    Practitioner,
    Shift,
    TimeRange,
    Weekday,
    check_booking,
    free_slots,
)
from tests.domain.booking.clinic import ZONES

DAYS = [
    date(2026, 4, 4),
    date(2026, 4, 5),
    date(2026, 10, 4),
    date(2026, 5, 4),
    date(2027, 4, 4),
    date(2027, 10, 3),
]
NOBODY = 999_999  # a patient with no bookings


def _wall(minute: int) -> time:
    return time(minute // 60, minute % 60)


@st.composite
def ranges(draw: st.DrawFn, low: int = 0, high: int = 1439) -> TimeRange:
    start = draw(st.integers(low, high - 5))
    end = draw(st.integers(start + 5, min(high, start + 12 * 60)))
    return TimeRange(_wall(start), _wall(end))


@st.composite
def shifts(draw: st.DrawFn, location_id: int) -> Shift:
    hours = draw(ranges())
    span = hours.end_minute - hours.start_minute
    breaks: tuple[TimeRange, ...] = ()
    if span > 60 and draw(st.booleans()):
        start = draw(st.integers(hours.start_minute, hours.end_minute - 10))
        breaks = (TimeRange(_wall(start), _wall(draw(st.integers(start + 5, hours.end_minute)))),)
    return Shift(location_id, draw(st.sampled_from(list(Weekday))), hours, breaks)


@st.composite
def practitioners(draw: st.DrawFn, pid: int, day: date) -> Practitioner:
    own = draw(st.lists(shifts(1), max_size=6))
    # The days in question always have some hours.
    for near in (day - timedelta(days=1), day, day + timedelta(days=1)):
        own.append(Shift(1, Weekday.of(near), draw(ranges())))
    leave = draw(
        st.lists(
            st.builds(
                lambda hours, whole: Leave(day, day, () if whole else (hours,)),
                ranges(),
                st.booleans(),
            ),
            max_size=2,
        )
    )
    return Practitioner(pid, f"P{pid}", tuple(own), tuple(leave))


@st.composite
def clinics(draw: st.DrawFn) -> dict[str, object]:
    name = draw(st.sampled_from(sorted(ZONES)))
    day = draw(st.sampled_from(DAYS))
    zone = zoneinfo.ZoneInfo(ZONES[name])
    # Mostly open all day, so the practitioners' hours decide; sometimes a narrower day.
    wide = draw(st.sampled_from([TimeRange(time(0), time(23, 59)), None]))
    opening = tuple(OpeningHours(d, wide or draw(ranges(0, 1439))) for d in Weekday)
    location = Location(1, name, ZONES[name], opening)
    people = [draw(practitioners(pid, day)) for pid in range(1, draw(st.integers(1, 3)) + 1)]
    kind = AppointmentType(
        1,
        "T",
        timedelta(minutes=draw(st.sampled_from([10, 15, 20, 30, 45, 60, 90]))),
        frozenset(p.id for p in people),
        timedelta(minutes=draw(st.sampled_from([0, 5, 10, 15]))),
    )
    midnight = datetime.combine(day, time(), zone).astimezone(UTC)
    bookings = []
    for n in range(draw(st.integers(0, 8))):
        start = midnight + timedelta(minutes=draw(st.integers(-60, 25 * 60)))
        bookings.append(
            Booking(
                n,
                draw(st.sampled_from([p.id for p in people])),
                500 + n,
                draw(st.sampled_from([1, 2])),
                start,
                start + timedelta(minutes=draw(st.integers(5, 120))),
                draw(st.sampled_from(list(BookingStatus))),
                timedelta(minutes=draw(st.sampled_from([0, 10, 15, 30]))),
            )
        )
    rules = BookingRules(
        grid_minutes=draw(st.sampled_from([5, 10, 15, 20, 30, 60])),
        min_notice=timedelta(minutes=draw(st.sampled_from([0, 60, 120, 24 * 60]))),
        horizon_days=draw(st.sampled_from([1, 3, 60])),
    )
    # Usually a day or two before, sometimes during the day (the notice then cuts into it).
    now = midnight + timedelta(minutes=draw(st.integers(-3 * 1440, 720)))
    return {
        "location": location,
        "kind": kind,
        "people": people,
        "bookings": bookings,
        "rules": rules,
        "now": now,
        "day": day,
    }


def _found(c: dict[str, object]) -> list[FreeSlot]:
    day = c["day"]
    assert isinstance(day, date)
    return free_slots(
        c["location"],
        c["kind"],
        c["people"],
        c["bookings"],  # type: ignore[arg-type]
        first_day=day - timedelta(days=1),
        last_day=day + timedelta(days=1),
        now=c["now"],
        rules=c["rules"],  # type: ignore[arg-type]
    )


def _of(found: Sequence[FreeSlot], pid: int) -> list[FreeSlot]:
    return [s for s in found if pid in s.practitioner_ids]


def _assert_no_overlap_per_practitioner(c: dict[str, object], found: list[FreeSlot]) -> None:
    kind = c["kind"]
    assert isinstance(kind, AppointmentType)
    assert [s.start for s in found] == sorted({s.start for s in found})
    for person in c["people"]:  # type: ignore[attr-defined]
        mine = _of(found, person.id)
        assert all(b.start >= a.end + kind.buffer_after for a, b in pairwise(mine))


def _assert_clear_of_bookings(c: dict[str, object], found: list[FreeSlot]) -> None:
    kind = c["kind"]
    assert isinstance(kind, AppointmentType)
    for b in c["bookings"]:  # type: ignore[attr-defined]
        if b.status.takes_time:
            for s in _of(found, b.practitioner_id):
                assert s.end + kind.buffer_after <= b.start or b.end + b.buffer_after <= s.start


def _assert_labels_unique_and_starts_exist(c: dict[str, object], found: list[FreeSlot]) -> None:
    now, rules = c["now"], c["rules"]
    assert isinstance(now, datetime) and isinstance(rules, BookingRules)
    by_day: dict[date, list[str]] = {}
    for s in found:
        by_day.setdefault(s.local_date, []).append(s.label)
        wall = s.local_start.replace(tzinfo=None)
        again = wall.replace(tzinfo=zoneinfo.ZoneInfo(s.zone), fold=s.local_start.fold)
        assert again.timestamp() == s.start.timestamp()
        assert s.start >= now + rules.min_notice
    assert all(len(set(v)) == len(v) for v in by_day.values())


# One generated clinic is checked against every promise: generating it is the slow part.
@settings(max_examples=150, deadline=None)
@given(clinics())
def test_free_slots_keep_their_promises(c: dict[str, object]) -> None:
    found = _found(c)
    _assert_no_overlap_per_practitioner(c, found)
    _assert_clear_of_bookings(c, found)
    _assert_labels_unique_and_starts_exist(c, found)


@settings(max_examples=100, deadline=None)
@given(clinics())
def test_every_free_slot_passes_check_booking(c: dict[str, object]) -> None:
    people = {p.id: p for p in c["people"]}  # type: ignore[attr-defined]
    for s in _found(c):
        for pid in s.practitioner_ids:
            problems = check_booking(
                start=s.start,
                patient_id=NOBODY,
                practitioner=people[pid],
                location=c["location"],
                appointment_type=c["kind"],  # type: ignore[arg-type]
                bookings=c["bookings"],
                rules=c["rules"],
                now=c["now"],  # type: ignore[arg-type]
            )
            assert problems == [], (s, pid)
