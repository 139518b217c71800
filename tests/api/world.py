"""The API's people: Maya (a plan, a check-in, her clinic's note and appointment), Sam (his own
plan, no clinic), Priya her physiotherapist, Rob the receptionist, Otto at another clinic; each
with a read-and-write token, and Maya with a revoked one and a read-only one. Quay (Melbourne)
is open every day; Priya gives follow-ups there 09:00-17:00."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import time, timedelta
from typing import Any

from django.test import Client
from django.utils import timezone

from backcare.api.models import READ, WRITE
from backcare.api.tokens import do_create_token, do_revoke_token
from backcare.care.actions import do_change_programme, do_check_in
from backcare.care.models import Patient
from backcare.clinic.models import Appointment, AppointmentType, OpeningHours, WorkingHours
from backcare.domain.changes import Change, ClinicianChange
from backcare.domain.checkin import CheckIn as CheckInValue
from tests.domain.people import startback
from tests.web.people import Clinic, clinic_for, person, today_of

MAYA_NAME = "Maya Zanzibar"
MAYA_NOTE = "Kestrel: keep the knees soft"
SAM_NAME = "Sam Okapi"

ROLES = (
    "anonymous",
    "patient",
    "other patient",
    "physio",
    "receptionist",
    "other physio",
    "revoked token",
)


@dataclass
class World:
    maya: Any
    sam: Any
    c: Clinic
    follow_up: AppointmentType
    appointment: Appointment
    note: Any
    check_in: Any
    tokens: dict[str, str] = field(default_factory=dict)
    read_only: str = ""

    def user(self, role: str) -> Any:
        return {
            "patient": self.maya,
            "other patient": self.sam,
            "physio": self.c.priya,
            "receptionist": self.c.rob,
            "other physio": self.c.otto,
        }.get(role)

    def client(self, role: str) -> Client:
        token = self.tokens.get(role)
        if token is None:
            return Client()
        return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


def build() -> World:
    now = timezone.now()
    maya, _ = person("maya", zone="Australia/Melbourne", onset_days=4, pain_now=4,
                     startback=startback(agree=3))  # fmt: skip
    sam, _ = person("sam", onset_days=3, pain_now=3, startback=startback(agree=1))
    value = CheckInValue.model_validate(
        {"date": today_of(maya), "pain_now": 3, "spasm_episodes": 1, "new_warning_signs": []}
    )
    check_in, _, _ = do_check_in(maya, maya.patient, value, now=now)
    c = clinic_for(maya)
    Patient.objects.filter(pk=maya.patient.pk).update(name=MAYA_NAME)
    Patient.objects.filter(pk=sam.patient.pk).update(name=SAM_NAME)
    maya.patient.refresh_from_db()
    change = ClinicianChange(on=today_of(maya), kind=Change.LOCK, exercise="*", note=MAYA_NOTE)
    _, problems = do_change_programme(c.priya, maya.patient, change, today=today_of(maya), now=now)
    assert not problems
    follow_up = _open_quay(c)
    appointment = _appointment(maya.patient, c, follow_up)
    from backcare.clinic.models import TreatmentNote

    note = TreatmentNote.objects.create(
        patient=maya.patient, author=c.priya.staff, author_name="Priya",
        seen_on=today_of(maya), subjective=MAYA_NOTE, created_at=now, updated_at=now,
    )  # fmt: skip
    world = World(maya, sam, c, follow_up, appointment, note, check_in)
    for role in ROLES[1:-1]:
        _, world.tokens[role] = do_create_token(
            world.user(role), name=role, scopes=[READ, WRITE], now=now
        )
    row, world.tokens["revoked token"] = do_create_token(maya, name="old", scopes=[READ], now=now)
    assert do_revoke_token(maya, row.pk, now=now)
    _, world.read_only = do_create_token(maya, name="sheet", scopes=[READ], now=now)
    return world


def _open_quay(c: Clinic) -> AppointmentType:
    loc = c.location
    loc.phone = "+61 3 9000 0000"
    loc.slug = "quay"
    loc.save()
    for day in range(7):
        OpeningHours.objects.create(location=loc, weekday=day, start=time(7), end=time(19))
        WorkingHours.objects.create(
            staff=c.priya.staff, location=loc, weekday=day, start=time(9), end=time(17)
        )
    kind = AppointmentType.objects.create(
        clinic=c.clinic, name="Follow-up", kind="follow_up", duration_minutes=30, price_cents=9000
    )
    kind.givers.set([c.priya.staff])
    return kind


def _appointment(patient: Patient, c: Clinic, kind: AppointmentType) -> Appointment:
    """Maya's follow-up in three days with Priya, made directly (booking has its own tests)."""
    start = timezone.now().replace(microsecond=0, second=0, minute=0) + timedelta(days=3)
    return Appointment.objects.create(
        clinic=c.clinic, patient=patient, practitioner=c.priya.staff, location=c.location,
        appointment_type=kind, start=start, end=start + timedelta(minutes=30),
        blocked_until=start + timedelta(minutes=30), reason=MAYA_NOTE,
        booked_at=timezone.now(), booked_by=patient.user,
    )  # fmt: skip
