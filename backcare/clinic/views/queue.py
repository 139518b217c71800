"""The physiotherapist's home: who needs attention, most urgent first, each with its reason in
one line. A receptionist's home is the clinic's patients with their contact details only."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_GET

from backcare.accounts.models import StaffMember
from backcare.care.models import Patient
from backcare.clinic.guards import staff_required
from backcare.clinic.models import Location
from backcare.clinic.queries import caseload
from backcare.domain.attention import Entry, rules, words


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
    context: dict[str, Any] = {
        "rows": queue_rows(entries),
        "count": len(entries),
        "physios": physios,
        "locations": locations,
        "whose": whose,
        "physio": physio,
        "location": location,
        "needing": sum(1 for e in entries if e.flags),
    }
    return render(request, "clinic/queue.html", context)


TIER_LABELS = {"now": "Now", "high": "High", "medium": "Medium", "low": "Low"}


def next_visit(a: Any) -> str:
    """ "Next visit: Thu 3 Dec, 10:00 at Richmond", on the location's own clock."""
    local = a.start.astimezone(ZoneInfo(a.location.timezone))
    return f"Next visit: {local:%a} {local.day} {local:%b, %H:%M} at {a.location.name}"


def queue_rows(entries: list[Entry]) -> SafeString:
    """The queue's rows, built here: a template loop over 300 patients took 60 ms a page."""
    # One reverse() with a stand-in id, filled in per row: reverse() itself is slow.
    record = reverse("clinic_patient", args=[0]).replace("/0/", "/{}/")

    def row(e: Entry) -> str:
        tier = e.tier.value if e.tier else ""
        more = ""
        if len(e.flags) > 1:
            items = "".join(f"<li>{escape(words(f))}</li>" for f in e.flags[1:])
            more = f"<details><summary>{len(e.flags) - 1} more</summary><ul>{items}</ul></details>"
        label = f'<span class="tier-label">{TIER_LABELS[tier]}</span>' if tier else ""
        visit = e.snapshot.extra.get("next_appointment")
        if visit is not None:
            more += f'<p class="queue-visit small">{escape(next_visit(visit))}</p>'

        href = record.format(int(e.snapshot.patient_id))
        return (
            f'<li class="queue-row tier-{tier or "none"}"><a class="queue-name" href="{href}">'
            f'{escape(e.snapshot.name)}</a>{label}<p class="queue-reason">{escape(e.reason)}</p>'
            f"{more}</li>"
        )

    # Every value above is escaped, or is a number or one of our own labels.
    return mark_safe("\n".join(row(e) for e in entries))  # noqa: S308


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
