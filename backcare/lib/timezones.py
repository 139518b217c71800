"""The person's own day: dates and times are taken in their time zone, never the server's.

A "person" here is anything with a `timezone` attribute holding an IANA name: a login, a patient
record, a clinic location. The clock is always passed in.
"""

from __future__ import annotations

import zoneinfo
from datetime import date, datetime
from typing import Any

UTC = zoneinfo.ZoneInfo("UTC")


def zone(name: str | None) -> zoneinfo.ZoneInfo:
    """The zone of an IANA name, or UTC when it is missing or unknown (never an error page)."""
    if not name:
        return UTC
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return UTC


def user_zone(person: Any) -> zoneinfo.ZoneInfo:
    """The person's time zone, or UTC when they have none (an anonymous visitor)."""
    return zone(getattr(person, "timezone", "") or "")


def local_now(person: Any, now: datetime) -> datetime:
    return now.astimezone(user_zone(person))


def local_today(person: Any, now: datetime) -> date:
    """The date it is for `person` at the instant `now` (an aware datetime)."""
    return local_now(person, now).date()
