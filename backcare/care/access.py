"""The guards: every read and write of a patient's data goes through one of these, with the acting
login. "Missing" and "not yours" look the same to the caller: a 404.

Who may reach a patient's record (`access_patient`):
- the patient themself, through their own login;
- a physiotherapist of the patient's clinic (clinical data, read and write);
- a receptionist of the patient's clinic: names, contact details and appointments only
  (`clinical=False`); clinical data is a 404 for them;
- nobody else: another clinic's staff, another patient, an anonymous visitor.
Every clinical read by staff writes an audit row, so the patient can see who looked.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db import connection
from django.http import Http404

from backcare.care.models import Action, AssessmentRecord, AuditEvent, CheckIn, Patient, Plan
from backcare.care.resume import Resume, resume_columns, resume_of
from backcare.lib.rows import select_one


def staff_of(actor: Any) -> Any:
    """The actor's StaffMember, or None (read through the relation: `care` sits above it)."""
    if not getattr(actor, "is_authenticated", False):
        return None
    try:
        return actor.staff
    except AttributeError:  # Django's RelatedObjectDoesNotExist is one: a login with no staff role
        return None


def own_patient(actor: Any) -> Patient:
    """The logged-in person's own patient record (the `/me` pages)."""
    if not getattr(actor, "is_authenticated", False):
        raise Http404("no patient")
    patient = Patient.objects.filter(user_id=actor.pk).first()
    if patient is None:
        raise Http404("no patient")
    return patient


def me(request: Any) -> Patient:
    """The logged-in person's own record, as the middleware found it (one query a request)."""
    patient = getattr(request, "patient", None)
    return patient if patient is not None else own_patient(request.user)


def patient_for(request: Any, *, now: datetime) -> Patient | None:
    """The logged-in person's record, made now for a login that has none yet (an account made
    by hand, say); None for staff and visitors, who have no patient record of their own."""
    patient = getattr(request, "patient", None)
    user = request.user
    if patient is not None or not user.is_authenticated or staff_of(user) is not None:
        return patient
    from backcare.care.actions import do_sign_up

    patient = do_sign_up(user, timezone=user.timezone, now=now)
    request.patient = patient
    return patient


def access_patient(
    actor: Any,
    patient_id: int,
    *,
    write: bool = False,
    clinical: bool = True,
    now: datetime | None = None,
) -> Patient:
    """The patient record `patient_id`, if `actor` may reach it for this purpose; else 404.

    `clinical=False` asks only for who the patient is (name, contact, appointments): a
    receptionist may have that. A clinical read by staff is audited when `now` is given.
    """
    if not getattr(actor, "is_authenticated", False):
        raise Http404("no patient")
    patient = Patient.objects.filter(pk=patient_id).first()
    if patient is None:
        raise Http404("no patient")
    if patient.user_id is not None and patient.user_id == actor.pk:
        return patient
    staff = staff_of(actor)
    if staff is None or patient.clinic_id is None or staff.clinic_id != patient.clinic_id:
        raise Http404("no patient")
    if (clinical or write) and not staff.clinical:
        raise Http404("no patient")
    if clinical and not write and now is not None:
        AuditEvent.objects.create(
            actor=actor,
            patient=patient,
            action=Action.RECORD_VIEWED,
            object_type="Patient",
            object_id=patient.pk,
            details={"role": staff.role},
            at=now,
        )
    return patient


def access_active_plan(patient: Patient) -> Plan:
    """The patient's active plan (the patient found by a guard, or the login's own record).

    At most one plan is active (the one_active_plan_per_patient constraint), so the query asks
    for one row, without `first()`'s ORDER BY, in SQL made once per process (backcare.lib.rows):
    building the ORM's was two thirds of the query's cost on every page a patient opens, the
    check-in POST's among them."""
    plan = select_one(Plan, patient_id=patient.pk, is_active=True)
    if plan is None:
        raise Http404("no plan")
    return plan


def access_active_plan_to_check_in(patient: Patient, *, on: date) -> tuple[Plan, Resume]:
    """The patient's active plan, as access_active_plan reads it, and where a check-in on `on`
    carries on from (the newest snapshot before it; whether a physiotherapist changed the
    plan), in the same query: on PostgreSQL each of a check-in's round trips was about a tenth
    of its time."""
    q = connection.ops.quote_name
    snapshot, changed = resume_columns(f"{q(Plan._meta.db_table)}.{q('id')}")
    extra = (f"{snapshot} AS resume_state", f"{changed} AS resume_changed")
    plan = select_one(Plan, extra=extra, extra_params=(on,), patient_id=patient.pk, is_active=True)
    if plan is None:
        raise Http404("no plan")
    found, changed = plan.resume_state, plan.resume_changed  # type: ignore[attr-defined]
    return plan, resume_of(found, changed, before=on)


def access_assessment(
    actor: Any, assessment_id: int, *, session_ids: list[int]
) -> AssessmentRecord:
    """An assessment of the actor's own, or one made in this browser session before signing up.
    The result page is the patient's own (its form starts their plan); clinicians read a
    patient's checks on the clinic's record page, through `access_patient`."""
    record = AssessmentRecord.objects.filter(pk=assessment_id).first()
    if record is None:
        raise Http404("no assessment")
    if record.patient_id is None:
        if assessment_id in session_ids:
            return record
        raise Http404("no assessment")
    if record.patient.user_id is None or record.patient.user_id != actor.pk:
        raise Http404("no assessment")
    return record


def access_check_in(patient: Patient, check_in_id: int) -> CheckIn:
    check_in = CheckIn.objects.filter(pk=check_in_id, patient=patient).first()
    if check_in is None:
        raise Http404("no check-in")
    return check_in
