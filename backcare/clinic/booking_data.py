"""Booking rows to the pure domain's values (`backcare.domain.booking`), in a few queries."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from typing import Any

from backcare.clinic.models import (
    LONGEST_BLOCK,
    Appointment,
    AppointmentType,
    AvailabilityException,
    ClinicBookingSettings,
    Location,
    WorkingHours,
)
from backcare.domain import booking as d


def rules_for(clinic_id: int) -> d.BookingRules:
    return _rules(ClinicBookingSettings.objects.filter(clinic_id=clinic_id).first())


def location_rules(location: Location) -> d.BookingRules:
    """The rules of the location's clinic: from the rows read with the location
    (`select_related("clinic__booking_settings")`) when they were, else one query."""
    from backcare.clinic.models import Clinic

    if Location.clinic.is_cached(location):
        clinic = location.clinic
        if Clinic.booking_settings.is_cached(clinic):
            return _rules(getattr(clinic, "booking_settings", None))
    return rules_for(location.clinic_id)


def _rules(s: ClinicBookingSettings | None) -> d.BookingRules:
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
    if "givers" in getattr(kind, "_prefetched_objects_cache", {}):
        givers = frozenset(s.pk for s in kind.givers.all())
    else:  # the ids from the link table alone, without the staff rows
        links = AppointmentType.givers.through.objects.filter(appointmenttype_id=kind.pk)
        givers = frozenset(links.values_list("staffmember_id", flat=True))
    return d.AppointmentType(
        id=kind.pk,
        name=kind.name,
        duration=kind.duration,
        buffer_after=kind.buffer_after,
        practitioner_ids=givers,
    )


HOURS = ("pk", "staff_id", "location_id", "weekday", "start", "end", "first_day", "last_day")


def _shifts(ids: list[int]) -> dict[int, list[d.Shift]]:
    """Each practitioner's weekly hours with their breaks, in one query (a row per break)."""
    rows = (
        WorkingHours.objects.filter(staff_id__in=ids)
        .values_list(*HOURS, "breaks__start", "breaks__end")
        .order_by("pk", "breaks__start")
    )
    hours: dict[int, tuple[Any, ...]] = {}
    breaks: dict[int, list[d.TimeRange]] = {}
    for *row, break_start, break_end in rows:
        hours[row[0]] = tuple(row)
        breaks.setdefault(row[0], [])
        if break_start is not None:
            breaks[row[0]].append(d.TimeRange(break_start, break_end))
    shifts: dict[int, list[d.Shift]] = {i: [] for i in ids}
    for pk, staff_id, location_id, weekday, start, end, first_day, last_day in hours.values():
        shifts[staff_id].append(
            d.Shift(
                location_id=location_id,
                weekday=d.Weekday(weekday),
                hours=d.TimeRange(start, end),
                breaks=tuple(breaks[pk]),
                first_day=first_day,
                last_day=last_day,
            )
        )
    return shifts


def practitioner_values(
    staff_ids: Iterable[int], *, names: Mapping[int, str] | None = None
) -> list[d.Practitioner]:
    """The domain's practitioners: hours, breaks, leave and changed days. `names`: theirs when
    the caller has them already (otherwise they are read)."""
    ids = list(staff_ids)
    shifts = _shifts(ids)
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
    if names is None or not set(ids) <= set(names):
        from backcare.accounts.models import StaffMember

        staff = StaffMember.objects.filter(pk__in=ids).select_related("user")
        names = {s.pk: s.name for s in staff}
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


BOOKING = ("pk", "practitioner_id", "patient_id", "location_id", "start", "end", "status")


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
    """Active bookings of these practitioners or this patient touching [after, before). The
    lower bound on the start keeps the index search to the days around, however long the
    practitioner's history (no booking blocks more than LONGEST_BLOCK)."""
    from django.db.models import Q

    who = Q(practitioner_id__in=list(practitioner_ids))
    if patient_id is not None:
        who |= Q(patient_id=patient_id)
    rows = (
        Appointment.objects.filter(
            who, start__lt=before, start__gt=after - LONGEST_BLOCK, blocked_until__gt=after
        )
        .exclude(status=Appointment.Status.CANCELLED)
        .order_by("start")
        .values_list(*BOOKING, "blocked_until", "booked_at")
    )
    return [
        d.Booking(
            id=row[0],
            practitioner_id=row[1],
            patient_id=row[2],
            location_id=row[3],
            start=row[4],
            end=row[5],
            status=d.BookingStatus(row[6]),
            buffer_after=row[7] - row[5],
            booked_at=row[8],
        )
        for row in rows
    ]
