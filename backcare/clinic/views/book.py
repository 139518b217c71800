"""The patient's booking pages: locations, the /book/ flow, and their own appointments.

Views stay thin: choices come in the query string (so logging in keeps them), slots from the
domain's free slots shown in the location's own zone (named), writes through booking_actions.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from backcare.care.access import me, patient_for, staff_of
from backcare.clinic.booking_actions import (
    BookingRefused,
    SlotTaken,
    do_cancel,
    do_move,
    free_slots_for,
    patient_may_change,
)
from backcare.clinic.booking_flow import (
    DAYS_SHOWN,
    book_chosen,
    clean_reason,
    number,
    read_request,
    slot_choices,
)
from backcare.clinic.booking_queries import appointments_for
from backcare.clinic.models import Appointment, AppointmentType, Location
from backcare.clinic.reminders import when_label
from backcare.lib.timezones import zone

_number = number
_clean_reason = clean_reason


@require_GET
def locations(request: HttpRequest) -> HttpResponse:
    q = " ".join(request.GET.get("q", "").split())[:60]
    rows = Location.objects.select_related("clinic").order_by("name")
    if q:
        rows = rows.filter(
            Q(suburb__icontains=q) | Q(postcode__startswith=q) | Q(name__icontains=q)
        )
    return render(request, "booking/locations.html", {"locations": list(rows), "q": q})


@require_GET
def location_page(request: HttpRequest, slug: str) -> HttpResponse:
    location = get_object_or_404(Location, slug=slug)
    names = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    hours = [
        {"day": names[h.weekday], "label": f"{h.start:%H:%M}–{h.end:%H:%M}"}
        for h in location.opening_hours.all()
    ]
    abbrev = timezone.now().astimezone(zone(location.timezone)).tzname()
    return render(
        request,
        "booking/location.html",
        {"location": location, "hours": hours, "zone_abbrev": abbrev},
    )


def _nearest(postcode: str) -> list[Location]:
    """Locations by how close their postcode is (Australian postcodes run by area)."""
    rows = [loc for loc in Location.objects.order_by("name") if loc.postcode.isdigit()]
    if not postcode.isdigit():
        return []
    return sorted(rows, key=lambda loc: abs(int(loc.postcode) - int(postcode)))[:5]


@require_http_methods(["GET", "POST"])
def book(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        return _book_post(request)
    now = timezone.now()
    reason = _clean_reason(request.GET.get("reason"))
    context: dict[str, Any] = {"reason": reason, "step": "location"}
    location = Location.objects.filter(pk=_number(request.GET.get("location"))).first()
    if location is None:
        postcode = request.GET.get("postcode", "").strip()[:4]
        context.update(
            locations=list(Location.objects.order_by("name")),
            nearest=_nearest(postcode),
            postcode=postcode,
        )
        return render(request, "booking/book.html", context)
    context.update(location=location, step="type")
    types = list(AppointmentType.objects.filter(clinic_id=location.clinic_id, is_active=True))
    kind = next((t for t in types if t.pk == _number(request.GET.get("type"))), None)
    if kind is None:
        context["types"] = types
        return render(request, "booking/book.html", context)
    base: dict[str, Any] = {"location": location.pk, "type": kind.pk}
    if reason:
        base["reason"] = reason
    choices = slot_choices(
        location,
        kind,
        who_raw=request.GET.get("practitioner"),
        day_raw=request.GET.get("day"),
        now=now,
        base=base,
    )
    can_book = request.user.is_authenticated and staff_of(request.user) is None
    mine = getattr(request.user, "timezone", "") if can_book else ""
    context.update(
        step="slot",
        kind=kind,
        **choices,
        rows=[{"slot": s, "yours": _yours(s, mine, location)} for s in choices["slots"]],
        my_zone=mine if mine and mine != location.timezone else "",
        here=request.get_full_path(),
        can_book=can_book,
    )
    return render(request, "booking/book.html", context)


def _yours(slot: Any, mine: str, location: Location) -> str:
    """The slot on the patient's own clock when they live in another zone ("06:00 AWST"), with
    the date when it differs from the location's (a Londoner sees Sydney's morning the day
    before); empty when their zone is the location's."""
    if not mine or mine == location.timezone or zone(mine).key != mine:
        return ""
    seen = slot.seen_from(mine)
    day = "" if seen.date() == slot.local_date else f"{seen:%a} {seen.day} {seen:%b}, "
    return f"{day}{seen:%H:%M} {seen.tzname()}"


