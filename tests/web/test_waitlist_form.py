"""The waitlist form on a patient's appointment: join with weekdays and time windows on the
location's clock, see the wish, change it, remove it; bad input a 400 naming the field, nothing
saved; nobody else reaches it."""

from __future__ import annotations

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from backcare.care.models import Action, AuditEvent
from backcare.clinic.booking_actions import do_book, do_cancel
from backcare.clinic.models import WaitlistEntry
from tests.web.booking_people import NOW, booking_clinic, melbourne, run_due_tasks
from tests.web.people import logged_in, staff_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def b():
    with time_machine.travel(NOW, tick=False):
        yield booking_clinic()


def _appointment(b, who=None, day=10, hour=10):
    p = who or b.maya
    return do_book(
        p,
        patient=p.patient,
        practitioner=b.c.priya.staff,
        location=b.c.location,
        appointment_type=b.follow_up,
        start=melbourne(2026, 12, day, hour),
        now=NOW,
    )


def _url(a):
    return reverse("appointment_waitlist", args=[a.pk])


def test_join_see_change_and_remove(b):
    a = _appointment(b)
    maya = logged_in(b.maya)
    with time_machine.travel(NOW, tick=False):
        assert (
            b"Tell me if an earlier time frees up"
            in maya.get(reverse("appointment", args=[a.pk])).content
        )
        form = maya.get(_url(a))
        assert form.status_code == 200 and b"Australia/Melbourne" in form.content
        done = maya.post(
            _url(a),
            {
                "weekday": ["monday", "friday"],
                "window_start": ["07:00", "17:00"],
                "window_end": ["09:00", "19:00"],
                "practitioner": str(b.c.priya.staff.pk),
            },
        )
        assert done.status_code == 302
        entry = WaitlistEntry.objects.get()
        assert entry.patient == b.maya.patient and entry.location == b.c.location
        assert entry.appointment_type == b.follow_up and entry.practitioner == b.c.priya.staff
        assert entry.weekdays == [0, 4] and entry.windows == [
            ["07:00", "09:00"],
            ["17:00", "19:00"],
        ]
        assert str(entry.latest) == "2026-12-09"  # an earlier day than the appointment's
        assert AuditEvent.objects.filter(action=Action.WAITLIST_JOINED).count() == 1
        page = maya.get(_url(a)).content.decode()
        assert "Mondays and Fridays, 07:00–09:00 or 17:00–19:00, with" in page
        assert "Remove my wish" in page
        detail = maya.get(reverse("appointment", args=[a.pk])).content.decode()
        assert "You are waiting for an earlier day: Mondays and Fridays" in detail
        joined = entry.joined_at
        assert maya.post(_url(a), {"weekday": "tuesday", "practitioner": "any"}).status_code == 302
        entry = WaitlistEntry.objects.get()  # changed in place, keeping its place in the queue
        assert entry.weekdays == [1] and entry.windows == [] and entry.practitioner is None
        assert entry.joined_at == joined
        assert maya.post(_url(a), {"action": "remove"}).status_code == 302
    assert not WaitlistEntry.objects.exists()


@pytest.mark.parametrize(
    ("form", "field"),
    [
        ({"weekday": "someday"}, "weekdays[0]"),
        ({"window_start": "9am", "window_end": "10:00"}, "windows[0].start"),
        ({"window_start": "10:00", "window_end": "09:00"}, "windows[0].end"),
        ({"window_start": "10:00"}, "windows[0].end"),
        ({"practitioner": "²"}, "practitioner"),
        ({"practitioner": "999999"}, "practitioner"),
    ],
)
def test_bad_input_is_a_400_naming_the_field_and_saves_nothing(b, form, field):
    a = _appointment(b)
    with time_machine.travel(NOW, tick=False):
        page = logged_in(b.maya).post(_url(a), form)
    assert page.status_code == 400
    assert f"{field}:" in page.content.decode()
    assert not WaitlistEntry.objects.exists()


def test_a_past_or_cancelled_appointment_takes_no_wish(b):
    a = _appointment(b)
    do_cancel(b.maya, a, now=NOW, by_patient=True)
    with time_machine.travel(NOW, tick=False):
        maya = logged_in(b.maya)
        assert b'name="weekday"' not in maya.get(_url(a)).content
        assert maya.post(_url(a), {}).status_code == 400
    assert not WaitlistEntry.objects.exists()


def test_who_reaches_the_form(b):
    a = _appointment(b)
    with time_machine.travel(NOW, tick=False):
        anonymous = Client().get(_url(a))
        assert anonymous.status_code == 302 and "/account/login/" in anonymous["Location"]
        assert Client().post(_url(a), {}).status_code == 302
        sam = logged_in(b.sam)
        assert sam.get(_url(a)).status_code == 404
        assert sam.post(_url(a), {"action": "remove"}).status_code == 404
        assert staff_client(b.c.priya).get(_url(a)).status_code == 404
        assert staff_client(b.c.otto).post(_url(a), {}).status_code == 404
    assert not WaitlistEntry.objects.exists()


