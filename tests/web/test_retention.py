"""Records and erasure: a patient with signed notes deletes their account; the clinic keeps the
notes (Victoria's Health Records Act) with only what identifies them; drafts and self-care go."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from backcare.accounts.models import User
from backcare.care.models import AssessmentRecord, CheckIn, Patient, Plan
from backcare.clinic.models import TreatmentNote
from backcare.clinic.retention import keep_until
from tests.web.people import PASSWORD, clinic_for, logged_in, person

pytestmark = pytest.mark.django_db


def note(patient: Any, staff: Any, seen_on: date, status: str = "signed") -> TreatmentNote:
    now = timezone.now()
    return TreatmentNote.objects.create(
        patient=patient, author=staff, author_name="Priya", seen_on=seen_on, status=status,
        signed_at=now if status == "signed" else None, signed_by=staff if status == "signed"
        else None, signed_by_name="Priya", assessment="Acute LBP", created_at=now, updated_at=now,
    )  # fmt: skip


def test_keep_until_is_7_years_after_the_last_visit_or_25_for_a_child() -> None:
    maya, _ = person("maya")
    c = clinic_for(maya)
    patient = maya.patient
    assert keep_until(patient) is None
    note(patient, c.priya.staff, date(2026, 3, 1))
    note(patient, c.priya.staff, date(2026, 11, 30))
    note(patient, c.priya.staff, date(2026, 12, 1), status="draft")
    assert keep_until(patient) == date(2033, 11, 30)
    patient.date_of_birth = date(2012, 5, 4)  # 13 at the first visit: kept until 25
    assert keep_until(patient) == date(2037, 5, 4)
    patient.date_of_birth = date(1980, 5, 4)
    assert keep_until(patient) == date(2033, 11, 30)


def test_deleting_with_signed_notes_keeps_them_and_only_what_identifies_them() -> None:
    maya, _ = person("maya")
    c = clinic_for(maya)
    patient = maya.patient
    Patient.objects.filter(pk=patient.pk).update(
        name="Maya Z", date_of_birth=date(1990, 1, 2), phone="0400 000 000"
    )
    client = logged_in(maya)
    client.post(
        "/check-in/", {"pain_now": "3", "spasm_episodes": "1", "new_warning_signs": ["none"]}
    )
    signed = note(patient, c.priya.staff, date(2026, 11, 30))
    note(patient, c.priya.staff, date(2026, 12, 1), status="draft")

    page = client.get(reverse("delete_account")).content.decode()
    assert "What your clinic keeps" in page and "30 November 2033" in page
    assert "Harbour Physio" in page and "30 Nov 2026" in page

    client.post(reverse("delete_account"), {"password": PASSWORD})

    assert not User.objects.filter(username="maya").exists()
    kept = Patient.objects.get(pk=patient.pk)
    assert kept.erased_at is not None and kept.user_id is None
    assert (kept.name, kept.date_of_birth, kept.clinic_id) == (
        "Maya Z",
        date(1990, 1, 2),
        c.clinic.pk,
    )
    assert kept.email == "" and kept.phone == ""
    assert list(TreatmentNote.objects.values_list("pk", flat=True)) == [signed.pk]
    assert not CheckIn.objects.filter(patient=kept).exists()
    assert not Plan.objects.filter(patient=kept).exists()
    assert not AssessmentRecord.objects.filter(patient=kept).exists()


def test_deleting_without_signed_notes_removes_everything_drafts_too() -> None:
    maya, _ = person("maya")
    c = clinic_for(maya)
    patient = maya.patient
    note(patient, c.priya.staff, date(2026, 12, 1), status="draft")
    client = logged_in(maya)
    assert "What your clinic keeps" not in client.get(reverse("delete_account")).content.decode()
    client.post(reverse("delete_account"), {"password": PASSWORD})
    assert not Patient.objects.filter(pk=patient.pk).exists()
    assert not TreatmentNote.objects.exists()
