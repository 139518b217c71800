"""Booking's writes: book, cancel, move, mark attended or no-show. Each runs in one transaction:
the domain's check against the bookings in the database, then the write, then the audit row.

No slot is sold twice. On SQLite the transaction begins with `BEGIN IMMEDIATE` (settings: the
database's `transaction_mode`), so the check and the insert hold the one write lock together. On
PostgreSQL the exclusion constraints of migration 0005 refuse an overlapping row even when two
transactions checked at the same moment: the loser's `IntegrityError` becomes `SlotTaken`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db import IntegrityError, OperationalError, transaction

from backcare.accounts.models import StaffMember
from backcare.care.models import Action, AuditEvent, Patient
from backcare.clinic import booking_data as data
from backcare.clinic.models import Appointment, AppointmentType, Location
from backcare.domain import booking as d


class BookingRefused(Exception):
    """The request breaks a rule; `problems` name each one (shown as a 400/409)."""

    def __init__(self, problems: list[str], *, status: int = 400) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems
        self.status = status


@dataclass
class SlotTaken(Exception):
    """Somebody else took that time a moment ago (409): here are the next free slots."""

    next_slots: list[d.FreeSlot] = field(default_factory=list)
    message: str = "That time was just taken by someone else. Please choose another."

    def __str__(self) -> str:
        return self.message


def _audit(
    actor: Any, patient: Patient, action: Action, obj: Appointment, now: datetime, **kw: Any
) -> None:
    AuditEvent.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        patient=patient,
        action=action,
        object_type="Appointment",
        object_id=obj.pk,
        details=kw,
        at=now,
    )


def _utc(value: datetime) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise BookingRefused(["start: must be a date and time with its UTC offset"])
    return value.astimezone(UTC)


def _inputs(location: Location, kind: AppointmentType, now: datetime) -> dict[str, Any]:
    """What the domain's slot functions read, from the database's rows: the location, the
    type, who gives it, their bookings around the booking horizon, and the clinic's rules."""
    kind_value = data.type_value(kind)
    rules = data.rules_for(location.clinic_id)
    return {
        "location": data.location_value(location),
        "kind": kind_value,
        "practitioners": data.practitioner_values(sorted(kind_value.practitioner_ids)),
        "bookings": data.bookings_near(
            practitioner_ids=kind_value.practitioner_ids,
            patient_id=None,
            after=now - timedelta(days=1),
            before=now + timedelta(days=rules.horizon_days + 2),
        ),
        "rules": rules,
    }


def free_slots_for(
    location: Location,
    kind: AppointmentType,
    *,
    first_day: Any,
    last_day: Any,
    now: datetime,
    practitioner_id: int | None = None,
) -> list[d.FreeSlot]:
    """The domain's free slots for this location and type, from the database's rows."""
    i = _inputs(location, kind, now)
    return d.free_slots(
        i["location"], i["kind"], i["practitioners"], i["bookings"],
        first_day=first_day, last_day=last_day, now=now, rules=i["rules"],
        practitioner_id=practitioner_id,
    )  # fmt: skip


def _next_slots(
    location: Location, kind: AppointmentType, after: datetime, now: datetime, who: int | None
) -> list[d.FreeSlot]:
    i = _inputs(location, kind, now)
    return d.next_free(
        i["location"], i["kind"], i["practitioners"], i["bookings"],
        after=after, now=now, rules=i["rules"], practitioner_id=who,
    )  # fmt: skip


@dataclass(frozen=True)
class _Facts:
    """What a booking is checked against besides the other bookings: the clinic's rules, the
    type, the practitioner's hours and leave, the location's opening hours. Read before the
    transaction, so the write lock (SQLite) or the practitioner's row (PostgreSQL) is held only
    for the bookings, the one thing another booking can change in the meantime."""

    rules: d.BookingRules
    kind: d.AppointmentType
    practitioner: d.Practitioner
    location: d.Location


def _facts(
    *, patient: Patient, practitioner: StaffMember, location: Location, kind: AppointmentType
) -> _Facts:
    if location.clinic_id != patient.clinic_id and patient.clinic_id is not None:
        raise BookingRefused(["location: not one of your clinic's locations"])
    if kind.clinic_id != location.clinic_id or not kind.is_active:
        raise BookingRefused(["appointment_type: not offered at this location"])
    if practitioner.clinic_id != location.clinic_id:
        raise BookingRefused(["practitioner: does not work at this clinic"])
    return _Facts(
        rules=data.location_rules(location),
        kind=data.type_value(kind),
        practitioner=data.practitioner_values(
            [practitioner.pk], names={practitioner.pk: practitioner.name}
        )[0],
        location=data.location_value(location),
    )


