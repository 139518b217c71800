"""Wall-clock times at a location to instants and back: the one place DST is handled.

Every instant comes from zoneinfo converting a local wall time; nothing adds an offset to UTC
(the bug behind slots an hour out on change days elsewhere). Instants are whole seconds since the
epoch, so the rest of booking compares plain integers.

The rules on the two change days (Melbourne 2026: 04-05 02:00-02:59 happens twice, 10-04
02:00-02:59 does not exist):
- A slot never starts at a wall time that does not exist: grid times in the gap are skipped.
- A grid time that happens twice gives two starts, one in each pass. The grid thus follows elapsed
  time through the repeated hour, and the label of a wall time that happens twice carries its UTC
  offset, so no two slots share a label.
- The edge of a range of hours (a shift, a break, leave, opening hours) that falls in the gap
  moves forward to the first wall time that exists (the moment the clocks change); an edge that
  happens twice means its first pass, as zoneinfo's fold=0 does.
"""

from __future__ import annotations

import zoneinfo
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

# Walking forward out of a gap stops here: no zone has skipped more than a day.
_LONGEST_GAP_MINUTES = 26 * 60


def _midnight(day: date, zone: zoneinfo.ZoneInfo) -> datetime:
    return datetime.combine(day, time(), zone)


def _passes(wall: datetime) -> tuple[int, int]:
    """The instants of an aware wall time by its first and second reading (fold=0 and fold=1).

    Equal for an ordinary time; the second is later for a time that happens twice and earlier for
    one in a gap (PEP 495: in a gap, fold=0 reads it with the offset from before the change).
    Adding a timedelta to an aware datetime moves its wall reading, not the instant, so
    `midnight + minutes` is that wall time, read by zoneinfo.
    """
    return int(wall.timestamp()), int(wall.replace(fold=1).timestamp())


# Both are pure functions of their arguments (tzdata does not change while a process runs) and a
# web process asks for the same few weeks over and over, so they remember recent answers.
@lru_cache(maxsize=65536)
def edge(day: date, minute: int, zone: zoneinfo.ZoneInfo) -> int:
    """The instant of a range's edge at `minute` past local midnight (1440 is the next midnight)."""
    midnight = _midnight(day, zone)
    for step in range(minute, minute + _LONGEST_GAP_MINUTES):
        first, second = _passes(midnight + timedelta(minutes=step))
        if second >= first:
            return first
    raise ValueError(f"{zone.key}: no wall time exists near {day} + {minute} minutes")


@lru_cache(maxsize=4096)
def grid_starts(
    day: date, zone: zoneinfo.ZoneInfo, grid_minutes: int, first_minute: int, end_minute: int
) -> tuple[int, ...]:
    """The instants of the day's grid times in [first_minute, end_minute), in time order."""
    start = -(-first_minute // grid_minutes) * grid_minutes
    midnight = _midnight(day, zone)
    out: list[int] = []
    for minute in range(start, end_minute, grid_minutes):
        first, second = _passes(midnight + timedelta(minutes=minute))
        if second < first:
            continue  # in the gap: this wall time never shows on a clock
        out.append(first)
        if second > first:
            out.append(second)  # the same wall time again, in the repeated hour
    return tuple(sorted(out))


def to_instant(value: datetime) -> int:
    """Whole seconds since the epoch, rounded down (refuses a naive datetime)."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("must be an aware datetime (with its UTC offset)")
    return int(value.timestamp() // 1)


def utc(instant: int) -> datetime:
    return datetime.fromtimestamp(instant, UTC)


def local(instant: int, zone: zoneinfo.ZoneInfo) -> datetime:
    """The aware wall time at the location (fold=1 marks the second pass of a repeated hour)."""
    return datetime.fromtimestamp(instant, zone)


def happens_twice(wall: datetime) -> bool:
    """Whether this aware local time's wall reading occurs twice that day."""
    return wall.replace(fold=1 - wall.fold).utcoffset() != wall.utcoffset()


def offset_label(wall: datetime) -> str:
    offset = wall.utcoffset() or timedelta(0)
    sign = "-" if offset < timedelta(0) else "+"
    minutes = abs(int(offset.total_seconds())) // 60
    return f"UTC{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def zone_abbreviation(wall: datetime) -> str:
    """AEST, ACDT, AWST; tzdata has no letters for some zones (Lord Howe's "+1030"): the offset."""
    name = wall.tzname() or ""
    return name if name.isalpha() else offset_label(wall)


def time_label(wall: datetime) -> str:
    """09:00 AEST; a wall time that happens twice also shows its offset: 02:15 AEDT (UTC+11:00)."""
    name, offset = zone_abbreviation(wall), offset_label(wall)
    text = f"{wall:%H:%M} {name}"
    return f"{text} ({offset})" if happens_twice(wall) and name != offset else text


def date_label(day: date) -> str:
    """Sun 5 Apr 2026 (fixed English names, whatever the server's locale)."""
    return f"{WEEKDAYS[day.weekday()]} {day.day} {MONTHS[day.month - 1]} {day.year}"


def when_label(wall: datetime) -> str:
    return f"{date_label(wall.date())}, {time_label(wall)}"


def span_label(delta: timedelta) -> str:
    """2 hours, 90 minutes, 1 day, 36 hours."""
    minutes = int(delta.total_seconds()) // 60
    if minutes and minutes % 1440 == 0:
        return _plural(minutes // 1440, "day")
    if minutes and minutes % 60 == 0:
        return _plural(minutes // 60, "hour")
    return _plural(minutes, "minute")


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"
