"""The clinic's day: appointments per location and per practitioner, and what staff do to them
(move, cancel, mark attended or no-show) for any patient of the clinic. Receptionists may use it:
it shows names, times and the booking reason, never clinical notes."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_POST

from backcare.accounts.models import StaffMember
from backcare.clinic.booking_actions import (
    BookingRefused,
    SlotTaken,
    do_cancel,
    do_mark,
    do_move,
)
from backcare.clinic.guards import staff_required
from backcare.clinic.models import Appointment, Location
from backcare.lib.timezones import zone


def _number(raw: str | None) -> int | None:
    raw = raw or ""
    return int(raw) if raw.isascii() and raw.isdigit() and 0 < len(raw) < 12 else None


@require_GET
@staff_required(clinical=False)
def day_view(request: HttpRequest) -> HttpResponse:
    staff = request.staff  # type: ignore[attr-defined]
    locations = list(Location.objects.filter(clinic_id=staff.clinic_id).order_by("name"))
    if not locations:
        return render(request, "clinic/day.html", {"locations": [], "rows": []})
    location = next(
        (loc for loc in locations if loc.pk == _number(request.GET.get("location"))), locations[0]
    )
    physios = list(
        StaffMember.objects.filter(clinic_id=staff.clinic_id, role="physio").select_related("user")
    )
    who = _number(request.GET.get("practitioner"))
    if who not in {p.pk for p in physios}:
        who = None
    local = zone(location.timezone)
    try:
        day = date.fromisoformat(request.GET.get("day", ""))
    except ValueError:
        day = timezone.now().astimezone(local).date()
    start = datetime.combine(day, time(), local)
    end = datetime.combine(day + timedelta(days=1), time(), local)
    rows = Appointment.objects.filter(
        clinic_id=staff.clinic_id, location=location, start__gte=start, start__lt=end
    ).select_related("patient", "appointment_type", "practitioner__user")
    if who is not None:
        rows = rows.filter(practitioner_id=who)
    context: dict[str, Any] = {
        "locations": locations,
        "location": location,
        "physios": physios,
        "who": who,
        "day": day,
        "previous": (day - timedelta(days=1)).isoformat(),
        "next": (day + timedelta(days=1)).isoformat(),
        "rows": [
            {
                "a": a,
                "start": f"{a.start.astimezone(local):%H:%M}",
                "end": f"{a.end.astimezone(local):%H:%M %Z}",
            }
            for a in rows.order_by("start")
        ],
        "zone_name": location.timezone,
    }
    return render(request, "clinic/day.html", context)


@require_POST
@staff_required(clinical=False)
def appointment_action(request: HttpRequest, appointment_id: int) -> HttpResponse:
    staff = request.staff  # type: ignore[attr-defined]
    a = (
        Appointment.objects.select_related("location", "patient")
        .filter(pk=appointment_id, clinic_id=staff.clinic_id)
        .first()
    )
    if a is None:
        raise Http404("no appointment")
    now = timezone.now()
    action = request.POST.get("action", "")
    try:
        if action == "cancel":
            do_cancel(request.user, a, now=now, by_patient=False)
        elif action in ("attended", "no_show"):
            do_mark(request.user, a, action, now=now)
        elif action == "move":
            from backcare.domain.booking.inputs import _instant

            try:
                start = _instant(request.POST.get("start", ""))
            except ValueError as exc:
                raise BookingRefused([f"start: {exc}"]) from None
            do_move(request.user, a, start=start, now=now, by_patient=False)
        else:
            raise BookingRefused(["action: must be cancel, move, attended or no_show"])
    except SlotTaken as exc:
        return render(
            request,
            "booking/refused.html",
            {"problems": [str(exc)], "next_slots": exc.next_slots},
            status=409,
        )
    except BookingRefused as exc:
        return render(request, "booking/refused.html", {"problems": exc.problems}, status=400)
    day = a.start.astimezone(zone(a.location.timezone)).date().isoformat()
    return redirect("/clinic/day/?" + urlencode({"location": a.location_id, "day": day}))