def _check(
    facts: _Facts, *, patient: Patient, start: datetime, now: datetime, moving: Appointment | None
) -> None:
    """The domain's check against the bookings as they are now: call inside the transaction."""
    start = _utc(start)
    end = start + facts.kind.duration + facts.kind.buffer_after
    bookings = data.bookings_near(
        practitioner_ids=[facts.practitioner.id],
        patient_id=patient.pk,
        after=start - timedelta(hours=13),
        before=end,
    )
    problems = d.check_booking(
        start=start,
        patient_id=patient.pk,
        practitioner=facts.practitioner,
        location=facts.location,
        appointment_type=facts.kind,
        bookings=bookings,
        rules=facts.rules,
        now=now,
        moving=data.booking_value(moving) if moving is not None else None,
    )
    busy = {d.ProblemCode.PRACTITIONER_BUSY, d.ProblemCode.PATIENT_BUSY}
    if problems and all(p.code in busy for p in problems):
        raise SlotTaken()  # the next free times are found once the transaction is over
    if problems:
        raise BookingRefused([p.message for p in problems])


RETRIES = 3


def _serialise(practitioner_id: int, patient_id: int) -> None:
    """Take the practitioner's row, then the patient's, for this transaction: two bookings for
    one practitioner then wait in turn instead of deadlocking inside PostgreSQL's exclusion
    constraint check (the loser sees the winner's row and is told the slot was just taken). The
    constraints still decide; this only orders who asks first. SQLite holds one writer anyway
    (and ignores FOR UPDATE), so there it asks nothing."""
    if transaction.get_connection().vendor != "postgresql":
        return
    list(StaffMember.objects.select_for_update().filter(pk=practitioner_id).values_list("pk"))
    list(Patient.objects.select_for_update().filter(pk=patient_id).values_list("pk"))


def _transient(exc: OperationalError) -> bool:
    """PostgreSQL aborts one of two bookings that wait on each other's rows while checking the
    exclusion constraints (a deadlock): run again, it then meets the other booking like any
    later one (SlotTaken), instead of failing."""
    try:
        from psycopg import errors
    except ImportError:  # pragma: no cover (SQLite only: one writer, no deadlocks)
        return False
    return isinstance(exc.__cause__, errors.DeadlockDetected | errors.SerializationFailure)


def _again(action: Any, *args: Any, **kwargs: Any) -> Any:
    for attempt in range(RETRIES):
        try:
            return action(*args, **kwargs)
        except OperationalError as exc:
            in_outer = transaction.get_connection().in_atomic_block
            if attempt == RETRIES - 1 or in_outer or not _transient(exc):
                raise
    raise AssertionError("unreachable")


def do_book(actor: Any, **kwargs: Any) -> Appointment:
    """Book it, or raise BookingRefused (a rule broken) or SlotTaken (someone was quicker)."""
    return _again(_book, actor, **kwargs)  # type: ignore[no-any-return]


def _book(
    actor: Any,
    *,
    patient: Patient,
    practitioner: StaffMember,
    location: Location,
    appointment_type: AppointmentType,
    start: datetime,
    now: datetime,
    reason: str = "",
    video_link: str = "",
    suggest: bool = True,
) -> Appointment:
    """`suggest=False`: a SlotTaken without the next free times (a caller trying others)."""
    # In UTC before any arithmetic: adding minutes to an aware local datetime moves its wall
    # clock, which across a DST change is not the same instant plus those minutes.
    start = _utc(start)
    try:
        appointment = _insert(
            actor, patient=patient, practitioner=practitioner, location=location,
            appointment_type=appointment_type, start=start, now=now, reason=reason,
            video_link=video_link,
        )  # fmt: skip
    except SlotTaken as taken:
        # Found after the transaction, not inside it: a loser must not keep holding the
        # practitioner's row (PostgreSQL) or the one write lock (SQLite) while it searches the
        # weeks ahead, or every other booking waits behind it.
        if suggest:
            taken.next_slots = _next_slots(location, appointment_type, start, now, practitioner.pk)
        raise
    return appointment


