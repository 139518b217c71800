"""The FHIR Bundle of a patient with 365 check-ins, for `make bench` (target: under 100 ms).

    python bench/fhir_bundle.py

Builds one patient a year into a plan (365 daily check-ins, a few questionnaires, a signed note
and two appointments) in BACKCARE_DATA_DIR/backcare.sqlite3 (default var/bench-fhir/, rebuilt
each run), then times `patient_bundle` as their physiotherapist reads it, serialised to JSON as
the API sends it: the median of RUNS. Prints the median and the Bundle's size, and for
comparison the time fhir.resources' models take over the same Bundle; exits 1 above the target.
"""

from __future__ import annotations

import os
import shutil
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from datetime import time as wall
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# In place of this script's folder, so `import fhir` is fhir.resources' package, not this file.
sys.path[0] = str(ROOT)
DATA = Path(os.environ.setdefault("BACKCARE_DATA_DIR", str(ROOT / "var" / "bench-fhir")))
shutil.rmtree(DATA, ignore_errors=True)
DATA.mkdir(parents=True)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backcare.settings")

import django  # noqa: E402

django.setup()

import pydantic_core  # noqa: E402
from django.core.management import call_command  # noqa: E402

from backcare.accounts.models import StaffMember, User  # noqa: E402
from backcare.care.actions import (  # noqa: E402
    do_record_questionnaire,
    do_save_assessment,
    do_sign_up,
    do_start_plan,
)
from backcare.care.models import CheckIn, Patient  # noqa: E402
from backcare.clinic.booking_actions import do_book, free_slots_for  # noqa: E402
from backcare.clinic.models import (  # noqa: E402
    AppointmentType,
    Clinic,
    Location,
    OpeningHours,
    WorkingHours,
)
from backcare.domain.assessment import WARNING_SIGNS, Assessment  # noqa: E402
from backcare.fhir.export import patient_bundle  # noqa: E402

DAYS = 365
RUNS = 30
TARGET_MS = 100.0
NOW = datetime(2026, 12, 1, 1, 0, tzinfo=UTC)
ZONE = "Australia/Melbourne"
ANSWERS = {
    "age": 40,
    "sex": "female",
    "onset_days": 3,
    "mechanism": "lifting",
    "pain_now": 4,
    "spasm_episodes_per_day": 3,
    **dict.fromkeys(WARNING_SIGNS, False),
    "startback": {**{f"q{i}": i in (1, 4) for i in range(1, 9)}, "q9": "slightly"},
}


def build() -> tuple[User, int]:
    clinic = Clinic.objects.create(name="Bench Physio")
    place = Location.objects.create(clinic=clinic, name="Richmond", timezone=ZONE, region="AU")
    physio = User.objects.create_user("physio", first_name="Pat")
    staff = StaffMember.objects.create(user=physio, clinic=clinic, role="physio")
    user = User.objects.create_user("patient", timezone=ZONE)
    began = NOW - timedelta(days=DAYS)
    patient = do_sign_up(user, timezone=ZONE, now=began)
    Patient.objects.filter(pk=patient.pk).update(clinic=clinic, lead_physio=staff, location=place)
    patient.refresh_from_db()
    record = do_save_assessment(user, patient, Assessment.model_validate(ANSWERS), now=began)
    plan = do_start_plan(user, patient, record, today=began.date(), now=began)
    done = [{"exercise": p["exercise"], "sets": 2} for p in plan.state["prescriptions"]]
    CheckIn.objects.bulk_create(
        CheckIn(
            patient=patient,
            date=began.date() + timedelta(days=n),
            pain_now=2 + n % 4,
            spasm_episodes=n % 3,
            exercises_done=done,
            pain_during_exercise=2,
            pain_next_morning=1,
            new_warning_signs=[],
            created_at=began + timedelta(days=n),
        )
        for n in range(DAYS)
    )
    for n in range(4):
        do_record_questionnaire(
            physio,
            patient,
            "nprs",
            {"score": n},
            {"score": n},
            taken_on=began.date() + timedelta(days=90 * n),
            now=NOW,
        )
    for day in range(7):
        OpeningHours.objects.create(location=place, weekday=day, start=wall(7), end=wall(19))
        WorkingHours.objects.create(
            staff=staff, location=place, weekday=day, start=wall(9), end=wall(17)
        )
    kind = AppointmentType.objects.create(
        clinic=clinic, name="Follow-up", kind="follow_up", duration_minutes=30, price_cents=8500
    )
    kind.givers.set([staff])
    slots = free_slots_for(
        place,
        kind,
        first_day=NOW.date() + timedelta(days=1),
        last_day=NOW.date() + timedelta(days=7),
        now=NOW,
    )
    for s in (slots[0], slots[3]):
        do_book(
            physio,
            patient=patient,
            practitioner=staff,
            location=place,
            appointment_type=kind,
            start=s.start,
            now=NOW,
        )
    return physio, patient.pk


def models(body: bytes) -> float:
    """The same Bundle validated and serialised by fhir.resources (the best of 3), to show why
    the API builds plain JSON and leaves the models to the tests."""
    from fhir.resources.R4B.bundle import Bundle

    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        Bundle.model_validate_json(body).model_dump_json()
        best = min(best, (time.perf_counter() - started) * 1000)
    return best


def main() -> int:
    call_command("migrate", verbosity=0)
    physio, patient_id = build()
    times = []
    size = 0
    for _ in range(RUNS):
        started = time.perf_counter()
        body = pydantic_core.to_json(
            patient_bundle(physio, patient_id, now=NOW, base="http://bench/api/v1/fhir")
        )
        times.append((time.perf_counter() - started) * 1000)
        size = len(body)
    median = statistics.median(times)
    print(f"Through fhir.resources' models instead (validate and serialise): {models(body):.0f} ms")
    print(
        f"FHIR $everything, {DAYS} check-ins: median {median:.1f} ms over {RUNS} runs "
        f"({size / 1024:.0f} KiB; target {TARGET_MS:.0f} ms)"
    )
    return 0 if median <= TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
