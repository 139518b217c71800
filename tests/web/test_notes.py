"""Treatment notes: draft, sign, amend (the original kept); out-of-range treatments refused with
the field named and nothing saved; only the patient's clinic's physiotherapists reach them."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from backcare.care.models import AuditEvent
from backcare.clinic.models import TreatmentNote
from tests.web.people import Clinic, clinic_for, logged_in, person, staff_client

pytestmark = pytest.mark.django_db

TENS = {
    "t0.kind": "tens",
    "t0.mode": "conventional",
    "t0.frequency_hz": "100",
    "t0.pulse_width_us": "200",
    "t0.minutes": "20",
    "t0.intensity": "strong_but_comfortable",
    "t0.electrode_sites": "L4/5 paraspinals",
    "t0.device": "Unit 2",
}
MOB = {
    "t1.kind": "mobilisation",
    "t1.technique": "central_pa",
    "t1.level": "L4/5",
    "t1.grade": "III",
    "t1.sets": "3",
    "t1.seconds_per_set": "30",
}


def soap(**extra: Any) -> dict[str, Any]:
    return {
        "seen_on": "2026-12-01",
        "pain_now": "6",
        "subjective": "Locked up lifting a box on Monday.",
        "range_of_movement": "Flexion to knees, painful.",
        "tests": "SLR negative both sides.",
        "outcome_measures": "ODI 32%",
        "assessment": "Acute non-specific low back pain, moderately irritable.",
        "plan": "Walking, review in a week.",
        "save": "1",
        **TENS,
        **MOB,
        **extra,
    }


@pytest.fixture
def setup() -> tuple[Any, Clinic]:
    maya, _ = person("maya", onset_days=4, pain_now=4)
    return maya.patient, clinic_for(maya)


def new_url(patient: Any) -> str:
    return reverse("clinic_new_note", args=[patient.pk])


def test_draft_sign_amend_keeps_the_original(setup: tuple[Any, Clinic]) -> None:
    patient, c = setup
    priya = staff_client(c.priya)
    assert priya.get(new_url(patient)).status_code == 200
    response = priya.post(new_url(patient), soap())
    assert response.status_code == 302, response.content.decode()[:3000]
    note = TreatmentNote.objects.get()
    assert note.status == "draft" and [t["kind"] for t in note.treatments] == [
        "tens",
        "mobilisation",
    ]
    page = priya.get(response["Location"]).content.decode()
    assert "TENS, conventional 100 Hz 200 us" in page and "Mobilisation L4/5, grade III" in page
    assert "NICE NG59" in page
    sign = reverse("clinic_sign_note", args=[patient.pk, note.pk])
    assert priya.post(sign).status_code == 302
    note.refresh_from_db()
    assert note.signed and note.signed_by == c.priya.staff and note.signed_at
    # A signed note is never edited.
    edit = priya.post(reverse("clinic_note", args=[patient.pk, note.pk]), soap(plan="changed"))
    assert edit.status_code == 409
    note.refresh_from_db()
    assert note.plan == "Walking, review in a week."
    amend = reverse("clinic_amend_note", args=[patient.pk, note.pk])
    form = priya.get(amend).content.decode()
    assert "Walking, review in a week." in form  # prefilled
    assert priya.post(amend, soap(plan="Walking daily.")).status_code == 400  # reason needed
    response = priya.post(amend, soap(plan="Walking daily.", amendment_reason="Dose of walking"))
    assert response.status_code == 302
    amendment = TreatmentNote.objects.exclude(pk=note.pk).get()
    assert amendment.amends == note and amendment.status == "draft"
    priya.post(reverse("clinic_sign_note", args=[patient.pk, amendment.pk]))
    note.refresh_from_db()
    assert note.plan == "Walking, review in a week." and note.signed
    original = priya.get(reverse("clinic_note", args=[patient.pk, note.pk])).content.decode()
    assert "This note was amended" in original and "Walking daily." in original
    record = priya.get(reverse("clinic_patient", args=[patient.pk])).content.decode()
    assert "Treatment notes" in record and "Write a note" in record and "amendment" in record
    actions = list(
        AuditEvent.objects.filter(object_type="TreatmentNote").values_list("action", flat=True)
    )
    assert actions == ["note.saved", "note.signed", "note.amended", "note.signed"]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"t0.frequency_hz": "300"}, "TENS: frequency (Hz): must be from 80 to 150 Hz"),
        ({"t0.pulse_width_us": "abc"}, "pulse width (microseconds): must be a number"),
        ({"t1.grade": "VI"}, "Maitland grade (V = manipulation): must be one of I, II, III, IV, V"),
        ({"t1.level": "L9"}, "spinal level (e.g. L4/5): must be a spinal level"),
        ({"t0.minutes": ""}, "TENS: minutes: is required"),
        ({"seen_on": "2027-01-05"}, "seen_on: must not be after today"),
        ({"pain_now": "11"}, "pain_now: must be a whole number from 0 to 10"),
    ],
)
def test_out_of_range_is_refused_naming_the_field_and_nothing_saved(
    setup: tuple[Any, Clinic], change: dict[str, str], expected: str
) -> None:
    patient, c = setup
    response = staff_client(c.priya).post(new_url(patient), soap(**change))
    assert response.status_code == 400
    assert expected in response.content.decode()
    assert not TreatmentNote.objects.exists()
    assert not AuditEvent.objects.filter(object_type="TreatmentNote").exists()


def test_adding_a_treatment_row_without_javascript_saves_nothing(
    setup: tuple[Any, Clinic],
) -> None:
    patient, c = setup
    response = staff_client(c.priya).post(
        new_url(patient),
        {
            "seen_on": "2026-12-01",
            "subjective": "kept",
            "add": "1",
            "add_kind": "heat_cold",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200 and 'name="t0.kind" value="heat_cold"' in html
    assert "kept" in html and not TreatmentNote.objects.exists()


def test_nobody_else_reaches_the_notes(setup: tuple[Any, Clinic]) -> None:
    patient, c = setup
    priya = staff_client(c.priya)
    priya.post(new_url(patient), soap())
    note = TreatmentNote.objects.get()
    urls = [
        new_url(patient),
        reverse("clinic_note", args=[patient.pk, note.pk]),
        reverse("clinic_amend_note", args=[patient.pk, note.pk]),
    ]
    sam, _ = person("sam", onset_days=3, pain_now=3)
    for client in (staff_client(c.rob), staff_client(c.otto), logged_in(patient.user),
                   logged_in(sam)):  # fmt: skip
        for url in urls:
            assert client.get(url).status_code in (403, 404), url
            assert client.post(url, soap()).status_code in (403, 404), url
        sign = reverse("clinic_sign_note", args=[patient.pk, note.pk])
        assert client.post(sign).status_code in (403, 404)
    # A note of another patient's id is a 404, even for Priya.
    sam_id = sam.patient.pk
    assert priya.get(reverse("clinic_note", args=[sam_id, note.pk])).status_code == 404
    note.refresh_from_db()
    assert note.status == "draft" and TreatmentNote.objects.count() == 1


def test_only_the_author_signs_a_draft(setup: tuple[Any, Clinic]) -> None:
    from tests.web.people import staff_member

    patient, c = setup
    staff_client(c.priya).post(new_url(patient), soap())
    note = TreatmentNote.objects.get()
    other = staff_client(staff_member("quinn", c.clinic, "physio"))
    assert other.get(reverse("clinic_note", args=[patient.pk, note.pk])).status_code == 200
    response = other.post(reverse("clinic_sign_note", args=[patient.pk, note.pk]))
    assert response.status_code == 403
    note.refresh_from_db()
    assert note.status == "draft"


def test_a_note_started_from_a_visit_takes_its_day_and_why_they_booked() -> None:
    """From the record's appointments: the visit's day on the location's clock and the reason;
    someone else's appointment, one still to come, or nonsense leaves a plain new note."""
    from datetime import timedelta

    from django.utils import timezone

    from backcare.clinic.models import Appointment, AppointmentType
    from tests.web.people import clinic_for, signed_up, staff_client

    maya, sam = signed_up("maya"), signed_up("sam")
    c = clinic_for(maya, sam)
    kind = AppointmentType.objects.create(
        clinic=c.clinic, name="Follow-up", kind="follow_up", duration_minutes=30,
        buffer_minutes=0, price_cents=9000,
    )  # fmt: skip

    def visit(user, start):
        return Appointment.objects.create(
            clinic=c.clinic, patient=user.patient, practitioner=c.priya.staff,
            location=c.location, appointment_type=kind, start=start,
            end=start + timedelta(minutes=30), blocked_until=start + timedelta(minutes=30),
            reason="Pain down the left leg", booked_at=start - timedelta(days=3),
        )  # fmt: skip

    now = timezone.now()
    past = visit(maya, now - timedelta(hours=2))
    future = visit(maya, now + timedelta(days=2))
    theirs = visit(sam, now - timedelta(hours=3))
    client = staff_client(c.priya)
    url = f"/clinic/patients/{maya.patient.pk}/notes/new/"
    record = client.get(f"/clinic/patients/{maya.patient.pk}/").content.decode()
    assert f"{url}?appointment={past.pk}" in record
    assert f"?appointment={future.pk}" not in record
    page = client.get(f"{url}?appointment={past.pk}").content.decode()
    day = past.start.astimezone(ZoneInfo("Australia/Melbourne")).date().isoformat()
    assert f'value="{day}"' in page and "Booked for: Pain down the left leg" in page
    for other in (future.pk, theirs.pk, "x", "²"):
        page = client.get(f"{url}?appointment={other}").content.decode()
        assert "Booked for:" not in page
