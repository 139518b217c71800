"""Booking rows to the pure domain's values (`backcare.domain.booking`), in a few queries."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from backcare.clinic.models import (
    Appointment,
    AppointmentType,
    AvailabilityException,
    ClinicBookingSettings,
    Location,
    WorkingHours,
)
from backcare.domain import booking as d


def rules_for(clinic_id: int) -> d.BookingRules:
    s = ClinicBookingSettings.objects.filter(clinic_id=clinic_id).first()
    if s is None:
        return d.BookingRules()
    return d.BookingRules(
        grid_minutes=s.grid_minutes,
        min_notice=timedelta(minutes=s.min_notice_minutes),
        horizon_days=s.horizon_days,
        cancel_cutoff=timedelta(hours=s.cancel_cutoff_hours),
        reminder_before=timedelta(hours=s.reminder_hours),
        offer_hold=timedelta(minutes=s.offer_hold_minutes),
    )


def location_value(location: Location) -> d.Location:
    hours = tuple(
        d.OpeningHours(d.Weekday(h.weekday), d.TimeRange(h.start, h.end))
        for h in location.opening_hours.all()
    )
    return d.Location(location.pk, location.name, location.timezone, hours)


def type_value(kind: AppointmentType) -> d.AppointmentType:
    return d.AppointmentType(
        id=kind.pk,
        name=kind.name,
        duration=kind.duration,
        buffer_after=kind.buffer_after,
        practitioner_ids=frozenset(s.pk for s in kind.givers.all()),
    )


def practitioner_values(staff_ids: Iterable[int]) -> list[d.Practitioner]:
    ids = list(staff_ids)
    shifts: dict[int, list[d.Shift]] = {i: [] for i in ids}
    for h in WorkingHours.objects.filter(staff_id__in=ids).prefetch_related("breaks"):
        shifts[h.staff_id].append(
            d.Shift(
                location_id=h.location_id,
                weekday=d.Weekday(h.weekday),
                hours=d.TimeRange(h.start, h.end),
                breaks=tuple(d.TimeRange(b.start, b.end) for b in h.breaks.all()),
                first_day=h.first_day,
                last_day=h.last_day,
            )
        )
    leave: dict[int, list[d.Leave]] = {i: [] for i in ids}
    changed: dict[int, dict[tuple[int, date], list[d.TimeRange]]] = {i: {} for i in ids}
    for e in AvailabilityException.objects.filter(staff_id__in=ids):
        span = (d.TimeRange(e.start, e.end),) if e.start and e.end else ()
        if e.kind == AvailabilityException.Kind.LEAVE:
            leave[e.staff_id].append(d.Leave(e.first_day, e.last_day, span, e.reason))
        elif e.location_id is not None:
            day = e.first_day
            while day <= e.last_day:
                changed[e.staff_id].setdefault((e.location_id, day), []).extend(span)
                day += timedelta(days=1)
    from backcare.accounts.models import StaffMember

    names = {s.pk: s.name for s in StaffMember.objects.filter(pk__in=ids).select_related("user")}
    return [
        d.Practitioner(
            id=i,
            name=names.get(i, f"Practitioner {i}"),
            shifts=tuple(shifts[i]),
            leave=tuple(leave[i]),
            changed_days=tuple(
                d.ChangedDay(loc, day, tuple(hours)) for (loc, day), hours in changed[i].items()
            ),
        )
        for i in ids
    ]


def booking_value(a: Appointment) -> d.Booking:
    return d.Booking(
        id=a.pk,
        practitioner_id=a.practitioner_id,
        patient_id=a.patient_id,
        location_id=a.location_id,
        start=a.start,
        end=a.end,
        status=d.BookingStatus(a.status),
        buffer_after=a.blocked_until - a.end,
        booked_at=a.booked_at,
    )


def bookings_near(
    *,
    practitioner_ids: Iterable[int],
    patient_id: int | None,
    after: datetime,
    before: datetime,
) -> list[d.Booking]:
    """Active bookings of these practitioners or this patient touching [after, before)."""
    from django.db.models import Q

    who = Q(practitioner_id__in=list(practitioner_ids))
    if patient_id is not None:
        who |= Q(patient_id=patient_id)
    rows = (
        Appointment.objects.filter(who, start__lt=before, blocked_until__gt=after)
        .exclude(status=Appointment.Status.CANCELLED)
        .order_by("start")
    )
    return [booking_value(a) for a in rows]
