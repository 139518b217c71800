"""The server side of the live booking race (tests/web/test_booking_race.py), run in its own
process against the server's database (BACKCARE_DATA_DIR or DATABASE_URL):

    python -m tests.live_booking seed    a clinic, its practitioners and patients, logged in:
                                         prints what the race needs as JSON
    python -m tests.live_booking rows    the appointments, and the overlaps the database finds
                                         by comparing intervals in SQL, as JSON
"""

from __future__ import annotations

import json
import os
import sys
from datetime import UTC, datetime, time, timedelta
from typing import Any

PATIENTS = 20
STARTS = [time(10, 0), time(10, 15), time(10, 30), time(10, 45), time(11, 0), time(11, 30)]

# Two active appointments that overlap: for one practitioner, their time and buffer; for one
# patient, the appointments themselves. Interval comparisons in the database, not in Python.
OVERLAPS = {
    "practitioner": """
        SELECT COUNT(*) FROM clinic_appointment a JOIN clinic_appointment b
          ON a.id < b.id AND a.practitioner_id = b.practitioner_id
         AND a.start < b.blocked_until AND b.start < a.blocked_until
         WHERE a.status <> 'cancelled' AND b.status <> 'cancelled'""",
    "patient": """
        SELECT COUNT(*) FROM clinic_appointment a JOIN clinic_appointment b
          ON a.id < b.id AND a.patient_id = b.patient_id
         AND a.start < b."end" AND b.start < a."end"
         WHERE a.status <> 'cancelled' AND b.status <> 'cancelled'""",
    "same_start": """
        SELECT COUNT(*) FROM (SELECT practitioner_id, start FROM clinic_appointment
         WHERE status <> 'cancelled' GROUP BY practitioner_id, start HAVING COUNT(*) > 1) x""",
}


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backcare.settings")
    import django

    django.setup()


def seed() -> dict[str, Any]:
    from django.utils import timezone

    from backcare.accounts.models import User
    from backcare.care.models import Patient
    from backcare.clinic.models import AppointmentType
    from backcare.lib.timezones import zone
    from tests.open_clinic import open_clinic, session_keys

    made = open_clinic("Race Physio", ["ana", "ben", "cleo"], phone="03 5550 0001")
    quay, people = made.location, made.staff
    clinic = made.clinic
    types = []
    for name, minutes, buffer in (("Follow-up", 30, 0), ("Initial", 45, 15), ("Review", 20, 5)):
        t = AppointmentType.objects.create(
            clinic=clinic,
            name=name,
            kind="follow_up",
            duration_minutes=minutes,
            buffer_minutes=buffer,
            price_cents=8000,
        )
        t.givers.set(people)
        types.append({"id": t.pk, "minutes": minutes, "buffer": buffer})
    now = timezone.now()
    users = []
    patients = []
    for n in range(PATIENTS):
        user = User.objects.create(username=f"racer{n:02d}", timezone="Australia/Melbourne")
        users.append(user)
        patients.append(
            Patient.objects.create(
                user=user,
                name=f"Racer {n}",
                clinic=clinic,
                timezone=user.timezone,
                created_at=now,
            )
        )
    sessions = [
        {"key": key, "patient": patient.pk}
        for key, patient in zip(session_keys(users), patients, strict=True)
    ]
    here = zone(quay.timezone)
    day = now.astimezone(here).date() + timedelta(days=3)
    return {
        "location": quay.pk,
        "practitioners": [p.pk for p in people],
        "types": types,
        "sessions": sessions,
        "starts": [
            datetime.combine(day, t, tzinfo=here).astimezone(UTC).isoformat() for t in STARTS
        ],
    }


def rows() -> dict[str, Any]:
    from django.db import connection

    from backcare.clinic.models import Appointment

    found = {}
    with connection.cursor() as cursor:
        for name, sql in OVERLAPS.items():
            cursor.execute(sql)
            found[name] = cursor.fetchone()[0]
    listed = [
        {
            "practitioner": a.practitioner_id,
            "patient": a.patient_id,
            "start": a.start.isoformat(),
            "end": a.end.isoformat(),
            "blocked_until": a.blocked_until.isoformat(),
            "status": a.status,
        }
        for a in Appointment.objects.order_by("start")
    ]
    return {"overlaps": found, "rows": listed, "vendor": connection.vendor}


if __name__ == "__main__":
    _setup()
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command not in ("seed", "rows"):
        raise SystemExit("usage: python -m tests.live_booking seed|rows")
    print(json.dumps(seed() if command == "seed" else rows()))
