"""A patient's record as a FHIR Bundle (`$everything`), read through the one guard, in a fixed
number of queries however long the record is.

`patient_bundle(actor, patient_id, now=, base=)` is the Bundle; `read_resource(actor, type, id,
now=)` one resource. Both raise Http404 for what is missing and for what the actor may not see
(receptionists: Patient, Appointment and the booking resources only). Staff reads of clinical
data are audited by `access_patient`, like the record page.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.http import Http404

from backcare.accounts.models import StaffMember
from backcare.care.access import access_patient, own_patient, staff_of
from backcare.care.models import AssessmentRecord, CheckIn, Patient, Plan, QuestionnaireResponse
from backcare.clinic.booking_data import rules_for
from backcare.clinic.models import (
    Appointment,
    AppointmentType,
    AvailabilityException,
    Clinic,
    Location,
    OpeningHours,
    TreatmentNote,
    WorkingHours,
)
from backcare.fhir import booking as fb
from backcare.fhir import record as fr
from backcare.fhir.codes import Resource
from backcare.fhir.questionnaires import questionnaire

CLINICAL = ("QuestionnaireResponse", "Observation", "CarePlan", "Procedure", "Flag")
INCLUDED = (
    "Organization",
    "Practitioner",
    "PractitionerRole",
    "Location",
    "Schedule",
    "Questionnaire",
)


@dataclass
class People:
    """The staff, places and clinics the record points at, so every reference resolves."""

    staff: dict[int, StaffMember] = field(default_factory=dict)
    locations: dict[int, Location] = field(default_factory=dict)
    clinics: dict[int, Clinic] = field(default_factory=dict)
    roles: set[tuple[int, int]] = field(default_factory=set)

    def add_staff(self, s: StaffMember | None) -> None:
        if s is not None:
            self.staff.setdefault(s.pk, s)


def author_ref(q: QuestionnaireResponse, people: People) -> Resource:
    staff = staff_of(q.recorded_by) if q.recorded_by_id else None
    if staff is not None:
        people.add_staff(staff)
        return fr.ref("Practitioner", staff.pk)
    return fr.ref("Patient", q.patient_id)


def _startback_from_checks(patient: Patient) -> list[Resource]:
    rows = (
        AssessmentRecord.objects.filter(patient=patient)
        .order_by("created_at")
        .values_list("pk", "answers__startback", "triage__startback", "created_at")
    )
    out = []
    for pk, answers, score, at in rows:
        if answers:
            record = AssessmentRecord(
                pk=pk,
                patient_id=patient.pk,
                created_at=at,
                answers={"startback": answers},
                triage={"startback": score},
            )
            found = fr.check_startback_response(record, patient.timezone)
            if found is not None:
                out.append(found)
    return out


def _clinical(patient: Patient, people: People) -> list[Resource]:
    tz = patient.timezone
    out: list[Resource] = []
    questionnaires = QuestionnaireResponse.objects.filter(patient=patient).select_related(
        "recorded_by__staff__user"
    )
    responses = _startback_from_checks(patient) + [
        fr.questionnaire_response(q, tz, author_ref(q, people))
        for q in questionnaires.order_by("taken_on", "pk")
    ]
    kinds = sorted({r["questionnaire"].rsplit(":", 1)[-1] for r in responses})
    out += [questionnaire(k) for k in kinds]
    out += responses
    days = CheckIn.objects.filter(patient=patient).order_by("date").values_list(*fr.DAY_COLUMNS)
    for row in days:
        out += fr.check_in_observations(fr.Day(*row), tz)
    notes = list(
        TreatmentNote.objects.filter(patient=patient, status=TreatmentNote.SIGNED)
        .select_related("author__user")
        .order_by("seen_on", "pk")
    )
    replaced = {n.amends_id for n in notes if n.amends_id}
    for note in notes:
        if note.pk in replaced:
            continue  # a signed amendment stands in its place
        people.add_staff(note.author)
        if note.pain_now is not None:
            out.append(fr.note_pain_observation(note))
        out += fr.procedures(note)
    plans = list(Plan.objects.filter(patient=patient).order_by("created_on", "pk"))
    out += [fr.care_plan(p) for p in plans]
    for plan in plans:
        if plan.is_active:
            answers = (
                AssessmentRecord.objects.filter(pk=plan.assessment_id)
                .values_list("answers", "created_at")
                .first()
            )
            if answers is not None:
                out += fr.warning_flags(plan, answers[0] or {}, answers[1])
    return out


def _appointments(patient: Patient, people: People) -> list[Appointment]:
    rows = list(
        Appointment.objects.filter(patient=patient)
        .select_related("location__clinic", "appointment_type", "practitioner__user")
        .order_by("start")
    )
    for a in rows:
        people.add_staff(a.practitioner)
        people.locations.setdefault(a.location_id, a.location)
        people.clinics.setdefault(a.location.clinic_id, a.location.clinic)
        people.roles.add((a.practitioner_id, a.location_id))
    return rows


def _booking(rows: list[Appointment], people: People, *, now: datetime) -> list[Resource]:
    out: list[Resource] = []
    staff_ids = list(people.staff)
    hours = list(WorkingHours.objects.filter(staff_id__in=staff_ids))
    leave = list(
        AvailabilityException.objects.filter(
            staff_id__in=staff_ids, kind=AvailabilityException.Kind.LEAVE
        )
    )
    opening: dict[int, list[OpeningHours]] = {}
    for h in OpeningHours.objects.filter(location_id__in=list(people.locations)):
        opening.setdefault(h.location_id, []).append(h)
    gives: dict[int, list[AppointmentType]] = {}
    through = AppointmentType.givers.through.objects.filter(
        staffmember_id__in=staff_ids, appointmenttype__is_active=True
    )
    for row in through.select_related("appointmenttype"):
        gives.setdefault(row.staffmember_id, []).append(row.appointmenttype)
    out += [fb.organization(c) for c in people.clinics.values()]
    out += [fb.practitioner(s) for s in people.staff.values()]
    out += [fb.location(loc, opening.get(pk, ())) for pk, loc in people.locations.items()]
    rules = {c: rules_for(c) for c in people.clinics}
    for staff_id, loc_id in sorted(people.roles):
        staff, loc = people.staff[staff_id], people.locations[loc_id]
        own_hours = [h for h in hours if h.staff_id == staff_id]
        out.append(
            fb.practitioner_role(
                staff, loc, own_hours, [e for e in leave if e.staff_id == staff_id]
            )
        )
        out.append(
            fb.schedule(
                staff,
                loc,
                gives.get(staff_id, []),
                now=now,
                rules=rules[loc.clinic_id],
                active=any(h.location_id == loc_id for h in own_hours),
            )
        )
    out += [fb.appointment_slot(a) for a in rows if a.status != Appointment.Status.CANCELLED]
    out += [fb.appointment(a) for a in rows]
    return out


def record_resources(patient: Patient, *, now: datetime, clinical: bool = True) -> list[Resource]:
    """Every resource of the record, the Patient first (`clinical=False`: what a receptionist
    may see: the Patient, their appointments and what those point at)."""
    patient = Patient.objects.select_related("clinic", "lead_physio__user").get(pk=patient.pk)
    people = People()
    if patient.clinic is not None:
        people.clinics[patient.clinic.pk] = patient.clinic
    people.add_staff(patient.lead_physio)
    found = _clinical(patient, people) if clinical else []
    rows = _appointments(patient, people)
    return [fr.patient_resource(patient), *_booking(rows, people, now=now), *found]


def bundle(resources: Iterable[Resource], *, base: str, now: datetime) -> Resource:
    """A searchset Bundle: the record's resources are matches, what they point at includes."""
    entries: list[Resource] = []
    for r in resources:
        mode = "include" if r["resourceType"] in INCLUDED else "match"
        entries.append(
            {
                "fullUrl": f"{base}/{r['resourceType']}/{r['id']}",
                "resource": {k: v for k, v in r.items() if v is not None},
                "search": {"mode": mode},
            }
        )
    return {
        "resourceType": "Bundle",
        "type": "searchset",
        "timestamp": now.isoformat(timespec="seconds"),
        "total": sum(1 for e in entries if e["search"]["mode"] == "match"),
        "entry": entries,
    }


def patient_bundle(actor: Any, patient_id: int, *, now: datetime, base: str) -> Resource:
    """The patient's `$everything` Bundle; 404 unless the actor may read their clinical record."""
    patient = access_patient(actor, patient_id, now=now)
    return bundle(record_resources(patient, now=now), base=base, now=now)


def own_bundle(actor: Any, *, now: datetime, base: str) -> Resource:
    patient = own_patient(actor)
    return patient_bundle(actor, patient.pk, now=now, base=base)


def missing() -> Http404:
    return Http404("no such resource")
