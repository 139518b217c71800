"""The load tests' clinic: one location, Quay in Melbourne, open 06:00-22:00 every day, with
physiotherapists who work there 07:00-21:00 every day, so any half hour of the day can be
booked; and sessions made directly for logins, as a login would make them.

Shared by the booking benchmark (bench/booking_web.py), the fault test's world
(scripts/fault_world.py) and the booking race (tests/live_booking.py); each adds the
appointment types and patients it needs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

BACKEND = "backcare.accounts.backends.UserWithRecordBackend"


@dataclass(frozen=True)
class OpenClinic:
    clinic: Any
    location: Any
    staff: list[Any]


def open_clinic(name: str, practitioners: list[str], *, phone: str = "") -> OpenClinic:
    """`name`'s clinic with Quay and one physiotherapist per username in `practitioners`."""
    from backcare.accounts.models import Role, StaffMember, User
    from backcare.clinic.models import (
        Clinic,
        ClinicBookingSettings,
        Location,
        OpeningHours,
        WorkingHours,
    )

    clinic = Clinic.objects.create(name=name)
    ClinicBookingSettings.objects.create(clinic=clinic)
    quay = Location.objects.create(
        clinic=clinic, name="Quay", slug="quay", timezone="Australia/Melbourne", region="AU",
        phone=phone,
    )  # fmt: skip
    OpeningHours.objects.bulk_create(
        OpeningHours(location=quay, weekday=d, start=time(6), end=time(22)) for d in range(7)
    )
    users = User.objects.bulk_create(
        User(username=u, first_name=u.title()) for u in practitioners
    )  # fmt: skip
    staff = StaffMember.objects.bulk_create(
        StaffMember(user=u, clinic=clinic, role=Role.PHYSIO) for u in users
    )
    WorkingHours.objects.bulk_create(
        WorkingHours(staff=s, location=quay, weekday=d, start=time(7), end=time(21))
        for s in staff
        for d in range(7)
    )
    return OpenClinic(clinic, quay, staff)


def free_half_hours(made: OpenClinic, *, first: date, count: int) -> list[tuple[int, str]]:
    """`count` (practitioner id, start in UTC) pairs from the day `first`: every half hour
    07:00-20:30 on the location's clock for each practitioner, in (day, time, practitioner)
    order, so consecutive requests are at other times and a list's wrap is days later."""
    from backcare.lib.timezones import zone

    here = zone(made.location.timezone)
    out: list[tuple[int, str]] = []
    day = 0
    while len(out) < count:
        for half in range(28):
            wall = time(7 + half // 2, 30 * (half % 2))
            at = datetime.combine(first + timedelta(days=day), wall, tzinfo=here).astimezone(UTC)
            out.extend((s.pk, at.isoformat()) for s in made.staff)
        day += 1
    return out[:count]


def session_keys(users: Any) -> list[str]:
    """A logged-in session for each user, in order: their session keys."""
    from django.contrib.sessions.backends.db import SessionStore

    keys = []
    for user in users:
        store = SessionStore()
        store["_auth_user_id"] = str(user.pk)
        store["_auth_user_backend"] = BACKEND
        store["_auth_user_hash"] = user.get_session_auth_hash()
        store.create()
        keys.append(store.session_key)
    return keys
