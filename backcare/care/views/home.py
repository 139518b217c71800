from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from backcare.care.access import staff_of


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    if staff_of(request.user) is not None:
        return redirect("clinic_home")
    patient = getattr(request, "patient", None)
    if patient is not None and patient.plans.filter(is_active=True).exists():
        return redirect("today")
    return render(request, "care/home.html")
