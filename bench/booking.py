"""Free slots for one location, 14 days, 40 practitioners ("anyone"): target well under 20 ms.

`python bench/booking.py` prints the median of 20 runs with every wall time converted afresh and
of 20 with the conversions remembered (as in a running web process); exits 1 if either misses.
A lived-in fortnight (across Melbourne's October change): each practitioner works five days a week
with a lunch break, has about six bookings on each day of the fortnight (some on days off, so they
block nothing), and one in ten goes on leave part-way through.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta
from datetime import time as wall
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from backcare.domain.booking import (
    AppointmentType,
    Booking,
    BookingRules,
    Leave,
    Location,
    OpeningHours,
    Practitioner,
    Shift,
    TimeRange,
    Weekday,
    calendar,
    free_slots,
)

TARGET_MS = 20.0
START = date(2026, 9, 28)  # the fortnight around Melbourne's October change
NOW = datetime(2026, 9, 27, 23, 0, tzinfo=UTC)


def clinic(
    rng: random.Random,
) -> tuple[Location, AppointmentType, list[Practitioner], list[Booking]]:
    location = Location(
        1,
        "Richmond",
        "Australia/Melbourne",
        tuple(OpeningHours(d, TimeRange(wall(7), wall(20))) for d in Weekday),
    )
    people = []
    for pid in range(1, 41):
        days = rng.sample(list(Weekday), 5)
        shifts = tuple(
            Shift(
                1, d, TimeRange(wall(8), wall(18)), breaks=(TimeRange(wall(12, 30), wall(13, 15)),)
            )
            for d in days
        )
        leave = (Leave(START + timedelta(days=rng.randrange(14)), START + timedelta(days=16)),)
        people.append(Practitioner(pid, f"P{pid}", shifts, leave if pid % 10 == 0 else ()))
    kind = AppointmentType(
        1, "Follow-up", timedelta(minutes=30), frozenset(range(1, 41)), timedelta(minutes=15)
    )
    bookings = []
    for n in range(40 * 14 * 6):
        day = START + timedelta(days=rng.randrange(14))
        at = datetime(day.year, day.month, day.day, rng.randrange(8, 17), 0, tzinfo=location.zone)
        at = at.astimezone(UTC)  # then add elapsed time, not wall time
        bookings.append(
            Booking(
                n,
                rng.randrange(1, 41),
                n,
                1,
                at,
                at + timedelta(minutes=30),
                buffer_after=timedelta(minutes=15),
            )
        )
    return location, kind, people, bookings


def main() -> int:
    location, kind, people, bookings = clinic(random.Random(10))
    rules = BookingRules()

    def run() -> tuple[float, int]:
        begin = time.perf_counter()
        found = free_slots(
            location, kind, people, bookings,
            first_day=START, last_day=START + timedelta(days=13), now=NOW, rules=rules,
        )  # fmt: skip
        return (time.perf_counter() - begin) * 1000, len(found)

    run()  # a new process's first call also loads the zone's data: not what a request sees
    cold = []
    for _ in range(20):
        calendar.edge.cache_clear()  # every wall time converted afresh
        calendar.grid_starts.cache_clear()
        cold.append(run()[0])
    warm = [run()[0] for _ in range(20)]
    found = run()[1]
    results = {"conversions not remembered": cold, "conversions remembered": warm}
    ok = True
    for name, times in results.items():
        median = statistics.median(times)
        verdict = "ok" if median <= TARGET_MS else "MISS"
        ok = ok and verdict == "ok"
        print(
            f"free slots, 1 location, 14 days, 40 practitioners, {name}: {median:.1f} ms median "
            f"({found} slots)  target <= {TARGET_MS:.0f} ms  {verdict}"
        )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
