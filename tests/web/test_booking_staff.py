"""Staff book for a patient at /clinic/patients/<id>/book/: receptionist and physiotherapist of
the patient's clinic may; the free slots are the patient flow's own; a taken slot is a 409."""

from __future__ import annotations

import re
from datetime import UTC

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from backcare.care.models import Action, AuditEvent, Patient
from backcare.clinic.booking_actions import do_book
from backcare.clinic.models import Appointment, Clinic, Location
from tests.web.booking_people import NOW, booking_clinic, melbourne
from tests.web.people import logged_in, signed_up, staff_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def b():
    with time_machine.travel(NOW, tick=False):
        yield booking_clinic()


def _url(patient):
    return reverse("clinic_book_for_patient", args=[patient.pk])


def _form(b, start, practitioner=None):
    return {
        "location": b.c.location.pk,
        "type": b.follow_up.pk,
        "practitioner": practitioner.staff.pk if practitioner else "any",
        "start": start.isoformat(),
        "reason": "Called: stiff after gardening",
    }


def _utc(moment) -> str:
    return moment.astimezone(UTC).isoformat()


def _starts(html: str) -> list[str]:
    return re.findall(r'name="start" value="([^"]+)"', html)


def test_the_receptionist_books_for_a_patient_step_by_step(b):
    rob = staff_client(b.c.rob)
    maya = b.maya.patient
    with time_machine.travel(NOW, tick=False):
        contact = rob.get(reverse("clinic_patient", args=[maya.pk])).content.decode()
        assert f'href="{_url(maya)}"' in contact and "Book an appointment" in contact
        where = rob.get(_url(maya)).content.decode()
        assert f"?location={b.c.location.pk}" in where and "(their usual location)" in where
        what = rob.get(_url(maya), {"location": b.c.location.pk}).content.decode()
        assert "Follow-up" in what and "$85" in what
        times = rob.get(
            _url(maya), {"location": b.c.location.pk, "type": b.follow_up.pk, "day": "2026-12-03"}
        ).content.decode()
        assert "Australia/Melbourne" in times and "09:00 AEDT" in times
        start = melbourne(2026, 12, 3, 9)
        assert _utc(start) in _starts(times)
        done = rob.post(_url(maya), _form(b, start, b.c.priya))
    assert done.status_code == 302 and done["Location"] == reverse("clinic_patient", args=[maya.pk])
    a = Appointment.objects.get()
    assert a.patient == maya and a.practitioner == b.c.priya.staff and a.start == start
    assert a.booked_by == b.c.rob and a.reason == "Called: stiff after gardening"
    assert AuditEvent.objects.filter(action=Action.APPOINTMENT_BOOKED, actor=b.c.rob).exists()


def test_the_slots_are_the_patient_flows_own(b):
    query = {"location": b.c.location.pk, "type": b.follow_up.pk, "day": "2026-12-04"}
    with time_machine.travel(NOW, tick=False):
        do_book(
            b.sam,
            patient=b.sam.patient,
            practitioner=b.c.priya.staff,
            location=b.c.location,
            appointment_type=b.follow_up,
            start=melbourne(2026, 12, 4, 10),
            now=NOW,
        )
        for who in ("any", str(b.c.priya.staff.pk)):
            q = {**query, "practitioner": who}
            staff = _starts(staff_client(b.c.priya).get(_url(b.maya.patient), q).content.decode())
            mine = _starts(logged_in(b.maya).get(reverse("book"), q).content.decode())
            assert staff and staff == mine
    assert _utc(melbourne(2026, 12, 4, 9, 30)) in staff
    assert _utc(melbourne(2026, 12, 4, 10)) not in staff  # Priya is busy then


def test_a_slot_just_taken_is_a_409_and_nothing_is_booked(b):
    start = melbourne(2026, 12, 3, 11)
    with time_machine.travel(NOW, tick=False):
        do_book(
            b.sam,
            patient=b.sam.patient,
            practitioner=b.c.priya.staff,
            location=b.c.location,
            appointment_type=b.follow_up,
            start=start,
            now=NOW,
        )
        page = staff_client(b.c.rob).post(_url(b.maya.patient), _form(b, start, b.c.priya))
    assert page.status_code == 409
    assert "just taken" in page.content.decode()
    assert _url(b.maya.patient) in page.content.decode()  # back to choosing, not /book/
    assert not Appointment.objects.filter(patient=b.maya.patient).exists()


