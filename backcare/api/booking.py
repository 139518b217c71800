"""Booking through the API: free slots, and book/move/cancel through booking_actions, shared by
the patient's /me/appointments and the clinic's /clinic/appointments."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from pydantic import Field

from backcare.api import shapes
from backcare.api.problems import Problem
from backcare.api.schemas import Strict
from backcare.clinic.booking_actions import free_slots_for
from backcare.clinic.booking_data import location_rules
from backcare.clinic.booking_flow import DAYS_SHOWN, book_chosen
from backcare.clinic.models import Appointment, AppointmentType, Location
from backcare.domain.booking.inputs import BookingRequestInput
from backcare.domain.validation import parse_obj
from backcare.lib.timezones import zone


class BookIn(Strict):
    location: int = Field(ge=1, le=2**53)
    appointment_type: int = Field(ge=1, le=2**53)
    practitioner: int | None = Field(default=None, ge=1, le=2**53, description="null: anyone")
    start: datetime = Field(description="ISO 8601 with its UTC offset, e.g. a slot's start")
    reason: str = Field(default="", max_length=240)


class MoveIn(Strict):
    start: datetime = Field(description="ISO 8601 with its UTC offset, e.g. a slot's start")


def place_and_kind(location_id: int, type_id: int) -> tuple[Location, AppointmentType]:
    # With the clinic's rules, which every booking check reads (booking_data.location_rules).
    location = (
        Location.objects.select_related("clinic__booking_settings").filter(pk=location_id).first()
    )
    kind = AppointmentType.objects.filter(pk=type_id, is_active=True).first()
    if location is None or kind is None or kind.clinic_id != location.clinic_id:
        raise Problem(
            422,
            "location: no such location offers that appointment type",
            errors=[
                {"field": "location", "message": "no such location offers that type"},
                {"field": "appointment_type", "message": "not offered at that location"},
            ],
        )
    return location, kind


def slots(
    location: Location,
    kind: AppointmentType,
    *,
    first: date | None,
    days: int,
    practitioner: int | None,
    now: datetime,
) -> list[dict[str, Any]]:
    today = now.astimezone(zone(location.timezone)).date()
    first = max(first or today, today)
    days = max(1, min(days, DAYS_SHOWN))
    found = free_slots_for(
        location,
        kind,
        first_day=first,
        last_day=first + timedelta(days=days - 1),
        now=now,
        practitioner_id=practitioner,
    )
    return [
        {"start": s.start, "end": s.end, "practitioner_ids": list(s.practitioner_ids)}
        for s in found
    ]


def book(
    actor: Any, patient: Any, payload: BookIn, *, now: datetime, show_reason: bool = True
) -> dict[str, Any]:
    """Book it and return the answer (shapes.appointment), built from what was loaded before the
    booking's transaction with no query after its commit: a database lost at that moment would
    otherwise turn a saved booking into a 503 that says nothing was saved, and the client's
    retry would find its own slot taken (scripts/fault.py found it restarting PostgreSQL)."""
    location, kind = place_and_kind(payload.location, payload.appointment_type)
    rules = location_rules(location)
    wanted = parse_obj(
        BookingRequestInput,
        {
            "location": payload.location,
            "appointment_type": payload.appointment_type,
            "practitioner": payload.practitioner,
            "start": payload.start.isoformat(),
        },
    )
    made = book_chosen(
        actor,
        patient=patient,
        location=location,
        kind=kind,
        wanted=wanted,
        now=now,
        reason=" ".join(payload.reason.split()),
    )
    return shapes.appointment(made, now, show_reason=show_reason, rules=rules)


def with_relations(appointment_id: int, **where: Any) -> Appointment | None:
    return (
        Appointment.objects.select_related("location", "appointment_type", "practitioner__user")
        .filter(pk=appointment_id, **where)
        .first()
    )
