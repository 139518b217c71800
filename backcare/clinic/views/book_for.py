"""Staff book for a patient: choose location, type, practitioner (or anyone) and day, then a free
slot, the same free slots the patient's own /book/ flow shows (booking_flow). Receptionists may:
the page shows who the patient is and the clinic's times, nothing clinical."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from backcare.care.access import access_patient
from backcare.clinic.booking_actions import BookingRefused, SlotTaken
from backcare.clinic.booking_flow import (
    book_chosen,
    clean_reason,
    number,
    read_request,
    slot_choices,
)
from backcare.clinic.guards import staff_required
from backcare.clinic.models import AppointmentType, Location


@require_http_methods(["GET", "POST"])
@staff_required(clinical=False)
def book_for_patient(request: HttpRequest, patient_id: int) -> HttpResponse:
    staff = request.staff  # type: ignore[attr-defined]
    patient = access_patient(request.user, patient_id, clinical=False)
    here = reverse("clinic_book_for_patient", args=[patient.pk])
    if request.method == "POST":
        return _post(request, staff, patient, here)
    now = timezone.now()
    locations = list(Location.objects.filter(clinic_id=staff.clinic_id).order_by("name"))
    context: dict[str, Any] = {"patient": patient, "step": "location", "locations": locations}
    location = next(
        (loc for loc in locations if loc.pk == number(request.GET.get("location"))), None
    )
    if location is None:
        return render(request, "clinic/book_for_patient.html", context)
    types = list(AppointmentType.objects.filter(clinic_id=location.clinic_id, is_active=True))
    context.update(location=location, step="type", types=types)
    kind = next((t for t in types if t.pk == number(request.GET.get("type"))), None)
    if kind is None:
        return render(request, "clinic/book_for_patient.html", context)
    choices = slot_choices(
        location,
        kind,
        who_raw=request.GET.get("practitioner"),
        day_raw=request.GET.get("day"),
        now=now,
        base={"location": location.pk, "type": kind.pk},
    )
    context.update(step="slot", kind=kind, **choices)
    return render(request, "clinic/book_for_patient.html", context)


def _refused(request: HttpRequest, problems: list[str], status: int, **more: Any) -> HttpResponse:
    return render(request, "booking/refused.html", {"problems": problems, **more}, status=status)


def _post(request: HttpRequest, staff: Any, patient: Any, here: str) -> HttpResponse:
    back: dict[str, Any] = {"back": here}
    try:
        wanted = read_request(request.POST)
    except BookingRefused as exc:
        return _refused(request, exc.problems, 400, **back)
    location = Location.objects.filter(pk=wanted.location, clinic_id=staff.clinic_id).first()
    kind = AppointmentType.objects.filter(pk=wanted.appointment_type, is_active=True).first()
    if location is None or kind is None or kind.clinic_id != location.clinic_id:
        return _refused(
            request,
            ["location: no location of this clinic offers that appointment type"],
            400,
            **back,
        )
    back["back"] = f"{here}?location={location.pk}&type={kind.pk}"
    try:
        book_chosen(
            request.user,
            patient=patient,
            location=location,
            kind=kind,
            wanted=wanted,
            now=timezone.now(),
            reason=clean_reason(request.POST.get("reason")),
        )
    except SlotTaken as taken:
        return _refused(request, [str(taken)], 409, next_slots=taken.next_slots, **back)
    except BookingRefused as exc:
        return _refused(request, exc.problems, exc.status, **back)
    return redirect("clinic_patient", patient_id=patient.pk)
