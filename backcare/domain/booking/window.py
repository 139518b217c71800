"""What the clock allows: nothing sooner than the minimum notice, nothing beyond the horizon."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from backcare.domain.booking import calendar
from backcare.domain.booking.types import BookingRules, Location


@dataclass(frozen=True, slots=True)
class Window:
    now: int
    earliest: int  # now + minimum notice, in elapsed time
    today: date  # the date at the location now
    last_day: date  # today + horizon_days: bookable up to the end of that date at the location

    @classmethod
    def at(cls, location: Location, now: datetime, rules: BookingRules) -> Window:
        instant = calendar.to_instant(now)
        today = calendar.local(instant, location.zone).date()
        return cls(
            now=instant,
            earliest=instant + int(rules.min_notice.total_seconds()),
            today=today,
            last_day=today + timedelta(days=rules.horizon_days),
        )