def _insert(
    actor: Any,
    *,
    patient: Patient,
    practitioner: StaffMember,
    location: Location,
    appointment_type: AppointmentType,
    start: datetime,
    now: datetime,
    reason: str,
    video_link: str,
) -> Appointment:
    facts = _facts(
        patient=patient, practitioner=practitioner, location=location, kind=appointment_type
    )
    try:
        with transaction.atomic():
            _serialise(practitioner.pk, patient.pk)
            _check(facts, patient=patient, start=start, now=now, moving=None)
            if patient.clinic_id is None:  # a new patient joins the clinic they book with
                patient.clinic_id = location.clinic_id
                patient.location = patient.location or location
                patient.save(update_fields=["clinic", "location"])
            end = start + appointment_type.duration
            appointment = Appointment.objects.create(
                clinic_id=location.clinic_id,
                patient=patient,
                practitioner=practitioner,
                location=location,
                appointment_type=appointment_type,
                start=start,
                end=end,
                blocked_until=end + appointment_type.buffer_after,
                reason=reason[:240],
                video_link=video_link,
                booked_at=now,
                booked_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
            _audit(actor, patient, Action.APPOINTMENT_BOOKED, appointment, now)
            _after_booking(appointment, now, rules=facts.rules)
    except IntegrityError as exc:
        if "overlap" not in str(exc) and "exclusion" not in str(exc).lower():
            raise
        raise SlotTaken() from None
    return appointment


def _after_booking(appointment: Appointment, now: datetime, *, rules: d.BookingRules) -> None:
    """A new appointment's messages (confirmation, reminder) and webhooks, in its transaction."""
    from backcare.clinic import reminders, webhooks

    reminders.schedule(appointment, now, fresh=True, rules=rules)
    webhooks.emit(
        appointment.clinic_id,
        "appointment.booked",
        webhooks.appointment_data(appointment),
        now=now,
    )


def patient_may_change(
    appointment: Appointment, now: datetime, *, rules: d.BookingRules | None = None
) -> bool:
    """`rules`: the clinic's, when the caller has them already (no query)."""
    rules = rules or data.rules_for(appointment.clinic_id)
    return appointment.status == Appointment.Status.BOOKED and d.can_patient_change(
        appointment.start, now, rules
    )


def _changeable(actor: Any, appointment: Appointment, now: datetime, by_patient: bool) -> None:
    if appointment.status != Appointment.Status.BOOKED:
        status = appointment.get_status_display().lower()
        raise BookingRefused([f"appointment: it is {status}, so it cannot be changed"])
    if by_patient and not patient_may_change(appointment, now):
        phone = appointment.location.phone or "the location"
        raise BookingRefused(
            [
                "appointment: it is too close to change online; please call "
                f"{appointment.location.name} on {phone}"
            ]
        )


def do_cancel(
    actor: Any, appointment: Appointment, *, now: datetime, by_patient: bool
) -> Appointment:
    with transaction.atomic():
        appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
        _changeable(actor, appointment, now, by_patient)
        appointment.status = Appointment.Status.CANCELLED
        appointment.cancelled_at = now
        appointment.save(update_fields=["status", "cancelled_at"])
        _audit(actor, appointment.patient, Action.APPOINTMENT_CANCELLED, appointment, now)
        from backcare.clinic import waitlist, webhooks

        waitlist.offer_freed(appointment, now)
        data = webhooks.appointment_data(appointment)
        webhooks.emit(appointment.clinic_id, "appointment.cancelled", data, now=now)
    return appointment


def do_move(actor: Any, appointment: Appointment, **kwargs: Any) -> Appointment:
    """Move it to `start` (and perhaps another practitioner), or refuse as do_book does."""
    return _again(_move, actor, appointment, **kwargs)  # type: ignore[no-any-return]


def _move(
    actor: Any,
    appointment: Appointment,
    *,
    start: datetime,
    now: datetime,
    by_patient: bool,
    practitioner: StaffMember | None = None,
) -> Appointment:
    who = practitioner or appointment.practitioner
    start = _utc(start)
    _changeable(actor, appointment, now, by_patient)  # again inside, on the row as it is then
    facts = _facts(
        patient=appointment.patient,
        practitioner=who,
        location=appointment.location,
        kind=appointment.appointment_type,
    )
    try:
        with transaction.atomic():
            _serialise(who.pk, appointment.patient_id)
            appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
            _changeable(actor, appointment, now, by_patient)
            _check(facts, patient=appointment.patient, start=start, now=now, moving=appointment)
            old = appointment.start
            kind = appointment.appointment_type
            appointment.start = start
            appointment.end = start + kind.duration
            appointment.blocked_until = appointment.end + kind.buffer_after
            appointment.practitioner = who
            appointment.save(update_fields=["start", "end", "blocked_until", "practitioner"])
            _audit(
                actor,
                appointment.patient,
                Action.APPOINTMENT_MOVED,
                appointment,
                now,
                was=old.isoformat(),
            )
            from backcare.clinic import reminders, webhooks

            reminders.reschedule(appointment, now)
            moved = {**webhooks.appointment_data(appointment), "rescheduled_from": old.isoformat()}
            webhooks.emit(appointment.clinic_id, "appointment.booked", moved, now=now)
    except IntegrityError:
        taken = SlotTaken()
    except SlotTaken as exc:
        taken = exc
    else:
        return appointment
    # After the transaction, as in do_book: no lock held while the weeks ahead are searched.
    kind = appointment.appointment_type
    taken.next_slots = _next_slots(appointment.location, kind, start, now, who.pk)
    raise taken


MARKS = {"attended": Appointment.Status.ATTENDED, "no_show": Appointment.Status.NO_SHOW}


def do_mark(actor: Any, appointment: Appointment, status: str, *, now: datetime) -> Appointment:
    """Staff mark an appointment that has started as attended or no-show."""
    if status not in MARKS:
        raise BookingRefused(["status: must be attended or no_show"])
    with transaction.atomic():
        appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
        if appointment.status == Appointment.Status.CANCELLED:
            raise BookingRefused(["appointment: it was cancelled, so it cannot be marked"])
        if appointment.start > now:
            raise BookingRefused(["status: the appointment has not started yet"])
        appointment.status = MARKS[status]
        appointment.save(update_fields=["status"])
        _audit(
            actor, appointment.patient, Action.APPOINTMENT_MARKED, appointment, now, status=status
        )
    return appointment
