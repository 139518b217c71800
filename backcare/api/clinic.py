"""The clinic's work: `/api/v1/clinic/...`, for staff of one clinic (a token acts as its staff
member, so it reaches that clinic only). Every patient is fetched through `access_patient`:
another clinic's patient is a 404 like a missing one; a receptionist reaches who a patient is
and their appointments, never the clinical record."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from ninja import Path, Query, Router, Status
from pydantic import Field

from backcare.api import booking, shapes
from backcare.api.problems import Problem
from backcare.api.responses import ERRORS, MAX_ID
from backcare.api.schemas import (
    AppointmentOut,
    ChangeOut,
    ContactOut,
    LocationOut,
    NoteOut,
    QueueEntryOut,
    RecordOut,
    SlotOut,
    Strict,
)
from backcare.care.access import access_patient, staff_of
from backcare.care.actions import do_change_programme
from backcare.care.models import AssessmentRecord, CheckIn, Plan, ProgrammeChange
from backcare.care.queries import day_number, exercise_today, plan_recheck, plan_state, plan_today
from backcare.clinic.booking_actions import do_cancel, do_move
from backcare.clinic.booking_queries import appointments_for
from backcare.clinic.models import Appointment, AppointmentType, Location, TreatmentNote
from backcare.clinic.notes import TEXT_FIELDS, do_save_note, do_sign_note, lines, note_today
from backcare.clinic.notes import read_form as read_note
from backcare.clinic.queries import caseload
from backcare.domain.attention import words
from backcare.domain.catalogue import Dose
from backcare.domain.changes import Change, ClinicianChange
from backcare.lib.timezones import local_today, zone

router = Router(tags=["clinic"])
PatientId = Path(..., ge=1, le=MAX_ID)


def _staff(request: HttpRequest, *, clinical: bool = False) -> Any:
    """The caller's staff role, or a 404: the clinic side does not exist for patients, and
    clinical parts do not exist for receptionists (as clinic/guards.py says for the pages)."""
    staff = staff_of(request.user)
    if staff is None or (clinical and not staff.clinical):
        raise Problem(404, "Not found (or not yours to see).")
    return staff


@router.get("/queue", response={200: list[QueueEntryOut], **ERRORS}, summary="Attention queue")
def queue(
    request: HttpRequest,
    mine: bool = False,
    location: int | None = Query(None, ge=1, le=MAX_ID),
) -> list[dict[str, Any]]:
    """The clinic's patients, most urgent first, each with the reason in one line
    (physiotherapists only). `mine=true`: only the caller's own patients."""
    staff = _staff(request, clinical=True)
    entries = caseload(
        staff.clinic_id,
        now=timezone.now(),
        physio_id=staff.pk if mine else None,
        location_id=location,
    )
    return [
        {
            "patient_id": int(e.snapshot.patient_id),
            "name": e.snapshot.name,
            "tier": e.tier.value if e.tier else None,
            "reason": e.reason,
            "flags": [
                {"code": f.code, "tier": f.tier.value, "words": words(f), "since": f.since}
                for f in e.flags
            ],
        }
        for e in entries
    ]


def _contact(p: Any) -> dict[str, Any]:
    return {
        "id": p.pk,
        "name": p.name,
        "email": p.email,
        "phone": p.phone,
        "location_id": p.location_id,
        "lead_physio_id": p.lead_physio_id,
    }


@router.get("/patients", response={200: list[ContactOut], **ERRORS}, summary="Caseload")
def patients(
    request: HttpRequest, location: int | None = Query(None, ge=1, le=MAX_ID)
) -> list[dict[str, Any]]:
    """Who the clinic's patients are and how to reach them (any staff member)."""
    from backcare.care.models import Patient

    staff = _staff(request)
    rows = Patient.objects.filter(clinic_id=staff.clinic_id, erased_at__isnull=True)
    if location is not None:
        rows = rows.filter(location_id=location)
    return [_contact(p) for p in rows.order_by("name", "pk")]


