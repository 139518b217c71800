"""Wall times to instants on ordinary days and on every kind of DST change day."""

from __future__ import annotations

import zoneinfo
from datetime import date, datetime, timedelta

import pytest

from backcare.domain.booking import calendar
from tests.domain.booking.clinic import local, utc

MELBOURNE = zoneinfo.ZoneInfo("Australia/Melbourne")
LORD_HOWE = zoneinfo.ZoneInfo("Australia/Lord_Howe")
ADELAIDE = zoneinfo.ZoneInfo("Australia/Adelaide")
BACK, FORWARD = date(2026, 4, 5), date(2026, 10, 4)


def _at(instant: int) -> str:
    return f"{calendar.utc(instant):%m-%d %H:%M}"


@pytest.mark.parametrize(
    ("zone", "day", "wall", "expected"),
    [
        (MELBOURNE, date(2026, 5, 4), "09:00", "05-03 23:00"),
        # The clocks go back at 03:00: an edge in the repeated hour is its first pass (AEDT).
        (MELBOURNE, BACK, "01:59", "04-04 14:59"),
        (MELBOURNE, BACK, "02:00", "04-04 15:00"),
        (MELBOURNE, BACK, "02:30", "04-04 15:30"),
        (MELBOURNE, BACK, "03:00", "04-04 17:00"),
        # The clocks go forward at 02:00: an edge in the missing hour moves to 03:00 AEDT.
        (MELBOURNE, FORWARD, "01:59", "10-03 15:59"),
        (MELBOURNE, FORWARD, "02:00", "10-03 16:00"),
        (MELBOURNE, FORWARD, "02:45", "10-03 16:00"),
        (MELBOURNE, FORWARD, "03:00", "10-03 16:00"),
        (MELBOURNE, FORWARD, "03:15", "10-03 16:15"),
        (ADELAIDE, FORWARD, "02:30", "10-03 16:30"),
        # Lord Howe moves by half an hour: 01:30-01:59 twice in April, 02:00-02:29 gone in October.
        (LORD_HOWE, BACK, "01:30", "04-04 14:30"),
        (LORD_HOWE, BACK, "02:00", "04-04 15:30"),
        (LORD_HOWE, FORWARD, "02:15", "10-03 15:30"),
        (LORD_HOWE, FORWARD, "02:30", "10-03 15:30"),
    ],
)
def test_an_edge_becomes_one_instant(
    zone: zoneinfo.ZoneInfo, day: date, wall: str, expected: str
) -> None:
    hour, minute = map(int, wall.split(":"))
    assert _at(calendar.edge(day, hour * 60 + minute, zone)) == expected


def test_the_end_of_the_day_is_the_next_midnight() -> None:
    assert _at(calendar.edge(date(2026, 5, 4), 1440, MELBOURNE)) == "05-04 14:00"


@pytest.mark.parametrize(
    ("zone", "day", "grid", "span", "expected"),
    [
        # Melbourne, clocks back: 02:00-02:45 come twice, an hour apart, in elapsed order.
        (
            MELBOURNE,
            BACK,
            15,
            (90, 195),
            [
                "14:30",
                "14:45",
                "15:00",
                "15:15",
                "15:30",
                "15:45",
                "16:00",
                "16:15",
                "16:30",
                "16:45",
                "17:00",
            ],
        ),
        # Melbourne, clocks forward: nothing from 02:00 to 02:45.
        (MELBOURNE, FORWARD, 15, (90, 195), ["15:30", "15:45", "16:00"]),
        (MELBOURNE, FORWARD, 60, (0, 300), ["14:00", "15:00", "16:00", "17:00"]),
        # Lord Howe with a 15-minute grid: 01:30 and 01:45 twice, half an hour apart.
        (LORD_HOWE, BACK, 15, (75, 135), ["14:15", "14:30", "14:45", "15:00", "15:15", "15:30"]),
        (LORD_HOWE, FORWARD, 15, (90, 165), ["15:00", "15:15", "15:30"]),
        # An hour grid over a half-hour change: 02:00 is gone in October, once only in April.
        (LORD_HOWE, FORWARD, 60, (60, 240), ["14:30", "16:00"]),
        (LORD_HOWE, BACK, 60, (60, 240), ["14:00", "15:30", "16:30"]),
    ],
)
def test_the_grid_on_change_days(
    zone: zoneinfo.ZoneInfo, day: date, grid: int, span: tuple[int, int], expected: list[str]
) -> None:
    found = calendar.grid_starts(day, zone, grid, *span)
    assert [f"{calendar.utc(i):%H:%M}" for i in found] == expected
    assert list(found) == sorted(set(found))


