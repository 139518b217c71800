"""The patient's Bundle: complete, valid, read through the guard, and cheap for a long record."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from fhir.resources.R4B import get_fhir_model_class
from fhir.resources.R4B.bundle import Bundle

from backcare.care.models import Action, AuditEvent, CheckIn
from backcare.clinic.models import TreatmentNote
from backcare.fhir.checks import check_bundle
from backcare.fhir.export import patient_bundle
from backcare.fhir.reads import read_resource
from tests.fhir.samples import TYPES
from tests.fhir.world import World, world

pytestmark = [pytest.mark.django_db, pytest.mark.db]
BASE = "https://clinic.example/api/v1/fhir"


@pytest.fixture
def w() -> World:
    return world()


def resources(b: dict, kind: str) -> list[dict]:
    return [e["resource"] for e in b["entry"] if e["resource"]["resourceType"] == kind]


def test_the_record_bundle_holds_every_type_and_passes_both_validations(w: World) -> None:
    b = patient_bundle(w.c.priya, w.patient.pk, now=w.now, base=BASE)
    assert {e["resource"]["resourceType"] for e in b["entry"]} == TYPES
    assert check_bundle(b) == []
    Bundle.model_validate(b)
    assert b["entry"][0]["fullUrl"] == f"{BASE}/Patient/{w.patient.pk}"


def test_each_resource_of_the_bundle_reads_the_same_on_its_own(w: World) -> None:
    b = patient_bundle(w.c.priya, w.patient.pk, now=w.now, base=BASE)
    for e in b["entry"]:
        r = e["resource"]
        alone = read_resource(w.c.priya, r["resourceType"], r["id"], now=w.now)
        assert alone == r, (r["resourceType"], r["id"])
        get_fhir_model_class(r["resourceType"]).model_validate(alone)


def test_the_bundle_holds_the_records_data(w: World) -> None:
    b = patient_bundle(w.c.priya, w.patient.pk, now=w.now, base=BASE)
    pains = {
        o["effectiveDateTime"]: o["valueInteger"]
        for o in resources(b, "Observation")
        if o["id"].startswith("pain-")
    }
    rows = CheckIn.objects.filter(patient=w.patient)
    assert pains == {c.date.isoformat(): c.pain_now for c in rows}
    assert {a["status"] for a in resources(b, "Appointment")} == {"booked", "cancelled"}
    assert [s["id"] for s in resources(b, "Slot")] == [f"appt-{w.booked.pk}"]
    flags = resources(b, "Flag")
    assert [f["code"]["coding"][0]["code"] for f in flags] == ["fever"]
    plan = resources(b, "CarePlan")[-1]
    assert plan["status"] == "on-hold"  # the warning sign stopped the programme
    assert {
        r["questionnaire"].rsplit(":", 1)[1] for r in resources(b, "QuestionnaireResponse")
    } == {
        "startback",
        "odi",
        "psfs",
        "nprs",
    }


def test_only_the_signed_amendment_of_a_note_gives_procedures(w: World) -> None:
    amendment = TreatmentNote.objects.get(patient=w.patient, amends__isnull=False)
    b = patient_bundle(w.c.priya, w.patient.pk, now=w.now, base=BASE)
    procedures = resources(b, "Procedure")
    assert [p["id"] for p in procedures] == [f"{amendment.pk}-{i}" for i in range(3)]
    assert [p["code"]["coding"][0]["code"] for p in procedures] == [
        "tens",
        "mobilisation",
        "exercises_taught",
    ]
    assert procedures[1]["bodySite"] == [{"text": "L5/S1"}]


def test_a_staff_read_is_audited_like_the_record_page(w: World) -> None:
    before = AuditEvent.objects.filter(actor=w.c.priya, action=Action.RECORD_VIEWED).count()
    patient_bundle(w.c.priya, w.patient.pk, now=w.now, base=BASE)
    after = AuditEvent.objects.filter(actor=w.c.priya, action=Action.RECORD_VIEWED).count()
    assert after == before + 1


def test_the_number_of_queries_does_not_grow_with_the_check_ins(w: World) -> None:
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            patient_bundle(w.c.priya, w.patient.pk, now=w.now, base=BASE)
        return len(queries)

    first = count()
    last = CheckIn.objects.filter(patient=w.patient).order_by("date").last()
    for n in range(1, 31):
        CheckIn.objects.create(
            patient=w.patient,
            date=last.date + timedelta(days=n),
            pain_now=2,
            spasm_episodes=0,
            exercises_done=[],
            created_at=w.now,
        )
    assert count() == first
    assert first <= 20
