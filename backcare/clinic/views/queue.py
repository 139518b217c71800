"""The physiotherapist's home: who needs attention, most urgent first."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from backcare.care.models import Patient
from backcare.clinic.guards import staff_required


@require_GET
@staff_required
def clinic_home(request: HttpRequest) -> HttpResponse:
    staff = request.staff  # type: ignore[attr-defined]
    patients = Patient.objects.filter(clinic_id=staff.clinic_id).order_by("name")
    return render(request, "clinic/queue.html", {"patients": patients, "staff": staff})