def test_the_grid_starts_on_a_multiple_from_midnight() -> None:
    found = calendar.grid_starts(date(2026, 5, 4), MELBOURNE, 15, 9 * 60 + 10, 10 * 60)
    walls = [f"{calendar.local(i, MELBOURNE):%H:%M}" for i in found]
    assert walls == ["09:15", "09:30", "09:45"]


@pytest.mark.parametrize(
    ("wall", "expected"),
    [
        (local("Australia/Melbourne", "2026-05-04 09:00"), "09:00 AEST"),
        (local("Australia/Melbourne", "2026-12-01 09:00"), "09:00 AEDT"),
        (local("Australia/Melbourne", "2026-04-05 02:15"), "02:15 AEDT (UTC+11:00)"),
        (local("Australia/Melbourne", "2026-04-05 02:15", fold=1), "02:15 AEST (UTC+10:00)"),
        (local("Australia/Adelaide", "2026-04-05 02:15", fold=1), "02:15 ACST (UTC+09:30)"),
        (local("Australia/Perth", "2026-04-05 02:15"), "02:15 AWST"),
        (local("Australia/Darwin", "2026-06-01 09:00"), "09:00 ACST"),
        # tzdata spells Lord Howe's zone with digits only: the label shows the offset instead.
        (local("Australia/Lord_Howe", "2026-06-01 09:00"), "09:00 UTC+10:30"),
        (local("Australia/Lord_Howe", "2026-04-05 01:45"), "01:45 UTC+11:00"),
        (local("Australia/Lord_Howe", "2026-04-05 01:45", fold=1), "01:45 UTC+10:30"),
        (local("America/St_Johns", "2026-06-01 09:00"), "09:00 NDT"),
        (
            local("America/St_Johns", "2026-12-01 09:00").astimezone(
                zoneinfo.ZoneInfo("America/Caracas")
            ),
            "08:30 UTC-04:00",
        ),
    ],
)
def test_time_labels(wall: datetime, expected: str) -> None:
    assert calendar.time_label(wall) == expected


def test_date_labels_do_not_depend_on_the_locale() -> None:
    assert calendar.date_label(date(2026, 4, 5)) == "Sun 5 Apr 2026"
    assert calendar.when_label(local("Australia/Perth", "2026-12-25 08:30")) == (
        "Fri 25 Dec 2026, 08:30 AWST"
    )


@pytest.mark.parametrize(
    ("delta", "expected"),
    [
        (timedelta(hours=2), "2 hours"),
        (timedelta(hours=1), "1 hour"),
        (timedelta(minutes=90), "90 minutes"),
        (timedelta(minutes=1), "1 minute"),
        (timedelta(days=1), "1 day"),
        (timedelta(hours=36), "36 hours"),
        (timedelta(0), "0 minutes"),
    ],
)
def test_span_labels(delta: timedelta, expected: str) -> None:
    assert calendar.span_label(delta) == expected


def test_instants_refuse_a_naive_datetime() -> None:
    with pytest.raises(ValueError, match="aware"):
        calendar.to_instant(datetime(2026, 5, 4, 9))  # noqa: DTZ001
    assert calendar.to_instant(utc("2026-05-04 00:00")) == 1777852800
