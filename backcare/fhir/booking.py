"""Booking as FHIR: Organization, Practitioner, PractitionerRole, Location, Schedule, Slot and
Appointment (docs/booking.md, "FHIR shape").

Every instant is written with the location's own UTC offset (and the location's IANA zone in the
`timezone` extension), so a receiver shows 09:00 at the clinic whatever its own zone is.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

from backcare.clinic.models import Appointment, AppointmentType, Clinic, Location
from backcare.domain.booking import BookingRules, FreeSlot
from backcare.fhir.codes import (
    APPOINTMENT_ID,
    APPOINTMENT_KIND_CODES,
    APPOINTMENT_TYPE_CODES,
    CLINIC_ID,
    PHYSIOTHERAPIST_SNOMED,
    SNOMED,
    STAFF_ID,
    TIMEZONE_EXTENSION,
    Resource,
    concept,
    meta,
)
from backcare.lib.timezones import zone

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
APPOINTMENT_STATUS = {
    Appointment.Status.BOOKED: "booked",
    Appointment.Status.ATTENDED: "fulfilled",
    Appointment.Status.NO_SHOW: "noshow",
    Appointment.Status.CANCELLED: "cancelled",
}


def instant(value: datetime, timezone: str) -> str:
    """An instant with the offset of `timezone` at that moment (never a bare wall time)."""
    return value.astimezone(zone(timezone)).isoformat(timespec="seconds")


def _zone_extension(timezone: str) -> list[Resource]:
    return [{"url": TIMEZONE_EXTENSION, "valueCode": timezone}]


def organization(clinic: Clinic) -> Resource:
    return {
        "resourceType": "Organization",
        "id": str(clinic.pk),
        "meta": meta("Organization"),
        "identifier": [{"system": CLINIC_ID, "value": str(clinic.pk)}],
        "active": True,
        "name": clinic.name,
    }


def practitioner(staff: Any) -> Resource:
    return {
        "resourceType": "Practitioner",
        "id": str(staff.pk),
        "meta": meta("Practitioner"),
        "identifier": [{"system": STAFF_ID, "value": str(staff.pk)}],
        "active": True,
        "name": [{"text": staff.name}],
    }


def practitioner_role(
    staff: Any, location: Location, hours: Iterable[Any] = (), leave: Iterable[Any] = ()
) -> Resource:
    """The practitioner at one location: the weekly hours there and their leave."""
    out: Resource = {
        "resourceType": "PractitionerRole",
        "id": role_id(staff.pk, location.pk),
        "meta": meta("PractitionerRole"),
        "active": True,
        "practitioner": {"reference": f"Practitioner/{staff.pk}", "display": staff.name},
        "organization": {"reference": f"Organization/{location.clinic_id}"},
        "location": [{"reference": f"Location/{location.pk}", "display": location.name}],
    }
    if staff.role == "physio":
        out["code"] = [concept(SNOMED, PHYSIOTHERAPIST_SNOMED, "Physiotherapist")]
    available = [
        {
            "daysOfWeek": [DAYS[h.weekday]],
            "availableStartTime": h.start.strftime("%H:%M:%S"),
            "availableEndTime": h.end.strftime("%H:%M:%S"),
        }
        for h in hours
        if h.location_id == location.pk
    ]
    if available:
        out["availableTime"] = available
    away = [
        {
            "description": e.reason or "Leave",
            "during": {"start": e.first_day.isoformat(), "end": e.last_day.isoformat()},
        }
        for e in leave
    ]
    if away:
        out["notAvailable"] = away
    return out


def role_id(staff_id: int, location_id: int) -> str:
    return f"{staff_id}-{location_id}"


def location(place: Location, opening: Iterable[Any] = ()) -> Resource:
    out: Resource = {
        "resourceType": "Location",
        "id": str(place.pk),
        "meta": meta("Location"),
        "extension": _zone_extension(place.timezone),
        "status": "active",
        "name": place.name,
        "mode": "instance",
        "managingOrganization": {"reference": f"Organization/{place.clinic_id}"},
    }
    if place.phone:
        out["telecom"] = [{"system": "phone", "value": place.phone, "use": "work"}]
    address: Resource = {}
    if place.address:
        address["line"] = [place.address]
    if place.suburb:
        address["city"] = place.suburb
    if place.postcode:
        address["postalCode"] = place.postcode
    if place.region:
        address["country"] = place.region
    if address:
        out["address"] = {"use": "work", "type": "physical", **address}
    hours = [
        {
            "daysOfWeek": [DAYS[h.weekday]],
            "openingTime": h.start.strftime("%H:%M:%S"),
            "closingTime": h.end.strftime("%H:%M:%S"),
        }
        for h in opening
    ]
    if hours:
        out["hoursOfOperation"] = hours
    return out


def type_concept(kind: AppointmentType) -> Resource:
    return concept(APPOINTMENT_TYPE_CODES, str(kind.pk), kind.name, kind.name)


def schedule(
    staff: Any,
    place: Location,
    types: Iterable[AppointmentType],
    *,
    now: datetime,
    rules: BookingRules,
    active: bool = True,
) -> Resource:
    """One practitioner's diary at one location, bookable from the minimum notice to the end of
    the horizon's last day (the location's calendar)."""
    today = now.astimezone(zone(place.timezone)).date()
    out: Resource = {
        "resourceType": "Schedule",
        "id": role_id(staff.pk, place.pk),
        "extension": _zone_extension(place.timezone),
        "active": active,
        "actor": [
            {"reference": f"PractitionerRole/{role_id(staff.pk, place.pk)}", "display": staff.name},
            {"reference": f"Location/{place.pk}", "display": place.name},
        ],
        "planningHorizon": {
            "start": instant(now + rules.min_notice, place.timezone),
            "end": (today + timedelta(days=rules.horizon_days)).isoformat(),
        },
    }
    services = [type_concept(t) for t in types]
    if services:
        out["serviceType"] = services
    return out


def appointment_slot(a: Appointment) -> Resource:
    """The busy Slot an active appointment takes (a cancelled one takes none)."""
    tz = a.location.timezone
    return {
        "resourceType": "Slot",
        "id": f"appt-{a.pk}",
        "extension": _zone_extension(tz),
        "schedule": {"reference": f"Schedule/{role_id(a.practitioner_id, a.location_id)}"},
        "status": "busy",
        "serviceType": [type_concept(a.appointment_type)],
        "start": instant(a.start, tz),
        "end": instant(a.end, tz),
        "overbooked": False,
    }


def slot_id(staff_id: int, location_id: int, type_id: int, start: datetime) -> str:
    stamp = start.astimezone(zone("UTC")).strftime("%Y%m%dT%H%MZ")
    return f"{staff_id}-{location_id}-{type_id}-{stamp}"


def free_slots(found: FreeSlot, kind: AppointmentType) -> list[Resource]:
    """One free Slot per practitioner free at this start (the domain's `FreeSlot`)."""
    return [
        {
            "resourceType": "Slot",
            "id": slot_id(who, found.location_id, found.appointment_type_id, found.start),
            "extension": _zone_extension(found.zone),
            "schedule": {"reference": f"Schedule/{role_id(who, found.location_id)}"},
            "status": "free",
            "serviceType": [type_concept(kind)],
            "start": instant(found.start, found.zone),
            "end": instant(found.end, found.zone),
            "overbooked": False,
            "comment": f"{found.date_label}, {found.label}",
        }
        for who in found.practitioner_ids
    ]


def appointment(a: Appointment) -> Resource:
    tz = a.location.timezone
    kind = a.appointment_type
    staff = a.practitioner
    status = APPOINTMENT_STATUS[Appointment.Status(a.status)]
    out: Resource = {
        "resourceType": "Appointment",
        "id": str(a.pk),
        "extension": _zone_extension(tz),
        "identifier": [{"system": APPOINTMENT_ID, "value": str(a.pk)}],
        "status": status,
        "serviceType": [type_concept(kind)],
        "appointmentType": concept(APPOINTMENT_KIND_CODES, kind.kind, kind.get_kind_display()),
        "start": instant(a.start, tz),
        "end": instant(a.end, tz),
        "minutesDuration": int((a.end - a.start).total_seconds() // 60),
        "created": instant(a.booked_at, tz),
        "participant": [
            {
                "actor": {"reference": f"Patient/{a.patient_id}"},
                "required": "required",
                "status": "accepted",
            },
            {
                "actor": {
                    "reference": f"PractitionerRole/{role_id(staff.pk, a.location_id)}",
                    "display": staff.name,
                },
                "required": "required",
                "status": "accepted",
            },
            {
                "actor": {"reference": f"Location/{a.location_id}", "display": a.location.name},
                "required": "required",
                "status": "accepted",
            },
        ],
    }
    if a.reason:
        out["reasonCode"] = [{"text": a.reason}]
    if status == "cancelled":
        out["cancelationReason"] = {"text": "Cancelled"}
    else:
        out["slot"] = [{"reference": f"Slot/appt-{a.pk}"}]
    if a.video_link:
        out["patientInstruction"] = f"Video link: {a.video_link}"
    return out


def last_bookable_day(now: datetime, place: Location, rules: BookingRules) -> date:
    return now.astimezone(zone(place.timezone)).date() + timedelta(days=rules.horizon_days)