@router.get("/patients/{patient_id}", response={200: RecordOut, **ERRORS}, summary="A record")
def record(request: HttpRequest, patient_id: int = PatientId) -> dict[str, Any]:
    """A physiotherapist's look is audited, so the patient sees who looked."""
    staff = _staff(request)
    now = timezone.now()
    if not staff.clinical:
        patient = access_patient(request.user, patient_id, clinical=False)
        return {
            "patient": _contact(patient),
            "clinical": False,
            "appointments": [
                shapes.appointment(a, now, show_reason=staff.clinical)
                for a in appointments_for(patient)
            ],
        }
    patient = access_patient(request.user, patient_id, now=now)
    plan = Plan.objects.filter(patient=patient, is_active=True).first()
    checks = AssessmentRecord.objects.filter(patient=patient).order_by("-created_at", "-pk")
    from backcare.care.models import QuestionnaireResponse

    questionnaires = QuestionnaireResponse.objects.filter(patient=patient).order_by("-taken_on")
    return {
        "patient": _contact(patient),
        "clinical": True,
        "checks": [shapes.check(r) for r in checks],
        "plan": _plan(plan, patient, now) if plan else None,
        "check_ins": [
            shapes.check_in(c) for c in CheckIn.objects.filter(patient=patient).order_by("-date")
        ],
        "changes": [_change(c) for c in _changes(plan)] if plan else [],
        "notes": [_note(n) for n in _notes(patient)],
        "questionnaires": [
            {"id": q.pk, "kind": q.kind, "taken_on": q.taken_on, "score": q.score}
            for q in questionnaires
        ],
        "appointments": [
            shapes.appointment(a, now, show_reason=staff.clinical)
            for a in appointments_for(patient)
        ],
    }


def _plan(plan: Plan, patient: Any, now: datetime) -> dict[str, Any]:
    day = plan_today(plan, patient, now)
    state = plan_state(plan)
    return {
        "id": plan.pk,
        "level": plan.level,
        "phase": state.phase,
        "created_on": plan.created_on,
        "day": day,
        "day_number": day_number(plan, day),
        "recheck_due_on": plan_recheck(plan, day).due_on,
        "exercises": [shapes.exercise(exercise_today(p, state), p) for p in state.prescriptions],
        "plan_version": plan.plan_version,
    }


def _changes(plan: Plan | None) -> list[ProgrammeChange]:
    if plan is None:
        return []
    return list(ProgrammeChange.objects.filter(plan=plan).order_by("-created_at", "-pk"))


def _change(c: ProgrammeChange) -> dict[str, Any]:
    return {
        "id": c.pk,
        "kind": c.kind,
        "exercise": c.exercise,
        "to": c.to,
        "dose": c.dose,
        "note": c.note,
        "on": c.on,
        "by": c.actor_name,
        "created_at": c.created_at,
    }


@router.get(
    "/patients/{patient_id}/changes",
    response={200: list[ChangeOut], **ERRORS},
    summary="Programme changes",
)
def changes(request: HttpRequest, patient_id: int = PatientId) -> list[dict[str, Any]]:
    _staff(request, clinical=True)
    patient = access_patient(request.user, patient_id, now=timezone.now())
    plan = Plan.objects.filter(patient=patient, is_active=True).first()
    return [_change(c) for c in _changes(plan)]


class DoseIn(Strict):
    sets: int | None = Field(None, ge=0, le=9999)
    reps: int | None = Field(None, ge=0, le=9999)
    hold_seconds: int | None = Field(None, ge=0, le=9999)
    duration_minutes: int | None = Field(None, ge=0, le=9999)


class ChangeIn(Strict):
    kind: Change
    exercise: str = Field("*", max_length=40, description='an exercise id, or "*" for them all')
    to: str | None = Field(None, max_length=40, description="swap: the exercise to swap to")
    dose: DoseIn | None = None
    note: str = Field("", max_length=500)


