"""What the patient's /book/ flow and the staff's "book for a patient" page share: the free
slots of a location and type as days to choose from, reading the request, and booking with the
chosen practitioner or the first of "anyone" free at that time. One copy, so both agree."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any

from django.utils.http import urlencode
from pydantic import ValidationError

from backcare.accounts.models import StaffMember
from backcare.care.models import Patient
from backcare.clinic.booking_actions import BookingRefused, SlotTaken, do_book, free_slots_for
from backcare.clinic.models import Appointment, AppointmentType, Location
from backcare.domain.booking.inputs import BookingRequestInput
from backcare.lib.timezones import zone

DAYS_SHOWN = 14


def number(raw: str | None) -> int | None:
    raw = raw or ""
    return int(raw) if raw.isascii() and raw.isdigit() and 0 < len(raw) < 12 else None


def clean_reason(raw: str | None) -> str:
    return " ".join((raw or "").split())[:240]


def day_of(raw: str | None) -> date | None:
    try:
        return date.fromisoformat(raw or "")
    except ValueError:
        return None


def givers_at(location: Location, kind: AppointmentType) -> list[StaffMember]:
    """Who gives this type and works at this location."""
    return list(
        kind.givers.select_related("user").filter(working_hours__location=location).distinct()
    )


def slot_choices(
    location: Location,
    kind: AppointmentType,
    *,
    who_raw: str | None,
    day_raw: str | None,
    now: datetime,
    base: Mapping[str, Any],
) -> dict[str, Any]:
    """The next DAYS_SHOWN days' free slots (the domain's, in the location's zone) as days with
    links (`base` plus day=) and the chosen day's slots; `who`: a giver's id or None (anyone)."""
    givers = givers_at(location, kind)
    who = number(who_raw)
    if who not in {g.pk for g in givers}:
        who = None
    today = now.astimezone(zone(location.timezone)).date()
    slots = free_slots_for(
        location,
        kind,
        first_day=today,
        last_day=today + timedelta(days=DAYS_SHOWN - 1),
        now=now,
        practitioner_id=who,
    )
    days: dict[date, list[Any]] = {}
    for s in slots:
        days.setdefault(s.local_date, []).append(s)
    chosen = day_of(day_raw)
    if chosen not in days:
        chosen = next(iter(days), None)
    query = {**base, "practitioner": who or "any"}
    return {
        "givers": givers,
        "who": who,
        "days": [
            {
                "day": d,
                "label": f"{d:%a %d %b}",
                "count": len(v),
                "chosen": d == chosen,
                "href": "?" + urlencode({**query, "day": d.isoformat()}),
            }
            for d, v in days.items()
        ],
        "slots": days.get(chosen, []),
        "chosen": chosen,
        "zone_name": location.timezone,
    }


def read_request(post: Mapping[str, Any]) -> BookingRequestInput:
    """The form's location, type, practitioner ("any" or an id) and start, strictly parsed;
    BookingRefused naming each bad field."""
    practitioner = post.get("practitioner") or None
    try:
        return BookingRequestInput.model_validate(
            {
                "location": number(post.get("location")) or post.get("location"),
                "appointment_type": number(post.get("type")) or post.get("type"),
                "practitioner": None
                if practitioner in (None, "any")
                else (number(practitioner) or practitioner),
                "start": post.get("start", ""),
            }
        )
    except ValidationError as exc:
        raise BookingRefused(
            [f"{'.'.join(str(x) for x in e['loc'])}: {e['msg']}" for e in exc.errors()]
        ) from None


def book_chosen(
    actor: Any,
    *,
    patient: Patient,
    location: Location,
    kind: AppointmentType,
    wanted: BookingRequestInput,
    now: datetime,
    reason: str = "",
) -> Appointment:
    """Book `wanted` through do_book: with its practitioner, or for "anyone" each practitioner
    free at that time in turn. Raises BookingRefused, or SlotTaken when all were taken."""
    if wanted.practitioner is not None:
        candidates = list(
            StaffMember.objects.select_related("user").filter(
                pk=wanted.practitioner, clinic_id=location.clinic_id
            )
        )
    else:
        day = wanted.start.astimezone(zone(location.timezone)).date()
        slot = next(
            (
                s
                for s in free_slots_for(location, kind, first_day=day, last_day=day, now=now)
                if s.start == wanted.start
            ),
            None,
        )
        ids = list(slot.practitioner_ids) if slot else [g.pk for g in kind.givers.all()]
        found = {s.pk: s for s in StaffMember.objects.select_related("user").filter(pk__in=ids)}
        candidates = [found[i] for i in ids if i in found]
    if not candidates:
        raise BookingRefused(["practitioner: does not give this appointment type here"])
    taken: SlotTaken | None = None
    for n, person in enumerate(candidates):
        try:
            return do_book(
                actor,
                patient=patient,
                practitioner=person,
                location=location,
                appointment_type=kind,
                start=wanted.start,
                now=now,
                reason=reason,
                suggest=n == len(candidates) - 1,  # the next free times once, for the last
            )
        except SlotTaken as exc:
            taken = exc
    if taken is None:  # pragma: no cover - the loop ran at least once
        raise BookingRefused(["start: that time could not be booked"], status=409)
    raise taken
