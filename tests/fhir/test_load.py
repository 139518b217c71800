"""The demo patient's Bundle passes both validations, and loading it back finds the same pain
scores, exercises and appointments as the database holds."""

from __future__ import annotations

from datetime import UTC

import pydantic_core
import pytest
from django.core.management import call_command
from django.utils import timezone

from backcare.accounts.models import User
from backcare.care.models import CheckIn, Plan
from backcare.clinic.models import Appointment
from backcare.fhir.booking import role_id
from backcare.fhir.checks import check_bundle
from backcare.fhir.export import own_bundle, patient_bundle
from backcare.fhir.load import load_bundle

pytestmark = [pytest.mark.django_db, pytest.mark.db]
BASE = "http://testserver/api/v1/fhir"


def test_the_demo_patients_bundle_loads_back_to_what_the_database_holds() -> None:
    call_command("seed_demo")
    demo = User.objects.get(username="demo")
    now = timezone.now()
    b = own_bundle(demo, now=now, base=BASE)
    assert check_bundle(b) == []
    loaded = load_bundle(pydantic_core.to_json(b))  # as the API sends it, parsed by fhir.resources
    patient = demo.patient
    assert loaded.patient_id == str(patient.pk)
    assert [(p.on, p.score) for p in loaded.pain] == list(
        CheckIn.objects.filter(patient=patient).order_by("date").values_list("date", "pain_now")
    )
    plan = Plan.objects.get(patient=patient, is_active=True)
    assert [(e.exercise, e.sets, e.times_per_day) for e in loaded.exercises] == [
        (p["exercise"], p["dose"]["sets"], p["dose"]["times_per_day"])
        for p in plan.state["prescriptions"]
    ]
    appointments = Appointment.objects.filter(patient=patient).order_by("start")
    assert appointments.exists()  # the demo books its patients, Demo among them
    assert [
        (
            v.id,
            v.start.astimezone(UTC),
            v.end.astimezone(UTC),
            v.location_id,
            v.practitioner_role_id,
        )
        for v in loaded.appointments
    ] == [
        (str(a.pk), a.start, a.end, str(a.location_id), role_id(a.practitioner_id, a.location_id))
        for a in appointments
    ]
    assert [q.kind for q in loaded.questionnaires] == ["startback"]


def test_the_demo_physiotherapist_reads_the_same_bundle_the_patient_does() -> None:
    call_command("seed_demo")
    demo = User.objects.get(username="demo")
    physio = User.objects.get(username="physio")
    now = timezone.now()
    mine = own_bundle(demo, now=now, base=BASE)
    theirs = patient_bundle(physio, demo.patient.pk, now=now, base=BASE)
    assert mine == theirs
