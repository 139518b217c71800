"""Turning records into the API's shapes (schemas.py), shared by /me and /clinic."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from backcare.care.models import AssessmentRecord, CheckIn
from backcare.care.queries import ExerciseToday
from backcare.clinic.booking_actions import patient_may_change
from backcare.clinic.models import Appointment, Location, Message
from backcare.domain import catalogue
from backcare.domain.booking import BookingRules


def check(r: AssessmentRecord) -> dict[str, Any]:
    return {
        "id": r.pk,
        "created_at": r.created_at,
        "level": r.level,
        "title": r.triage.get("title", ""),
        "reasons": r.triage.get("reasons", []),
        "policy_version": r.policy_version,
        "startback": r.triage.get("startback"),
    }


def exercise(e: ExerciseToday, prescription: Any) -> dict[str, Any]:
    return {
        "exercise": e.exercise.id,
        "name": e.exercise.name,
        "dose": e.dose.model_dump(mode="json"),
        "dose_text": e.dose_text,
        "why": e.why,
        "source": e.source,
        "stop_rules": list(e.stop_rules),
    }


def check_in(c: CheckIn) -> dict[str, Any]:
    return {
        "id": c.pk,
        "date": c.date,
        "pain_now": c.pain_now,
        "spasm_episodes": c.spasm_episodes,
        "exercises_done": c.exercises_done,
        "pain_during_exercise": c.pain_during_exercise,
        "pain_next_morning": c.pain_next_morning,
        "new_warning_signs": c.new_warning_signs,
        "sleep": c.sleep or None,
        "created_at": c.created_at,
    }


def message(m: Message) -> dict[str, Any]:
    return {
        "id": m.pk,
        "from_clinic": m.from_clinic,
        "body": m.body,
        "sent_at": m.sent_at,
        "read_at": m.read_at,
        "mentions": list(m.mentions or []),
    }


def appointment(
    a: Appointment, now: datetime, *, show_reason: bool = True, rules: BookingRules | None = None
) -> dict[str, Any]:
    """`show_reason=False` for a receptionist: why someone booked is clinical. With the clinic's
    `rules` and the appointment's location, type and practitioner (with user) loaded, no query."""
    return {
        "id": a.pk,
        "patient_id": a.patient_id,
        "status": a.status,
        "start": a.start,
        "end": a.end,
        "location_id": a.location_id,
        "location": a.location.name,
        "timezone": a.location.timezone,
        "appointment_type_id": a.appointment_type_id,
        "appointment_type": a.appointment_type.name,
        "practitioner_id": a.practitioner_id,
        "practitioner": a.practitioner.name,
        "reason": a.reason if show_reason else "",
        "may_change_online": patient_may_change(a, now, rules=rules),
    }


def location(loc: Location, types: list[Any]) -> dict[str, Any]:
    return {
        "id": loc.pk,
        "name": loc.name,
        "slug": loc.slug,
        "address": loc.address,
        "suburb": loc.suburb,
        "postcode": loc.postcode,
        "phone": loc.phone,
        "timezone": loc.timezone,
        "appointment_types": [
            {
                "id": t.pk,
                "name": t.name,
                "kind": t.kind,
                "duration_minutes": t.duration_minutes,
                "price_cents": t.price_cents,
            }
            for t in types
            if t.clinic_id == loc.clinic_id and t.is_active
        ],
    }


def exercise_name(exercise_id: str) -> str:
    found = catalogue.exercises().get(exercise_id)
    return found.name if found else exercise_id
