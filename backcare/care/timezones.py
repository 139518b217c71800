"""The person's own day: dates are taken in their time zone, never the server's."""

from __future__ import annotations

import zoneinfo
from datetime import date, datetime

from django.contrib.auth.base_user import AbstractBaseUser


def local_today(user: AbstractBaseUser, now: datetime) -> date:
    name = getattr(user, "timezone", "UTC") or "UTC"
    try:
        zone = zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = zoneinfo.ZoneInfo("UTC")
    return now.astimezone(zone).date()
