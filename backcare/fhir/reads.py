"""One FHIR resource by type and id, through the guards: `read_resource(actor, type, id, now=)`.

Ids name what they come from (docs/api.md): `pain-12` is check-in 12's pain, `q-4` a recorded
questionnaire, `check-7` the STarT Back inside check 7, `31-0` the first treatment in note 31,
`appt-9` the Slot appointment 9 takes. Anything that does not parse is simply not found.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

from django.http import Http404

from backcare.accounts.models import StaffMember
from backcare.care.access import access_patient
from backcare.care.models import AssessmentRecord, CheckIn, Plan, QuestionnaireResponse
from backcare.clinic.booking_actions import free_slots_for
from backcare.clinic.booking_data import rules_for
from backcare.clinic.models import (
    Appointment,
    AppointmentType,
    AvailabilityException,
    Clinic,
    Location,
    TreatmentNote,
    WorkingHours,
)
from backcare.fhir import booking as fb
from backcare.fhir import record as fr
from backcare.fhir.codes import Refused, Resource
from backcare.fhir.export import People, author_ref
from backcare.fhir.questionnaires import KINDS, questionnaire
from backcare.lib.timezones import zone

MAX_PK = 2**63 - 1
SLOT_ID = re.compile(r"^(\d{1,12})-(\d{1,12})-(\d{1,12})-(\d{8})T(\d{4})Z$")


def not_found() -> Http404:
    return Http404("no such resource")


def pk(text: str) -> int:
    if not (text.isascii() and text.isdigit() and 0 < len(text) <= 18) or int(text) > MAX_PK:
        raise not_found()
    return int(text)


def _split(text: str, prefix: str) -> int:
    if not text.startswith(prefix):
        raise not_found()
    return pk(text[len(prefix) :])


def _patient(actor: Any, text: str, now: datetime) -> Resource:
    patient = access_patient(actor, pk(text), clinical=False)
    return fr.patient_resource(patient)


def _observation(actor: Any, text: str, now: datetime) -> Resource:
    if text.startswith("note-pain-"):
        note = _signed_note(actor, _split(text, "note-pain-"), now)
        if note.pain_now is None:
            raise not_found()
        return fr.note_pain_observation(note)
    kind, _, rest = text.partition("-")
    order = {"pain": 0, "spasms": 1, "adherence": 2}
    if kind not in order:
        raise not_found()
    c = CheckIn.objects.filter(pk=pk(rest)).first()
    if c is None:
        raise not_found()
    patient = access_patient(actor, c.patient_id, now=now)
    return fr.check_in_observations(c, patient.timezone)[order[kind]]


def _signed_note(actor: Any, note_id: int, now: datetime) -> TreatmentNote:
    note = TreatmentNote.objects.filter(pk=note_id, status=TreatmentNote.SIGNED).first()
    if note is None:
        raise not_found()
    access_patient(actor, note.patient_id, now=now)
    return note


def _response(actor: Any, text: str, now: datetime) -> Resource:
    if text.startswith("check-"):
        record = AssessmentRecord.objects.filter(pk=_split(text, "check-")).first()
        if record is None or record.patient_id is None:
            raise not_found()
        patient = access_patient(actor, record.patient_id, now=now)
        found = fr.check_startback_response(record, patient.timezone)
        if found is None:
            raise not_found()
        return found
    q = (
        QuestionnaireResponse.objects.filter(pk=_split(text, "q-"))
        .select_related("recorded_by__staff__user")
        .first()
    )
    if q is None:
        raise not_found()
    patient = access_patient(actor, q.patient_id, now=now)
    return fr.questionnaire_response(q, patient.timezone, author_ref(q, People()))


def _questionnaire(actor: Any, text: str, now: datetime) -> Resource:
    if text not in KINDS:
        raise not_found()
    return questionnaire(text)


def _care_plan(actor: Any, text: str, now: datetime) -> Resource:
    plan = Plan.objects.filter(pk=pk(text)).first()
    if plan is None:
        raise not_found()
    access_patient(actor, plan.patient_id, now=now)
    return fr.care_plan(plan)


def _procedure(actor: Any, text: str, now: datetime) -> Resource:
    note_id, _, index = text.partition("-")
    note = _signed_note(actor, pk(note_id), now)
    if note.amendments.filter(status=TreatmentNote.SIGNED).exists():
        raise not_found()  # a signed amendment replaced it
    found = {p["id"]: p for p in fr.procedures(note)}
    if text not in found or not index:
        raise not_found()
    return found[text]


def _flag(actor: Any, text: str, now: datetime) -> Resource:
    plan_id, _, _ = text.partition("-")
    plan = Plan.objects.filter(pk=pk(plan_id), is_active=True).first()
    if plan is None:
        raise not_found()
    access_patient(actor, plan.patient_id, now=now)
    row = AssessmentRecord.objects.filter(pk=plan.assessment_id).first()
    flags = fr.warning_flags(plan, row.answers if row else {}, row.created_at if row else None)
    found = {f["id"]: f for f in flags}
    if text not in found:
        raise not_found()
    return found[text]


def _appointment_row(actor: Any, appointment_id: int) -> Appointment:
    a = (
        Appointment.objects.filter(pk=appointment_id)
        .select_related("location", "appointment_type", "practitioner__user")
        .first()
    )
    if a is None:
        raise not_found()
    access_patient(actor, a.patient_id, clinical=False)
    return a


def _appointment(actor: Any, text: str, now: datetime) -> Resource:
    return fb.appointment(_appointment_row(actor, pk(text)))


def _slot(actor: Any, text: str, now: datetime) -> Resource:
    if text.startswith("appt-"):
        a = _appointment_row(actor, _split(text, "appt-"))
        if a.status == Appointment.Status.CANCELLED:
            raise not_found()
        return fb.appointment_slot(a)
    found = SLOT_ID.match(text)
    if found is None:
        raise not_found()
    staff_id, loc_id, type_id = (pk(found.group(i)) for i in (1, 2, 3))
    try:
        start = datetime.strptime(found.group(4) + found.group(5), "%Y%m%d%H%M").replace(
            tzinfo=zone("UTC")
        )
    except ValueError:
        raise not_found() from None
    place = Location.objects.filter(pk=loc_id).first()
    kind = AppointmentType.objects.filter(pk=type_id, is_active=True).first()
    if place is None or kind is None or kind.clinic_id != place.clinic_id:
        raise not_found()
    day = start.astimezone(zone(place.timezone)).date()
    for slot in free_slots_for(
        place, kind, first_day=day, last_day=day, now=now, practitioner_id=staff_id
    ):
        if slot.start == start:
            return fb.free_slots(slot, kind)[0]
    raise not_found()


def _location(actor: Any, text: str, now: datetime) -> Resource:
    place = Location.objects.filter(pk=pk(text)).first()
    if place is None:
        raise not_found()
    return fb.location(place, place.opening_hours.all())


def _organization(actor: Any, text: str, now: datetime) -> Resource:
    clinic = Clinic.objects.filter(pk=pk(text)).first()
    if clinic is None:
        raise not_found()
    return fb.organization(clinic)


def _staff(text: str) -> StaffMember:
    staff = StaffMember.objects.filter(pk=pk(text), role="physio").select_related("user").first()
    if staff is None:
        raise not_found()
    return staff


def _practitioner(actor: Any, text: str, now: datetime) -> Resource:
    return fb.practitioner(_staff(text))


def _role(text: str) -> tuple[StaffMember, Location, list[WorkingHours]]:
    staff_id, _, loc_id = text.partition("-")
    staff = _staff(staff_id)
    place = Location.objects.filter(pk=pk(loc_id), clinic_id=staff.clinic_id).first()
    hours = list(WorkingHours.objects.filter(staff=staff))
    if place is None or not any(h.location_id == place.pk for h in hours):
        raise not_found()
    return staff, place, hours


def _practitioner_role(actor: Any, text: str, now: datetime) -> Resource:
    staff, place, hours = _role(text)
    leave = AvailabilityException.objects.filter(staff=staff, kind=AvailabilityException.Kind.LEAVE)
    return fb.practitioner_role(staff, place, hours, leave)


def _schedule(actor: Any, text: str, now: datetime) -> Resource:
    staff, place, _ = _role(text)
    types = AppointmentType.objects.filter(givers=staff, is_active=True)
    return fb.schedule(staff, place, types, now=now, rules=rules_for(place.clinic_id))


READERS: dict[str, Callable[[Any, str, datetime], Resource]] = {
    "Patient": _patient,
    "Observation": _observation,
    "QuestionnaireResponse": _response,
    "Questionnaire": _questionnaire,
    "CarePlan": _care_plan,
    "Procedure": _procedure,
    "Flag": _flag,
    "Appointment": _appointment,
    "Slot": _slot,
    "Location": _location,
    "Organization": _organization,
    "Practitioner": _practitioner,
    "PractitionerRole": _practitioner_role,
    "Schedule": _schedule,
}


def read_resource(actor: Any, resource_type: str, resource_id: str, *, now: datetime) -> Resource:
    """One resource, or Http404 (unknown type, unknown id, or not the actor's to see)."""
    reader = READERS.get(resource_type)
    if reader is None or not 0 < len(resource_id) <= 64:
        raise not_found()
    return reader(actor, resource_id, now)


SEARCH_DAYS = 14


def _day(name: str, text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise Refused([f"{name}: must be a date (YYYY-MM-DD), not {text!r}"], 400) from None


def find_slots(
    schedule_id: str, type_id: str, *, start: str | None, end: str | None, now: datetime
) -> list[Resource]:
    """The free Slots of one Schedule for one appointment type, from `start` to `end` (dates on
    the location's calendar, both included, at most SEARCH_DAYS; default: the next fortnight),
    with the Schedule and what it points at, so every reference resolves in the Bundle."""
    if not schedule_id:
        raise Refused(["schedule: name a Schedule, as Schedule/<staff>-<location>"], 400)
    if not type_id:
        raise Refused(["service-type: name an appointment type id (a Schedule's serviceType)"], 400)
    staff, place, hours = _role(schedule_id)
    kind = AppointmentType.objects.filter(
        pk=pk(type_id), is_active=True, clinic_id=place.clinic_id, givers=staff
    ).first()
    if kind is None:
        raise not_found()
    today = now.astimezone(zone(place.timezone)).date()
    first = _day("start", start) or today
    last = _day("end", end) or first + timedelta(days=SEARCH_DAYS - 1)
    if last < first or (last - first).days >= SEARCH_DAYS:
        raise Refused(
            [f"end: must be on or after start and at most {SEARCH_DAYS} days from it"], 400
        )
    found = free_slots_for(
        place, kind, first_day=first, last_day=last, now=now, practitioner_id=staff.pk
    )
    rules = rules_for(place.clinic_id)
    leave = AvailabilityException.objects.filter(staff=staff, kind=AvailabilityException.Kind.LEAVE)
    clinic = Clinic.objects.get(pk=place.clinic_id)
    return [
        *(s for f in found for s in fb.free_slots(f, kind)),
        fb.schedule(staff, place, [kind], now=now, rules=rules),
        fb.practitioner_role(staff, place, hours, leave),
        fb.practitioner(staff),
        fb.location(place, place.opening_hours.all()),
        fb.organization(clinic),
    ]