def _refused(request: HttpRequest, problems: list[str], status: int, **more: Any) -> HttpResponse:
    return render(request, "booking/refused.html", {"problems": problems, **more}, status=status)


@require_POST
def _book_post(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect(reverse("login") + "?" + urlencode({"next": reverse("book")}))
    if staff_of(request.user) is not None:
        raise Http404("staff book from the day view")
    try:
        wanted = read_request(request.POST)
    except BookingRefused as exc:
        return _refused(request, exc.problems, 400)
    location = (
        Location.objects.select_related("clinic__booking_settings")
        .filter(pk=wanted.location)
        .first()
    )
    kind = AppointmentType.objects.filter(pk=wanted.appointment_type, is_active=True).first()
    if location is None or kind is None or kind.clinic_id != location.clinic_id:
        return _refused(request, ["location: no such location offers that appointment type"], 400)
    patient = patient_for(request, now=timezone.now())
    if patient is None:
        raise Http404("no patient")
    now = timezone.now()
    try:
        appointment = book_chosen(
            request.user,
            patient=patient,
            location=location,
            kind=kind,
            wanted=wanted,
            now=now,
            reason=_clean_reason(request.POST.get("reason")),
        )
    except SlotTaken as taken:
        return _refused(
            request, [str(taken)], 409, next_slots=taken.next_slots, location=location, kind=kind
        )
    except BookingRefused as exc:
        return _refused(request, exc.problems, exc.status)
    return redirect("appointment", appointment_id=appointment.pk)


def _row(a: Appointment, now: Any) -> dict[str, Any]:
    return {"a": a, "when": when_label(a), "may_change": patient_may_change(a, now)}


@login_required
@require_GET
def my_appointments(request: HttpRequest) -> HttpResponse:
    patient = me(request)
    now = timezone.now()
    rows = [_row(a, now) for a in appointments_for(patient)]
    return render(
        request,
        "booking/appointments.html",
        {
            "upcoming": [r for r in rows if r["a"].end >= now and r["a"].status == "booked"],
            "past": [r for r in rows if not (r["a"].end >= now and r["a"].status == "booked")],
        },
    )


def _mine(request: HttpRequest, appointment_id: int) -> Appointment:
    patient = me(request)
    appointment = (
        Appointment.objects.select_related("location", "appointment_type", "practitioner__user")
        .filter(pk=appointment_id, patient=patient)
        .first()
    )
    if appointment is None:
        raise Http404("no appointment")
    return appointment


@login_required
@require_http_methods(["GET", "POST"])
def appointment(request: HttpRequest, appointment_id: int) -> HttpResponse:
    a = _mine(request, appointment_id)
    now = timezone.now()
    if request.method == "POST":
        try:
            if request.POST.get("action") == "cancel":
                do_cancel(request.user, a, now=now, by_patient=True)
            elif request.POST.get("action") == "move":
                from backcare.domain.booking.inputs import _instant

                try:
                    start = _instant(request.POST.get("start", ""))
                except ValueError as exc:
                    return _refused(request, [f"start: {exc}"], 400)
                do_move(request.user, a, start=start, now=now, by_patient=True)
            else:
                return _refused(request, ["action: must be cancel or move"], 400)
        except SlotTaken as exc:
            return _refused(request, [str(exc)], 409, next_slots=exc.next_slots)
        except BookingRefused as exc:
            return _refused(request, exc.problems, exc.status)
        return redirect("appointment", appointment_id=a.pk)
    may_change = patient_may_change(a, now)
    slots: list[Any] = []
    if may_change:
        today = now.astimezone(zone(a.location.timezone)).date()
        slots = free_slots_for(
            a.location,
            a.appointment_type,
            first_day=today,
            last_day=today + timedelta(days=DAYS_SHOWN - 1),
            now=now,
            practitioner_id=a.practitioner_id,
        )[:24]
    from backcare.clinic import waitlist

    waiting = waitlist.waiting_for(me(request), a)
    return render(
        request,
        "booking/appointment.html",
        {
            "a": a,
            "when": when_label(a),
            "may_change": may_change,
            "slots": slots,
            "waiting": waitlist.wish_label(waiting) if waiting else "",
        },
    )


WEEKDAY_CHOICES = [
    ("monday", "Monday"),
    ("tuesday", "Tuesday"),
    ("wednesday", "Wednesday"),
    ("thursday", "Thursday"),
    ("friday", "Friday"),
    ("saturday", "Saturday"),
    ("sunday", "Sunday"),
]
WINDOW_ROWS = 2


def _wish_from(request: HttpRequest, a: Appointment) -> Any:
    """The form's wish, parsed by the domain's WaitlistWishInput: the place and type are the
    appointment's; only an earlier day than it (the location's clock)."""
    from backcare.domain.booking.inputs import WaitlistWishInput
    from backcare.domain.validation import parse_obj

    starts = request.POST.getlist("window_start")[:WINDOW_ROWS]
    ends = request.POST.getlist("window_end")[:WINDOW_ROWS]
    windows = [
        {"start": s.strip(), "end": e.strip()}
        for s, e in zip(starts, ends + [""] * (len(starts) - len(ends)), strict=False)
        if s.strip() or e.strip()
    ]
    who = request.POST.get("practitioner", "any")
    day = a.start.astimezone(zone(a.location.timezone)).date()
    return parse_obj(
        WaitlistWishInput,
        {
            "location": a.location_id,
            "appointment_type": a.appointment_type_id,
            "practitioner": None if who == "any" else (_number(who) or who),
            "latest": (day - timedelta(days=1)).isoformat(),
            "weekdays": request.POST.getlist("weekday")[:8],
            "windows": windows,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def appointment_waitlist(request: HttpRequest, appointment_id: int) -> HttpResponse:
    """ "Tell me if an earlier time frees up": the patient's wish for this appointment's place
    and type (weekdays, time windows on the location's clock), shown, changed or removed."""
    from backcare.clinic import waitlist
    from backcare.domain.validation import InputError

    a = _mine(request, appointment_id)
    patient = me(request)
    now = timezone.now()
    entry = waitlist.waiting_for(patient, a)
    back = {"title": "Not saved", "back": reverse("appointment_waitlist", args=[a.pk])}
    if request.method == "POST":
        if request.POST.get("action") == "remove":
            if entry is not None:
                waitlist.do_leave_waitlist(patient, entry.pk)
            return redirect("appointment_waitlist", appointment_id=a.pk)
        if request.POST.get("action") == "take":
            if entry is None:
                return _refused(request, ["offer: there is no open offer of an earlier time"], 400)
            try:
                waitlist.do_take_offer(request.user, a, entry, now=now)
            except SlotTaken as exc:
                return _refused(request, [str(exc)], 409, next_slots=exc.next_slots, **back)
            except BookingRefused as exc:
                return _refused(request, exc.problems, exc.status, **back)
            return redirect("appointment", appointment_id=a.pk)
        if a.status != Appointment.Status.BOOKED or a.start <= now:
            return _refused(
                request, ["appointment: only a booked, upcoming one can be earlier"], 400, **back
            )
        try:
            wish = _wish_from(request, a)
        except InputError as exc:
            return _refused(request, exc.problems, 400, **back)
        if (
            wish.practitioner is not None
            and not a.appointment_type.givers.filter(
                pk=wish.practitioner, working_hours__location=a.location
            ).exists()
        ):
            problem = "practitioner: does not give this appointment type here"
            return _refused(request, [problem], 400, **back)
        waitlist.do_join_waitlist(request.user, patient, wish, now=now)
        return redirect("appointment_waitlist", appointment_id=a.pk)
    return render(
        request,
        "booking/waitlist.html",
        {
            "a": a,
            "when": when_label(a),
            "entry": entry,
            "wish": waitlist.wish_label(entry) if entry else "",
            "offer_local": entry.offered_start.astimezone(zone(a.location.timezone))
            if entry and entry.offered_start and waitlist.offer_open(entry, now)
            else None,
            "open": a.status == Appointment.Status.BOOKED and a.start > now,
            "weekdays": WEEKDAY_CHOICES,
            "chosen_days": {WEEKDAY_CHOICES[w][0] for w in entry.weekdays} if entry else set(),
            "windows": [
                (entry.windows[i] if entry and i < len(entry.windows) else ["", ""])
                for i in range(WINDOW_ROWS)
            ],
        },
    )