@router.post(
    "/patients/{patient_id}/changes",
    response={201: list[ChangeOut], **ERRORS},
    summary="Change the programme",
)
def change_programme(
    request: HttpRequest, payload: ChangeIn, patient_id: int = PatientId
) -> Status[Any]:
    """Swap, dose, add, remove, lock or unlock: the same rules as the record page's form."""
    _staff(request, clinical=True)
    now = timezone.now()
    patient = access_patient(request.user, patient_id, write=True)
    plan = Plan.objects.filter(patient=patient, is_active=True).first()
    if payload.kind not in (Change.LOCK, Change.UNLOCK) and payload.exercise == "*":
        raise Problem(
            422,
            "exercise: choose an exercise",
            errors=[{"field": "exercise", "message": "required"}],
        )
    dose = _dose(plan, payload)
    today = plan_today(plan, patient, now) if plan is not None else local_today(patient, now)
    change = ClinicianChange(
        on=today, kind=payload.kind, exercise=payload.exercise, to=payload.to, dose=dose,
        note=payload.note.strip(),
    )  # fmt: skip
    _, problems = do_change_programme(request.user, patient, change, today=today, now=now)  # type: ignore[arg-type]
    if problems:
        from backcare.api.problems import field_errors

        raise Problem(422, "; ".join(problems), errors=field_errors(problems))
    plan = Plan.objects.filter(patient=patient, is_active=True).first()
    return Status(201, [_change(c) for c in _changes(plan)])


def _dose(plan: Plan | None, payload: ChangeIn) -> Dose | None:
    """The exercise's current (or usual) dose with the numbers sent in place of its own."""
    from backcare.domain import catalogue
    from backcare.domain.validation import parse_obj

    if payload.dose is None:
        return None
    target = payload.to if payload.kind is Change.SWAP else payload.exercise
    if target not in catalogue.exercises():
        return None  # do_change_programme names the unknown exercise
    current = None
    if plan is not None and payload.kind is Change.DOSE:
        found = [p.dose for p in plan_state(plan).prescriptions if p.exercise == target]
        current = found[0] if found else None
    base = current or catalogue.exercises()[target].dose
    update = payload.dose.model_dump(exclude_none=True)
    return parse_obj(Dose, {**base.model_dump(mode="json"), **update})


def _notes(patient: Any) -> list[TreatmentNote]:
    return list(
        TreatmentNote.objects.filter(patient=patient).order_by("-seen_on", "-created_at", "-pk")
    )


def _note(n: TreatmentNote) -> dict[str, Any]:
    return {
        "id": n.pk,
        "status": n.status,
        "seen_on": n.seen_on,
        "pain_now": n.pain_now,
        **{f: getattr(n, f) for f in TEXT_FIELDS},
        "treatments": n.treatments,
        "treatment_lines": lines(n),
        "author": n.author_name,
        "signed_at": n.signed_at,
        "signed_by": n.signed_by_name,
        "amends_id": n.amends_id,
        "created_at": n.created_at,
        "updated_at": n.updated_at,
    }


@router.get(
    "/patients/{patient_id}/notes", response={200: list[NoteOut], **ERRORS}, summary="Notes"
)
def notes(request: HttpRequest, patient_id: int = PatientId) -> list[dict[str, Any]]:
    _staff(request, clinical=True)
    patient = access_patient(request.user, patient_id, now=timezone.now())
    return [_note(n) for n in _notes(patient)]


class NoteIn(Strict):
    seen_on: date | None = Field(None, description="the session's day; default today")
    pain_now: int | None = Field(None, ge=0, le=10)
    subjective: str = Field("", max_length=5000)
    range_of_movement: str = Field("", max_length=5000)
    tests: str = Field("", max_length=5000)
    outcome_measures: str = Field("", max_length=5000)
    assessment: str = Field("", max_length=5000)
    plan: str = Field("", max_length=5000)
    treatments: list[dict[str, Any]] = Field(
        default_factory=list,
        max_length=20,
        description="structured treatments: each {kind, ...} as docs/clinic.md lists",
    )


