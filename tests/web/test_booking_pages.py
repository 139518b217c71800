"""Booking's pages: who may use each, the flow from a result to a booked appointment, bad input
named, a taken slot a 409."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from backcare.clinic.booking_actions import do_book
from backcare.clinic.models import Appointment
from tests.web.booking_people import NOW, booking_clinic, melbourne
from tests.web.people import logged_in, signed_up, staff_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def b():
    with time_machine.travel(NOW, tick=False):
        yield booking_clinic()


def _book(b, start=None, patient=None):
    p = patient or b.maya
    return do_book(
        p,
        patient=p.patient,
        practitioner=b.c.priya.staff,
        location=b.c.location,
        appointment_type=b.initial,
        start=start or melbourne(2026, 12, 3, 10),
        now=NOW,
        reason="Re-check due",
    )


def test_locations_are_public_and_searchable(b):
    page = Client().get(reverse("locations"), {"q": "3008"})
    assert page.status_code == 200 and b"Quay" in page.content
    assert b"Quay" not in Client().get(reverse("locations"), {"q": "Perth"}).content
    one = Client().get(reverse("location", args=[b.c.location.slug]))
    assert b'href="tel:+61390000000"' in one.content and b"Australia/Melbourne" in one.content
    assert b"AEDT" in one.content
    assert Client().get(reverse("location", args=["nowhere"])).status_code == 404


def test_the_flow_shows_slots_in_the_locations_zone_and_books(b):
    maya = logged_in(b.maya)
    with time_machine.travel(NOW, tick=False):
        page = maya.get(
            reverse("book"),
            {"location": b.c.location.pk, "type": b.initial.pk, "reason": "See a physiotherapist"},
        )
        assert page.status_code == 200
        assert b"Australia/Melbourne" in page.content and b"09:00 AEDT" in page.content
        start = melbourne(2026, 12, 3, 9).isoformat()
        done = maya.post(
            reverse("book"),
            {
                "location": b.c.location.pk,
                "type": b.initial.pk,
                "practitioner": "any",
                "start": start,
                "reason": "See a physiotherapist",
            },
        )
    assert done.status_code == 302
    a = Appointment.objects.get()
    assert a.reason == "See a physiotherapist" and a.start == melbourne(2026, 12, 3, 9)
    with time_machine.travel(NOW, tick=False):
        mine = maya.get(reverse("appointments"))
        assert b"Initial assessment" in mine.content and b"AEDT" in mine.content
        again = logged_in(b.sam).post(
            reverse("book"),
            {
                "location": b.c.location.pk,
                "type": b.initial.pk,
                "practitioner": b.c.priya.staff.pk,
                "start": start,
            },
        )
    assert again.status_code == 409 and b"just taken" in again.content
    assert b"next free times" in again.content


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("start", "tomorrow", b"start"),
        ("start", "2026-12-03T09:00:00", b"start"),
        ("location", "x", b"location"),
        ("practitioner", "-3", b"practitioner"),
    ],
)
def test_bad_input_names_the_field(b, field, value, words):
    data = {
        "location": b.c.location.pk,
        "type": b.initial.pk,
        "practitioner": "any",
        "start": melbourne(2026, 12, 3, 9).isoformat(),
        field: value,
    }
    with time_machine.travel(NOW, tick=False):
        page = logged_in(b.maya).post(reverse("book"), data)
    assert page.status_code == 400 and words in page.content
    assert not Appointment.objects.exists()


def test_anonymous_visitors_see_times_and_log_in_with_their_choice_kept(b):
    with time_machine.travel(NOW, tick=False):
        page = Client().get(reverse("book"), {"location": b.c.location.pk, "type": b.initial.pk})
    assert b"Log in to book" in page.content and b"next=" in page.content
    post = Client().post(reverse("book"), {"location": b.c.location.pk})
    assert post.status_code == 302 and reverse("login") in post["Location"]
    assert Client().get(reverse("appointments")).status_code == 302


def test_a_patients_appointment_is_theirs_alone(b):
    a = _book(b)
    url = reverse("appointment", args=[a.pk])
    with time_machine.travel(NOW, tick=False):
        assert logged_in(b.maya).get(url).status_code == 200
        assert logged_in(b.sam).get(url).status_code == 404
        assert logged_in(b.sam).post(url, {"action": "cancel"}).status_code == 404
        assert logged_in(signed_up("eve")).get(reverse("appointments")).status_code == 200
    assert Appointment.objects.get().status == "booked"


def test_the_patient_moves_and_cancels_until_the_cut_off_then_is_told_to_call(b):
    a = _book(b)
    url = reverse("appointment", args=[a.pk])
    maya = logged_in(b.maya)
    with time_machine.travel(NOW, tick=False):
        moved = maya.post(url, {"action": "move", "start": melbourne(2026, 12, 4, 9).isoformat()})
        assert moved.status_code == 302
        bad = maya.post(url, {"action": "move", "start": "soon"})
        assert bad.status_code == 400 and b"start" in bad.content
    a.refresh_from_db()
    assert a.start == melbourne(2026, 12, 4, 9)
    with time_machine.travel(a.start - timedelta(hours=2), tick=False):
        page = maya.get(url)
        assert b'href="tel:+61390000000"' in page.content and b"Cancel this" not in page.content
        refused = maya.post(url, {"action": "cancel"})
        assert refused.status_code == 400 and b"call Quay" in refused.content
    with time_machine.travel(NOW, tick=False):
        assert maya.post(url, {"action": "cancel"}).status_code == 302
    a.refresh_from_db()
    assert a.status == "cancelled"


def test_the_day_view_is_for_the_clinics_staff(b):
    a = _book(b)
    url = reverse("clinic_day") + "?day=2026-12-03"
    assert Client().get(url).status_code == 302
    assert logged_in(b.maya).get(url).status_code == 404
    assert staff_client(b.c.otto).get(url).status_code == 200  # their own clinic's: empty
    assert b"Maya" not in staff_client(b.c.otto).get(url).content.replace(b"maya", b"")
    for who in (b.c.priya, b.c.rob):
        page = staff_client(who).get(url)
        assert page.status_code == 200, page.content[:300]
        assert b"Re-check due" in page.content, page.content.decode()[-3000:]
        assert b"10:00" in page.content
    action = reverse("clinic_appointment_action", args=[a.pk])
    assert staff_client(b.c.otto).post(action, {"action": "cancel"}).status_code == 404
    assert logged_in(b.maya).post(action, {"action": "cancel"}).status_code == 404
    with time_machine.travel(NOW, tick=False):
        early = staff_client(b.c.rob).post(action, {"action": "attended"})
        assert early.status_code == 400 and b"not started" in early.content
        assert staff_client(b.c.rob).post(action, {"action": "bogus"}).status_code == 400
        assert staff_client(b.c.rob).post(action, {"action": "cancel"}).status_code == 302
    a.refresh_from_db()
    assert a.status == "cancelled"


def test_a_see_a_doctor_result_links_to_booking_and_an_emergency_never_does():
    from backcare.care.actions import do_save_assessment
    from backcare.domain.assessment import Assessment
    from tests.domain.people import answers

    user = signed_up("ria")
    client = logged_in(user)
    for overrides, shown in (
        ({"pain_radiates_below_knee": True}, None),
        ({"saddle_anaesthesia": True}, False),
    ):
        record = do_save_assessment(
            user, user.patient, Assessment.model_validate(answers(**overrides)), now=NOW
        )
        page = client.get(reverse("result", args=[record.pk]))
        has = b'href="/book/?reason=' in page.content
        if record.level == "see_doctor":
            assert has
        elif record.level in ("emergency", "urgent"):
            assert not has
        if shown is False:
            assert record.level in ("emergency", "urgent")


def test_a_booking_post_costs_a_fixed_handful_of_queries(b, django_assert_max_num_queries):
    """The booking POST's statements, counted so that a change cannot quietly add one (the
    booking benchmark's rate is set by them): session, login, location with the clinic's rules,
    type, practitioner, the type's givers, hours with breaks, leave, opening hours; then in the
    transaction the bookings near, the appointment, its audit row, its two messages, their two
    tasks and the clinic's webhooks: 16, and the test's savepoint in and out. PostgreSQL also
    takes the practitioner's and the patient's rows first (two FOR UPDATE selects)."""
    from django.db import connection

    maya = logged_in(b.maya)
    form = {
        "location": b.c.location.pk,
        "type": b.initial.pk,
        "practitioner": b.c.priya.staff.pk,
        "start": melbourne(2026, 12, 3, 9).isoformat(),
    }
    with (
        time_machine.travel(NOW, tick=False),
        django_assert_max_num_queries(18 + (2 if connection.vendor == "postgresql" else 0)),
    ):
        done = maya.post(reverse("book"), form)
    assert done.status_code == 302 and Appointment.objects.count() == 1
