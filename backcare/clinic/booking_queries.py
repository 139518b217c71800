"""Booking's reads for other pages: the patient's record, the queue."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db.models import QuerySet

from backcare.care.models import Patient
from backcare.clinic.models import Appointment


def appointments_for(patient: Patient) -> list[Appointment]:
    """Every appointment of the patient, soonest first, with what a list shows."""
    return list(
        Appointment.objects.filter(patient=patient)
        .select_related("location", "appointment_type", "practitioner__user")
        .order_by("start")
    )


def next_appointment(patient_ids: Iterable[int], *, now: datetime) -> dict[int, Appointment]:
    """Each patient's next booked appointment from `now` (one query), by patient id.
    `patient_ids` may be a query of ids (a subquery)."""
    out: dict[int, Appointment] = {}
    ids: Any = patient_ids if isinstance(patient_ids, QuerySet) else list(patient_ids)
    rows = (
        Appointment.objects.filter(
            patient_id__in=ids, status=Appointment.Status.BOOKED, start__gte=now
        )
        .select_related("location", "appointment_type")
        .order_by("start")
    )
    for a in rows:
        out.setdefault(a.patient_id, a)
    return out