def _as_form(payload: NoteIn, today: date) -> MultiValueDict[str, Any]:
    """The note as the page's form would post it, so one reader checks both."""
    data: MultiValueDict[str, Any] = MultiValueDict()
    data["seen_on"] = (payload.seen_on or today).isoformat()
    data["pain_now"] = "" if payload.pain_now is None else str(payload.pain_now)
    for f in TEXT_FIELDS:
        data[f] = getattr(payload, f)
    for i, t in enumerate(payload.treatments):
        data[f"t{i}.kind"] = str(t.get("kind", ""))
        for name, value in t.items():
            if name == "kind":
                continue
            if isinstance(value, list):
                data.setlist(f"t{i}.{name}", [str(v) for v in value])
            else:
                data[f"t{i}.{name}"] = "" if value is None else str(value)
    return data


@router.post(
    "/patients/{patient_id}/notes", response={201: NoteOut, **ERRORS}, summary="Write a draft"
)
def create_note(request: HttpRequest, payload: NoteIn, patient_id: int = PatientId) -> Status[Any]:
    """A draft treatment note; sign it when it is read through."""
    staff = _staff(request, clinical=True)
    patient = access_patient(request.user, patient_id, write=True)
    now = timezone.now()
    form = read_note(_as_form(payload, note_today(patient, now)), today=note_today(patient, now))
    if form.problems:
        from backcare.api.problems import field_errors

        raise Problem(422, "; ".join(form.problems), errors=field_errors(form.problems))
    saved = do_save_note(request.user, staff, patient, form, note=None, now=now)
    return Status(201, _note(saved))


@router.post(
    "/patients/{patient_id}/notes/{note_id}/sign",
    response={200: NoteOut, **ERRORS},
    summary="Sign a draft",
)
def sign_note(
    request: HttpRequest, patient_id: int = PatientId, note_id: int = Path(..., ge=1, le=MAX_ID)
) -> dict[str, Any]:
    """Only its author signs a draft; a signed note is never changed."""
    staff = _staff(request, clinical=True)
    patient = access_patient(request.user, patient_id, write=True)
    found = TreatmentNote.objects.filter(pk=note_id, patient=patient).first()
    if found is None:
        raise Problem(404, "Not found (or not yours to see).")
    if found.signed:
        raise Problem(
            409, "note: it is signed already", errors=[{"field": "note", "message": "signed"}]
        )
    if found.author_id != staff.pk:
        raise Problem(
            403,
            f"note: only its author, {found.author_name}, may sign it",
            errors=[{"field": "note", "message": "only its author may sign it"}],
        )
    return _note(do_sign_note(request.user, staff, found, now=timezone.now()))


@router.get("/locations", response={200: list[LocationOut], **ERRORS}, summary="Locations")
def locations(request: HttpRequest) -> list[dict[str, Any]]:
    staff = _staff(request)
    types = list(AppointmentType.objects.filter(clinic_id=staff.clinic_id, is_active=True))
    rows = Location.objects.filter(clinic_id=staff.clinic_id).order_by("name")
    return [shapes.location(loc, types) for loc in rows]


@router.get("/availability", response={200: list[SlotOut], **ERRORS}, summary="Free slots")
def availability(
    request: HttpRequest,
    location: int = Query(..., ge=1, le=MAX_ID),
    appointment_type: int = Query(..., ge=1, le=MAX_ID),
    first_day: date | None = None,
    days: int = Query(7, ge=1, le=14),
    practitioner: int | None = Query(None, ge=1, le=MAX_ID),
) -> list[dict[str, Any]]:
    """Free slots at one of the clinic's locations, from `first_day` (the location's today)."""
    staff = _staff(request)
    place, kind = booking.place_and_kind(location, appointment_type)
    if place.clinic_id != staff.clinic_id:
        raise Problem(404, "Not found (or not yours to see).")
    return booking.slots(
        place, kind, first=first_day, days=days, practitioner=practitioner, now=timezone.now()
    )


