"""The person's own day: dates and times are taken in their time zone, never the server's."""

from __future__ import annotations

import zoneinfo
from datetime import date, datetime

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser

UTC = zoneinfo.ZoneInfo("UTC")


def user_zone(user: AbstractBaseUser | AnonymousUser) -> zoneinfo.ZoneInfo:
    """The person's time zone (an IANA name), or UTC when it is missing or unknown."""
    name = getattr(user, "timezone", "") or ""
    if not name:
        return UTC
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return UTC


def local_today(user: AbstractBaseUser | AnonymousUser, now: datetime) -> date:
    return now.astimezone(user_zone(user)).date()
