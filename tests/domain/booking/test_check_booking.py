"""check_booking names every problem with a requested booking, one code per rule.

Ana works at Richmond (Melbourne, AEST in May) Monday to Friday 09:00-17:00 with a break
12:30-13:15. A follow-up is 30 minutes with 15 after it. It is Sunday 3 May, noon, in Melbourne.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import pytest

from backcare.domain.booking import (
    BookingRules,
    BookingStatus,
    Closure,
    Leave,
    Location,
    Practitioner,
    Problem,
    ProblemCode,
    Weekday,
    check_booking,
)
from tests.domain.booking.clinic import (
    ANA,
    BEN,
    CLEO,
    MAYA,
    TOM,
    every_day,
    hours,
    kind,
    local,
    place,
    weekly,
)

C = ProblemCode
WEEKDAYS = [Weekday.MONDAY, Weekday.TUESDAY, Weekday.WEDNESDAY, Weekday.THURSDAY, Weekday.FRIDAY]
NOW = local("Australia/Melbourne", "2026-05-03 12:00")


def at(text: str) -> datetime:
    return local("Australia/Melbourne", text if " " in text else f"2026-05-04 {text}")


def ana(**overrides: Any) -> Practitioner:
    values: dict[str, Any] = {
        "shifts": weekly("09:00", "17:00", days=WEEKDAYS, breaks=[("12:30", "13:15")])
    }
    values.update(overrides)
    return Practitioner(ANA, "Ana Costa", **values)


def existing(start: str, minutes: int = 30, **overrides: Any) -> Any:
    from tests.domain.booking.clinic import booking

    return booking(at(start), minutes, **overrides)


def check(
    start: datetime,
    *,
    practitioner: Practitioner | None = None,
    location: Location | None = None,
    bookings: tuple[Any, ...] = (),
    now: datetime = NOW,
    patient: int = MAYA,
    moving: Any = None,
    rules: BookingRules | None = None,
) -> list[Problem]:
    return check_booking(
        start=start,
        patient_id=patient,
        practitioner=practitioner or ana(),
        location=location or place(),
        appointment_type=kind(30, 15),
        bookings=bookings,
        rules=rules or BookingRules(),
        now=now,
        moving=moving,
    )


def codes(problems: list[Problem]) -> list[ProblemCode]:
    return [p.code for p in problems]


CASES: list[tuple[str, datetime, dict[str, Any], list[ProblemCode]]] = [
    ("a free time", at("09:00"), {}, []),
    ("its buffer may run past the hours", at("16:30"), {}, []),
    ("just after the break", at("13:15"), {}, []),
    ("10 past", at("09:10"), {}, [C.NOT_ON_GRID]),
    ("half a minute past", at("09:00") + timedelta(seconds=30), {}, [C.NOT_ON_GRID]),
    ("on a coarser grid", at("09:30"), {"rules": BookingRules(grid_minutes=60)}, [C.NOT_ON_GRID]),
    ("last Friday", at("2026-05-01 10:00"), {}, [C.IN_PAST]),
    ("an hour from now", at("09:00"), {"now": at("08:00")}, [C.INSIDE_NOTICE]),
    ("exactly two hours from now", at("10:00"), {"now": at("08:00")}, []),
    ("started a minute ago", at("09:00"), {"now": at("09:01")}, [C.IN_PAST]),
    ("61 days ahead", at("2026-07-03 09:00"), {}, [C.BEYOND_HORIZON]),
    ("60 days ahead", at("2026-07-02 16:00"), {}, []),
    (
        "with Cleo, who does not give it",
        at("09:00"),
        {"practitioner": Practitioner(CLEO, "Cleo Park", ana().shifts)},
        [C.TYPE_NOT_GIVEN],
    ),
    (
        "a public holiday",
        at("09:00"),
        {
            "location": place(
                closures=(Closure(date(2026, 5, 4), date(2026, 5, 4), reason="holiday"),)
            )
        },
        [C.LOCATION_CLOSED],
    ),
    (
        "before the location opens",
        at("09:00"),
        {"location": place(opening_hours=every_day("09:30", "19:00"))},
        [C.LOCATION_CLOSED],
    ),
    ("before her hours", at("08:30"), {}, [C.OUTSIDE_HOURS]),
    ("in her break", at("12:45"), {}, [C.OUTSIDE_HOURS]),
    ("running into her break", at("12:15"), {}, [C.OUTSIDE_HOURS]),
    ("ending after her hours", at("16:45"), {}, [C.OUTSIDE_HOURS]),
    ("a Saturday", at("2026-05-09 10:00"), {}, [C.OUTSIDE_HOURS]),
    (
        "at another of the clinic's locations",
        at("09:00"),
        {"location": place("Hobart", id=9)},
        [C.OUTSIDE_HOURS],
    ),
    (
        "on leave all day",
        at("09:00"),
        {"practitioner": ana(leave=(Leave(date(2026, 5, 4), date(2026, 5, 8)),))},
        [C.ON_LEAVE],
    ),
    (
        "on leave that hour",
        at("10:45"),
        {
            "practitioner": ana(
                leave=(Leave(date(2026, 5, 4), date(2026, 5, 4), (hours("11:00", "12:00"),)),)
            )
        },
        [C.ON_LEAVE],
    ),
    (
        "after her part-day leave",
        at("12:00"),
        {
            "practitioner": ana(
                leave=(Leave(date(2026, 5, 4), date(2026, 5, 4), (hours("11:00", "12:00"),)),)
            )
        },
        [],
    ),
    (
        "her next booking starts inside our buffer",
        at("09:00"),
        {"bookings": (existing("09:30"),)},
        [C.PRACTITIONER_BUSY],
    ),
    (
        "inside her last booking's buffer",
        at("09:00"),
        {"bookings": (existing("08:30", buffer=15),)},
        [C.PRACTITIONER_BUSY],
    ),
    (
        "right after her booking and its buffer",
        at("09:45"),
        {"bookings": (existing("09:00", buffer=15),)},
        [],
    ),
    (
        "she is booked at another location",
        at("09:00"),
        {"bookings": (existing("09:00", location_id=9),)},
        [C.PRACTITIONER_BUSY],
    ),
    (
        "a cancelled booking is no clash",
        at("09:00"),
        {"bookings": (existing("09:00", status=BookingStatus.CANCELLED),)},
        [],
    ),
    (
        "the patient is with Ben then",
        at("09:15"),
        {"bookings": (existing("09:00", practitioner=BEN, patient=MAYA),)},
        [C.PATIENT_BUSY],
    ),
    (
        "the patient may go straight from Ben to Ana",
        at("09:30"),
        {"bookings": (existing("09:00", practitioner=BEN, patient=MAYA, buffer=15),)},
        [],
    ),
    (
        "the patient already has this very time with her",
        at("09:00"),
        {"bookings": (existing("09:00", patient=MAYA),)},
        [C.PRACTITIONER_BUSY, C.PATIENT_BUSY],
    ),
    (
        "moving a booking onto part of its own old time",
        at("09:15"),
        {
            "bookings": (existing("09:00", id=7, patient=MAYA),),
            "moving": existing("09:00", id=7, patient=MAYA),
        },
        [C.NOT_ON_GRID] * 0,
    ),
    (
        "moving a cancelled booking",
        at("10:00"),
        {"moving": existing("09:00", status=BookingStatus.CANCELLED)},
        [C.CANNOT_MOVE],
    ),
    (
        "moving an attended one",
        at("10:00"),
        {"moving": existing("09:00", status=BookingStatus.ATTENDED)},
        [C.CANNOT_MOVE],
    ),
    ("everything at once", at("2026-05-02 08:10"), {}, [C.NOT_ON_GRID, C.IN_PAST, C.OUTSIDE_HOURS]),
]


@pytest.mark.parametrize(("case", "start", "options", "expected"), CASES, ids=[c[0] for c in CASES])
def test_each_rule_has_its_code(
    case: str, start: datetime, options: dict[str, Any], expected: list[ProblemCode]
) -> None:
    assert codes(check(start, **options)) == expected


def test_every_code_is_exercised() -> None:
    assert {code for *_, expected in CASES for code in expected} == set(ProblemCode)


MESSAGES = [
    (
        at("09:10"),
        {},
        "09:10:00 is not a start time at Richmond: appointments start every 15 "
        "minutes from midnight (such as 09:00, 09:15, 09:30).",
    ),
    (at("2026-05-01 10:00"), {}, "Fri 1 May 2026, 10:00 AEST has already passed."),
    (
        at("09:00"),
        {"now": at("08:00")},
        "Bookings need at least 2 hours' notice: the earliest start now is Mon 4 May 2026, "
        "10:00 AEST.",
    ),
    (
        at("2026-07-03 09:00"),
        {},
        "Bookings open 60 days ahead: the last day that can be booked now is Thu 2 Jul 2026.",
    ),
    (
        at("09:00"),
        {"practitioner": Practitioner(CLEO, "Cleo Park", ana().shifts)},
        "Cleo Park does not give Follow-up.",
    ),
    (
        at("09:00"),
        {
            "location": place(
                closures=(Closure(date(2026, 5, 4), date(2026, 5, 4), reason="Labour Day"),)
            )
        },
        "Richmond is closed on Mon 4 May 2026 (Labour Day).",
    ),
    (
        at("2026-05-10 09:00"),
        {
            "location": place(opening_hours=every_day()[:6]),
            "practitioner": ana(shifts=weekly("09:00", "17:00")),
        },
        "Richmond is closed on Sundays.",
    ),
    (
        at("08:00"),
        {
            "location": place(opening_hours=every_day("08:30", "18:00")),
            "practitioner": ana(shifts=weekly("08:00", "17:00")),
        },
        "Richmond is open 08:30–18:00 on Mon 4 May 2026; Mon 4 May 2026, 08:00 AEST to 08:30 AEST "
        "is outside that.",
    ),
    (
        at("12:45"),
        {},
        "Ana Costa works 09:00–17:00 (breaks 12:30–13:15) at Richmond on Mon 4 May 2026; "
        "Mon 4 May 2026, 12:45 AEST to 13:15 AEST is outside those hours.",
    ),
    (at("2026-05-09 10:00"), {}, "Ana Costa does not work at Richmond on Sat 9 May 2026."),
    (
        at("09:00"),
        {
            "practitioner": ana(
                leave=(Leave(date(2026, 5, 4), date(2026, 5, 4), reason="conference"),)
            )
        },
        "Ana Costa is on leave on Mon 4 May 2026 (conference).",
    ),
    (
        at("10:45"),
        {
            "practitioner": ana(
                leave=(Leave(date(2026, 5, 4), date(2026, 5, 4), (hours("11:00", "12:00"),)),)
            )
        },
        "Ana Costa is on leave 11:00–12:00 on Mon 4 May 2026.",
    ),
    (
        at("09:00"),
        {"bookings": (existing("08:30", buffer=15),)},
        "Ana Costa already has an appointment Mon 4 May 2026, 08:30 AEST to 09:00 AEST (and 15 "
        "minutes after it), which overlaps Mon 4 May 2026, 09:00 AEST to 09:30 AEST (and 15 "
        "minutes after it).",
    ),
    (
        at("09:15"),
        {"bookings": (existing("09:00", practitioner=BEN, patient=MAYA),)},
        "The patient already has an appointment Mon 4 May 2026, 09:00 AEST to 09:30 AEST, which "
        "overlaps Mon 4 May 2026, 09:15 AEST to 09:45 AEST.",
    ),
    (
        at("10:00"),
        {"moving": existing("09:00", status=BookingStatus.NO_SHOW)},
        "This appointment is no show: it cannot be moved.",
    ),
]


@pytest.mark.parametrize(("start", "options", "message"), MESSAGES)
def test_each_problem_reads_clearly(start: datetime, options: dict[str, Any], message: str) -> None:
    assert [p.message for p in check(start, **options)] == [message]


NIGHT = place(opening_hours=every_day("00:00", "23:00"))


def test_a_repeated_hour_is_checked_by_the_instant_not_the_label() -> None:
    # 5 April 2026 in Melbourne: 02:00-02:59 happens twice, so 02:00-03:00 by the clock is two
    # elapsed hours. Both passes of 02:15 are inside them and on the grid.
    person = ana(shifts=weekly("02:00", "03:00"))
    now = at("2026-04-01 12:00")
    first = local("Australia/Melbourne", "2026-04-05 02:15")  # AEDT, 15:15 UTC
    second = local("Australia/Melbourne", "2026-04-05 02:15", fold=1)  # AEST, 16:15 UTC
    for start in (first, second):
        assert check(start, practitioner=person, location=NIGHT, now=now) == []
    # The same label an hour apart is no clash; different labels can be.
    booked = (existing("2026-04-05 02:15"),)
    assert check(second, practitioner=person, location=NIGHT, now=now, bookings=booked) == []
    booked = (existing("2026-04-05 02:45"),)  # first pass: 15:45-16:15 UTC
    second_two = local("Australia/Melbourne", "2026-04-05 02:00", fold=1)  # 16:00 UTC
    found = check(second_two, practitioner=person, location=NIGHT, now=now, bookings=booked)
    assert [p.message for p in found] == [
        "Ana Costa already has an appointment Sun 5 Apr 2026, 02:45 AEDT (UTC+11:00) to 02:15 "
        "AEST (UTC+10:00), which overlaps Sun 5 Apr 2026, 02:00 AEST (UTC+10:00) to 02:30 AEST "
        "(UTC+10:00) (and 15 minutes after it)."
    ]


def test_a_wall_time_in_the_missing_hour_is_read_as_the_instant_it_names() -> None:
    # 4 October 2026: 02:30 AEST never shows on a clock; zoneinfo reads it as 03:30 AEDT, and so
    # does every message, rather than echoing a time that does not exist.
    person = ana(shifts=weekly("01:00", "04:00"))
    ghost = local("Australia/Melbourne", "2026-10-04 02:30")
    booked = (existing("2026-10-04 03:30"),)
    found = check(
        ghost, practitioner=person, location=NIGHT, now=at("2026-10-01 12:00"), bookings=booked
    )
    assert codes(found) == [C.PRACTITIONER_BUSY]
    assert "overlaps Sun 4 Oct 2026, 03:30 AEDT to 04:00 AEDT" in found[0].message


def test_naive_times_are_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        check(datetime(2026, 5, 4, 9))  # noqa: DTZ001
    with pytest.raises(ValueError, match="aware"):
        check(at("09:00"), now=datetime(2026, 5, 3, 12))  # noqa: DTZ001


def test_only_the_practitioner_and_patient_in_question_count() -> None:
    others = (existing("09:00", practitioner=BEN, patient=TOM),)
    assert check(at("09:00"), bookings=others) == []