def test_another_patients_wish_is_not_removed(b):
    a = _appointment(b)
    sams = _appointment(b, who=b.sam, day=11)
    with time_machine.travel(NOW, tick=False):
        assert logged_in(b.sam).post(_url(sams), {}).status_code == 302
        assert logged_in(b.maya).post(_url(a), {"action": "remove"}).status_code == 302
    assert WaitlistEntry.objects.get().patient == b.sam.patient


def test_the_wish_from_the_form_is_offered_a_freed_time(b):
    """End to end: Maya waits on Thursdays 09:00-12:00; Sam cancels Thursday 10:00."""
    a = _appointment(b, day=10)
    sams = _appointment(b, who=b.sam, day=3, hour=10)
    with time_machine.travel(NOW, tick=False):
        form = {"weekday": "thursday", "window_start": "09:00", "window_end": "12:00"}
        assert logged_in(b.maya).post(_url(a), {**form, "practitioner": "any"}).status_code == 302
        do_cancel(b.sam, sams, now=NOW, by_patient=True)
    entry = WaitlistEntry.objects.get()
    assert entry.offered_start == melbourne(2026, 12, 3, 10)


def test_hostile_values_in_every_field_are_never_a_server_error(b):
    from tests.web.test_hostile_queries import HOSTILE

    a = _appointment(b)
    fields = ["weekday", "window_start", "window_end", "practitioner", "action"]
    with time_machine.travel(NOW, tick=False):
        maya = logged_in(b.maya)
        for value in HOSTILE:
            for field in fields:
                page = maya.post(_url(a), {field: [value, value]})
                assert page.status_code < 500, (field, value)
            page = maya.post(_url(a), dict.fromkeys(fields, value))
            assert page.status_code < 500, value


def _offered(b):
    """Maya waits on Thursdays 09:00-12:00 with anyone; Sam cancels Thursday 10:00 with Priya."""
    a = _appointment(b, day=10)
    sams = _appointment(b, who=b.sam, day=3, hour=10)
    with time_machine.travel(NOW, tick=False):
        form = {"weekday": "thursday", "window_start": "09:00", "window_end": "12:00"}
        assert logged_in(b.maya).post(_url(a), {**form, "practitioner": "any"}).status_code == 302
        do_cancel(b.sam, sams, now=NOW, by_patient=True)
    run_due_tasks(NOW)  # the worker sends the offer
    return a


def test_the_patient_takes_the_offer_and_the_wish_ends(b):
    from django.core import mail

    a = _offered(b)
    assert f"/appointments/{a.pk}/waitlist/" in mail.outbox[-1].body
    assert mail.outbox[-1].to == [b.maya.patient.email]
    with time_machine.travel(NOW, tick=False):
        maya = logged_in(b.maya)
        page = maya.get(_url(a)).content.decode()
        assert "Move my appointment to this time" in page and "Thu 3 Dec, 10:00 AEDT" in page
        assert maya.post(_url(a), {"action": "take"}).status_code == 302
    a.refresh_from_db()
    assert a.start == melbourne(2026, 12, 3, 10) and a.practitioner == b.c.priya.staff
    assert not WaitlistEntry.objects.exists()


def test_an_expired_offer_cannot_be_taken(b):
    a = _offered(b)
    later = WaitlistEntry.objects.get().offer_expires_at
    with time_machine.travel(later, tick=False):
        maya = logged_in(b.maya)
        assert b"Move my appointment" not in maya.get(_url(a)).content
        page = maya.post(_url(a), {"action": "take"})
    assert page.status_code == 400 and b"offer:" in page.content
    a.refresh_from_db()
    assert a.start == melbourne(2026, 12, 10, 10)


def test_an_offer_someone_else_booked_first_is_a_409_and_the_wish_stays(b):
    a = _offered(b)
    with time_machine.travel(NOW, tick=False):
        do_book(
            b.sam,
            patient=b.sam.patient,
            practitioner=b.c.priya.staff,
            location=b.c.location,
            appointment_type=b.follow_up,
            start=melbourne(2026, 12, 3, 10),
            now=NOW,
        )
        page = logged_in(b.maya).post(_url(a), {"action": "take"})
    assert page.status_code == 409 and b"just taken" in page.content
    a.refresh_from_db()
    assert a.start == melbourne(2026, 12, 10, 10) and WaitlistEntry.objects.exists()


def test_take_with_no_wish_is_a_400(b):
    a = _appointment(b)
    with time_machine.travel(NOW, tick=False):
        page = logged_in(b.maya).post(_url(a), {"action": "take"})
    assert page.status_code == 400 and b"offer:" in page.content
