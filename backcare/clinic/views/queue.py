"""The physiotherapist's home: who needs attention, most urgent first, each with its reason in
one line. A receptionist's home is the clinic's patients with their contact details only."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from backcare.accounts.models import StaffMember
from backcare.care.models import Patient
from backcare.clinic.guards import staff_required
from backcare.clinic.models import Location
from backcare.clinic.queries import caseload
from backcare.domain.attention import rules, words


def _number(raw: str) -> int | None:
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 12 else None


@require_GET
@staff_required
def clinic_home(request: HttpRequest) -> HttpResponse:
    staff = request.staff  # type: ignore[attr-defined]
    locations = list(Location.objects.filter(clinic_id=staff.clinic_id).order_by("name"))
    location = _number(request.GET.get("location", ""))
    if location not in {loc.pk for loc in locations}:
        location = None
    if not staff.clinical:
        return _contacts(request, staff, locations, location)
    physios = list(
        StaffMember.objects.filter(clinic_id=staff.clinic_id, role="physio")
        .select_related("user")
        .order_by("user__first_name", "user__username")
    )
    whose = request.GET.get("physio", "me")
    physio = staff.pk if whose == "me" else _number(whose)
    if physio not in {p.pk for p in physios}:
        physio, whose = None, "all"
    entries = caseload(staff.clinic_id, now=timezone.now(), physio_id=physio, location_id=location)
    rows = [
        {
            "entry": e,
            "tier": e.tier.value if e.tier else "",
            "reason": e.reason,
            "more": [words(f) for f in e.flags[1:]],
        }
        for e in entries
    ]
    context: dict[str, Any] = {
        "rows": rows,
        "physios": physios,
        "locations": locations,
        "whose": whose,
        "physio": physio,
        "location": location,
        "needing": sum(1 for r in rows if r["tier"]),
    }
    return render(request, "clinic/queue.html", context)


def _contacts(
    request: HttpRequest, staff: Any, locations: list[Location], location: int | None
) -> HttpResponse:
    """What a receptionist sees: who the patients are and how to reach them; nothing clinical."""
    patients = Patient.objects.filter(clinic_id=staff.clinic_id, erased_at__isnull=True)
    if location is not None:
        patients = patients.filter(location_id=location)
    patients = patients.select_related("location").order_by("name")
    context = {"patients": patients, "locations": locations, "location": location}
    return render(request, "clinic/contacts.html", context)


@require_GET
@staff_required(clinical=True)
def queue_rules(request: HttpRequest) -> HttpResponse:
    """Every rule behind the queue, with its tier, threshold and sources: reviewable."""
    return render(request, "clinic/queue_rules.html", {"rules": rules().values()})