def test_anyone_takes_whoever_is_free(b):
    start = melbourne(2026, 12, 3, 11)
    with time_machine.travel(NOW, tick=False):
        do_book(
            b.sam,
            patient=b.sam.patient,
            practitioner=b.c.priya.staff,
            location=b.c.location,
            appointment_type=b.follow_up,
            start=start,
            now=NOW,
        )
        done = staff_client(b.c.rob).post(_url(b.maya.patient), _form(b, start))
    assert done.status_code == 302
    assert Appointment.objects.get(patient=b.maya.patient).practitioner == b.paul.staff


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"start": "2026-12-03T09:00"}, "start"),
        ({"start": "soon"}, "start"),
        ({"location": "²"}, "location"),
        ({"type": ""}, "appointment_type"),
        ({"practitioner": "x"}, "practitioner"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(b, change, field):
    form = {**_form(b, melbourne(2026, 12, 3, 9), b.c.priya), **change}
    with time_machine.travel(NOW, tick=False):
        page = staff_client(b.c.rob).post(_url(b.maya.patient), form)
    assert page.status_code == 400
    assert f"{field}:" in page.content.decode()
    assert not Appointment.objects.exists()


def test_rules_are_the_domains(b):
    """Off the grid, and inside the minimum notice: refused with the reason, nothing saved."""
    with time_machine.travel(NOW, tick=False):
        rob = staff_client(b.c.rob)
        off = rob.post(_url(b.maya.patient), _form(b, melbourne(2026, 12, 3, 9, 7), b.c.priya))
        soon = rob.post(_url(b.maya.patient), _form(b, melbourne(2026, 12, 1, 23), b.c.priya))
    assert off.status_code == 400 and soon.status_code == 400
    assert not Appointment.objects.exists()


def test_another_clinics_location_is_refused(b):
    elsewhere = Clinic.objects.create(name="Far Physio")
    far = Location.objects.create(clinic=elsewhere, name="Far", timezone="Australia/Perth")
    form = {**_form(b, melbourne(2026, 12, 3, 9), b.c.priya), "location": far.pk}
    with time_machine.travel(NOW, tick=False):
        page = staff_client(b.c.priya).post(_url(b.maya.patient), form)
    assert page.status_code == 400 and "location:" in page.content.decode()


def test_who_reaches_the_page(b):
    maya = b.maya.patient
    stranger = signed_up("zed")
    Patient.objects.filter(pk=stranger.patient.pk).update(clinic=None)
    form = _form(b, melbourne(2026, 12, 3, 9), b.c.priya)
    with time_machine.travel(NOW, tick=False):
        anonymous = Client().get(_url(maya))
        assert anonymous.status_code == 302 and "/account/login/" in anonymous["Location"]
        assert "/account/login/" in Client().post(_url(maya), form)["Location"]
        assert staff_client(b.c.otto).get(_url(maya)).status_code == 404  # another clinic
        assert staff_client(b.c.otto).post(_url(maya), form).status_code == 404
        assert logged_in(b.maya).get(_url(maya)).status_code == 404  # patients: no clinic side
        assert logged_in(b.sam).post(_url(maya), form).status_code == 404
        assert staff_client(b.c.rob).get(_url(stranger.patient)).status_code == 404
        assert staff_client(b.c.rob).get(_url(maya)).status_code == 200
        assert staff_client(b.c.priya).get(_url(maya)).status_code == 200
        assert staff_client(b.c.rob).get("/clinic/patients/999999/book/").status_code == 404
    assert not Appointment.objects.exists()


def test_the_record_links_to_booking(b):
    with time_machine.travel(NOW, tick=False):
        record = staff_client(b.c.priya).get(reverse("clinic_patient", args=[b.maya.patient.pk]))
    assert f'href="{_url(b.maya.patient)}"' in record.content.decode()


def test_hostile_values_in_every_field_are_never_a_server_error(b):
    from tests.web.test_hostile_queries import HOSTILE

    fields = ["location", "type", "practitioner", "start", "reason", "day"]
    good = _form(b, melbourne(2026, 12, 3, 9), b.c.priya)
    with time_machine.travel(NOW, tick=False):
        rob = staff_client(b.c.rob)
        for value in HOSTILE:
            for field in fields:
                assert rob.post(_url(b.maya.patient), {**good, field: value}).status_code < 500
                query = {"location": b.c.location.pk, "type": b.follow_up.pk, field: value}
                assert rob.get(_url(b.maya.patient), query).status_code < 500


def test_the_record_shows_each_appointment_on_its_locations_clock_named(b):
    a = do_book(
        b.maya,
        patient=b.maya.patient,
        practitioner=b.c.priya.staff,
        location=b.c.location,
        appointment_type=b.follow_up,
        start=melbourne(2026, 12, 3, 9),
        now=NOW,
    )
    with time_machine.travel(NOW, tick=False):
        record = staff_client(b.c.priya).get(reverse("clinic_patient", args=[b.maya.patient.pk]))
    assert a.start.tzinfo is not None and "Thu 3 Dec 2026, 09:00 AEDT" in record.content.decode()