@router.get(
    "/appointments", response={200: list[AppointmentOut], **ERRORS}, summary="A day's bookings"
)
def appointments(
    request: HttpRequest,
    day: date | None = None,
    location: int | None = Query(None, ge=1, le=MAX_ID),
) -> list[dict[str, Any]]:
    """The clinic's appointments on `day` (each location's own calendar day; default today)."""
    staff = _staff(request)
    now = timezone.now()
    places = Location.objects.filter(clinic_id=staff.clinic_id)
    if location is not None:
        places = places.filter(pk=location)
    out = []
    for place in places.order_by("name"):
        tz = zone(place.timezone)
        on = day or now.astimezone(tz).date()
        start = datetime.combine(on, time(0), tzinfo=tz)
        rows = (
            Appointment.objects.filter(
                location=place, start__gte=start, start__lt=start + timedelta(days=1)
            )
            .select_related("location", "appointment_type", "practitioner__user")
            .order_by("start")
        )
        out += [shapes.appointment(a, now, show_reason=staff.clinical) for a in rows]
    return out


@router.get(
    "/patients/{patient_id}/appointments",
    response={200: list[AppointmentOut], **ERRORS},
    summary="A patient's appointments",
)
def patient_appointments(request: HttpRequest, patient_id: int = PatientId) -> list[dict[str, Any]]:
    staff = _staff(request)
    patient = access_patient(request.user, patient_id, clinical=False)
    now = timezone.now()
    return [
        shapes.appointment(a, now, show_reason=staff.clinical) for a in appointments_for(patient)
    ]


@router.post(
    "/patients/{patient_id}/appointments",
    response={201: AppointmentOut, **ERRORS},
    summary="Book for a patient",
)
def book_for(
    request: HttpRequest, payload: booking.BookIn, patient_id: int = PatientId
) -> Status[Any]:
    staff = _staff(request)
    patient = access_patient(request.user, patient_id, clinical=False)
    now = timezone.now()
    place, _ = booking.place_and_kind(payload.location, payload.appointment_type)
    if place.clinic_id != staff.clinic_id:
        raise Problem(422, "location: not one of your clinic's locations",
                      errors=[{"field": "location", "message": "not your clinic's"}])  # fmt: skip
    return Status(
        201, booking.book(request.user, patient, payload, now=now, show_reason=staff.clinical)
    )


def _clinics(staff: Any, appointment_id: int) -> Appointment:
    found = booking.with_relations(appointment_id, clinic_id=staff.clinic_id)
    if found is None:
        raise Problem(404, "Not found (or not yours to see).")
    return found


@router.post(
    "/appointments/{appointment_id}/move",
    response={200: AppointmentOut, **ERRORS},
    summary="Move an appointment",
)
def move(
    request: HttpRequest,
    payload: booking.MoveIn,
    appointment_id: int = Path(..., ge=1, le=MAX_ID),
) -> dict[str, Any]:
    staff = _staff(request)
    a = _clinics(staff, appointment_id)
    now = timezone.now()
    do_move(request.user, a, start=payload.start, now=now, by_patient=False)
    return shapes.appointment(_clinics(staff, appointment_id), now, show_reason=staff.clinical)


@router.post(
    "/appointments/{appointment_id}/cancel",
    response={200: AppointmentOut, **ERRORS},
    summary="Cancel an appointment",
)
def cancel(
    request: HttpRequest, appointment_id: int = Path(..., ge=1, le=MAX_ID)
) -> dict[str, Any]:
    staff = _staff(request)
    a = _clinics(staff, appointment_id)
    now = timezone.now()
    do_cancel(request.user, a, now=now, by_patient=False)
    return shapes.appointment(_clinics(staff, appointment_id), now, show_reason=staff.clinical)
