"""One of every resource backcare exports, built by the real builders from unsaved rows (no
database), in a Bundle: the valid starting point that test_checks breaks one way at a time."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from backcare.accounts.models import StaffMember, User
from backcare.care.models import AssessmentRecord, CheckIn, Patient, Plan, QuestionnaireResponse
from backcare.clinic.models import (
    Appointment,
    AppointmentType,
    Clinic,
    Location,
    OpeningHours,
    TreatmentNote,
    WorkingHours,
)
from backcare.domain import catalogue
from backcare.domain.booking import BookingRules, FreeSlot
from backcare.fhir import booking as fb
from backcare.fhir import record as fr
from backcare.fhir.export import bundle
from backcare.fhir.questionnaires import KINDS, questionnaire

NOW = datetime(2026, 12, 1, 11, 0, tzinfo=UTC)
DAY = date(2026, 12, 1)
ZONE = "Australia/Melbourne"
TENS = {
    "kind": "tens",
    "mode": "conventional",
    "frequency_hz": 100.0,
    "pulse_width_us": 200.0,
    "minutes": 20,
    "intensity": "strong_but_comfortable",
    "electrode_sites": "L4-L5",
    "device": "TENS 7000",
    "notes": "Comfortable",
}
MOBILISATION = {
    "kind": "mobilisation",
    "technique": "central_pa",
    "level": "L4/5",
    "grade": "III",
    "sets": 3,
    "seconds_per_set": 30,
    "response": "Eased",
}
TYPES = {
    "Patient",
    "Organization",
    "Practitioner",
    "PractitionerRole",
    "Location",
    "Schedule",
    "Slot",
    "Appointment",
    "Questionnaire",
    "QuestionnaireResponse",
    "Observation",
    "CarePlan",
    "Procedure",
    "Flag",
}


def sample_resources() -> list[dict[str, Any]]:
    clinic = Clinic(pk=1, name="Harbour Physio")
    place = Location(
        pk=2,
        clinic=clinic,
        name="Quay",
        timezone=ZONE,
        region="AU",
        address="1 Quay St",
        suburb="Docklands",
        postcode="3008",
        phone="+61 3 9000 0000",
    )
    staff = StaffMember(
        pk=4, user=User(pk=3, username="priya", first_name="Priya"), clinic=clinic, role="physio"
    )
    patient = Patient(
        pk=5,
        name="Maya",
        email="maya@example.org",
        timezone=ZONE,
        clinic=clinic,
        lead_physio=staff,
        created_at=NOW,
        date_of_birth=date(1988, 3, 4),
    )
    kind = AppointmentType(
        pk=6,
        clinic=clinic,
        name="Follow-up",
        kind="follow_up",
        duration_minutes=30,
        price_cents=8500,
    )
    start = datetime(2026, 12, 3, 23, 0, tzinfo=UTC)
    booked = Appointment(
        pk=7,
        clinic=clinic,
        patient=patient,
        practitioner=staff,
        location=place,
        appointment_type=kind,
        start=start,
        end=start + timedelta(minutes=30),
        blocked_until=start + timedelta(minutes=30),
        status="booked",
        reason="Review of the programme",
        booked_at=NOW,
    )
    day = CheckIn(
        pk=8,
        patient=patient,
        date=DAY,
        pain_now=4,
        spasm_episodes=2,
        exercises_done=[{"exercise": "walking", "sets": 1}],
        pain_during_exercise=3,
        pain_next_morning=2,
        new_warning_signs=[],
        created_at=NOW,
    )
    walking = catalogue.exercises()["walking"].dose.model_dump()
    plan = Plan(
        pk=9,
        patient=patient,
        is_active=True,
        stopped_on=DAY,
        stop_signs=["fever"],
        state={"prescriptions": [{"exercise": "walking", "dose": walking, "why": "Moving"}]},
        level="self_care",
        phase=1,
        created_on=DAY - timedelta(days=20),
        checked_on=DAY - timedelta(days=20),
    )
    note = TreatmentNote(
        pk=10,
        patient=patient,
        author=staff,
        seen_on=DAY,
        pain_now=3,
        treatments=[TENS, MOBILISATION],
        status="signed",
    )
    odi = QuestionnaireResponse(
        pk=11,
        patient=patient,
        kind="odi",
        taken_on=DAY,
        created_at=NOW,
        answers=dict.fromkeys(fr.ODI_SECTIONS, 2),
        score={"percent": 40.0, "band": "moderate", "answered": 10},
    )
    psfs = QuestionnaireResponse(
        pk=12,
        patient=patient,
        kind="psfs",
        taken_on=DAY,
        created_at=NOW,
        answers={"activities": [{"name": "Sitting", "rating": 4}]},
        score={"mean": 4.0},
    )
    check = AssessmentRecord(
        pk=13,
        patient=patient,
        created_at=NOW,
        answers={"startback": {**{f"q{i}": i < 3 for i in range(1, 9)}, "q9": "slightly"}},
        triage={"startback": {"total": 2, "distress": 0, "risk": "low"}},
    )
    hours = [
        WorkingHours(staff=staff, location=place, weekday=d, start=time(9), end=time(17))
        for d in range(5)
    ]
    opening = [
        OpeningHours(location=place, weekday=d, start=time(8), end=time(18)) for d in range(6)
    ]
    free = FreeSlot(
        start=start + timedelta(hours=1),
        end=start + timedelta(hours=1, minutes=30),
        local_start=(start + timedelta(hours=1)).astimezone(place_zone()),
        zone=ZONE,
        location_id=2,
        appointment_type_id=6,
        practitioner_ids=(4,),
    )
    patient_author = fr.ref("Patient", 5)
    return [
        fr.patient_resource(patient),
        fb.organization(clinic),
        fb.practitioner(staff),
        fb.practitioner_role(staff, place, hours, []),
        fb.location(place, opening),
        fb.schedule(staff, place, [kind], now=NOW, rules=BookingRules()),
        fb.appointment_slot(booked),
        *fb.free_slots(free, kind),
        fb.appointment(booked),
        *(questionnaire(k) for k in KINDS),
        fr.questionnaire_response(odi, ZONE, fr.ref("Practitioner", 4)),
        fr.questionnaire_response(psfs, ZONE, patient_author),
        fr.check_startback_response(check, ZONE),
        *fr.check_in_observations(day, ZONE),
        fr.note_pain_observation(note),
        fr.care_plan(plan),
        *fr.procedures(note),
        *fr.warning_flags(plan, {"history_of_cancer": True}, NOW),
    ]


def place_zone() -> Any:
    from zoneinfo import ZoneInfo

    return ZoneInfo(ZONE)


def sample_bundle() -> dict[str, Any]:
    return bundle(sample_resources(), base="https://clinic.example/api/v1/fhir", now=NOW)
