"""Booking's writes against the database: rules named, no double booking, messages once."""

from __future__ import annotations

import itertools
import threading
from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.core import mail
from django.db import connection

from backcare.care.models import AuditEvent
from backcare.clinic import reminders
from backcare.clinic.booking_actions import (
    BookingRefused,
    SlotTaken,
    do_book,
    do_cancel,
    do_mark,
    do_move,
    free_slots_for,
)
from backcare.clinic.booking_queries import appointments_for, next_appointment
from backcare.clinic.models import Appointment, AppointmentMessage, WaitlistEntry, WorkingHours
from tests.web.booking_people import (
    NOW,
    booking_clinic,
    melbourne,
    run_due_tasks,
    sam_waits_for_thursday_mornings,
)

pytestmark = pytest.mark.django_db


def book(b, who, start, kind=None, patient=None, now=NOW):
    return do_book(
        (patient or b.maya),
        patient=(patient or b.maya).patient,
        practitioner=who.staff,
        location=b.c.location,
        appointment_type=kind or b.initial,
        start=start,
        now=now,
        reason="see a physiotherapist: pain not settling",
    )


def test_a_booking_is_saved_with_its_buffer_audit_and_messages():
    b = booking_clinic()
    a = book(b, b.c.priya, melbourne(2026, 12, 3, 10))
    assert a.start == datetime(2026, 12, 2, 23, 0, tzinfo=UTC)
    assert a.blocked_until - a.end == timedelta(minutes=15)
    assert AuditEvent.objects.filter(action="appointment.booked", object_id=a.pk).count() == 1
    kinds = set(AppointmentMessage.objects.filter(appointment=a).values_list("kind", flat=True))
    assert kinds == {"confirmation", "reminder"}
    assert [x.pk for x in appointments_for(b.maya.patient)] == [a.pk]
    assert next_appointment([b.maya.patient.pk, b.sam.patient.pk], now=NOW) == {
        b.maya.patient.pk: a
    }


def test_the_same_or_an_overlapping_slot_of_another_length_is_taken():
    b = booking_clinic()
    book(b, b.c.priya, melbourne(2026, 12, 3, 10))  # 10:00-10:45, busy until 11:00
    with pytest.raises(SlotTaken) as same:
        book(b, b.c.priya, melbourne(2026, 12, 3, 10), patient=b.sam)
    assert same.value.next_slots and same.value.next_slots[0].start >= melbourne(2026, 12, 3, 11)
    with pytest.raises(SlotTaken):  # a 30-minute follow-up inside the buffer
        book(b, b.c.priya, melbourne(2026, 12, 3, 10, 45), kind=b.follow_up, patient=b.sam)
    with pytest.raises(SlotTaken):  # the patient cannot be in two rooms
        book(b, b.paul, melbourne(2026, 12, 3, 10, 15), kind=b.follow_up)
    assert Appointment.objects.count() == 1
    book(b, b.c.priya, melbourne(2026, 12, 3, 11), kind=b.follow_up, patient=b.sam)


@pytest.mark.parametrize(
    ("start", "words"),
    [
        (melbourne(2026, 12, 3, 10, 7), "not a start time"),
        (melbourne(2026, 11, 30, 10), "already passed"),
        (melbourne(2026, 12, 3, 18), "outside those hours"),
        (melbourne(2026, 12, 3, 12, 30), "outside those hours"),
        (melbourne(2027, 3, 1, 10), "days ahead"),
    ],
)
def test_bad_requests_name_the_problem_and_save_nothing(start, words):
    b = booking_clinic()
    with pytest.raises(BookingRefused) as refused:
        book(b, b.c.priya, start)
    assert words in str(refused.value)
    assert not Appointment.objects.exists()
    assert not AppointmentMessage.objects.exists()


def test_patients_change_until_the_cut_off_then_call_staff_any_time():
    b = booking_clinic()
    a = book(b, b.c.priya, melbourne(2026, 12, 3, 10))
    late = a.start - timedelta(hours=23)
    with pytest.raises(BookingRefused) as refused:
        do_cancel(b.maya, a, now=late, by_patient=True)
    assert "call Quay on +61 3 9000 0000" in str(refused.value)
    moved = do_move(b.maya, a, start=melbourne(2026, 12, 4, 9), now=NOW, by_patient=True)
    assert moved.start == melbourne(2026, 12, 4, 9)
    do_cancel(b.c.rob, moved, now=late, by_patient=False)
    with pytest.raises(BookingRefused) as again:
        do_move(b.c.rob, moved, start=melbourne(2026, 12, 5, 9), now=NOW, by_patient=False)
    assert "cancelled" in str(again.value)


def test_marking_needs_the_appointment_to_have_started():
    b = booking_clinic()
    a = book(b, b.c.priya, melbourne(2026, 12, 3, 10))
    with pytest.raises(BookingRefused, match="not started"):
        do_mark(b.c.priya, a, "attended", now=NOW)
    with pytest.raises(BookingRefused, match="status: must be"):
        do_mark(b.c.priya, a, "gone", now=a.start)
    assert do_mark(b.c.rob, a, "no_show", now=a.start).status == "no_show"


def test_reminders_go_once_with_an_ics_and_never_for_a_cancelled_one():
    from icalendar import Calendar

    b = booking_clinic()
    a = book(b, b.c.priya, melbourne(2026, 12, 3, 10))
    other = book(b, b.c.priya, melbourne(2026, 12, 3, 14), patient=b.sam)
    do_cancel(b.c.rob, other, now=NOW, by_patient=False)
    assert reminders.send_due(NOW) == 2  # both confirmations
    assert reminders.send_due(NOW) == 0
    due = a.start - timedelta(hours=24)
    assert reminders.send_due(due) == 1  # Maya's reminder; Sam's cancelled one is not sent
    assert reminders.send_due(due) == 0
    assert len(mail.outbox) == 3
    first = mail.outbox[0]
    assert "AEDT" in first.subject and "/appointments/" in first.body
    _name, content, _kind = first.attachments[0]
    event = Calendar.from_ical(content).walk("VEVENT")[0]
    assert event.decoded("dtstart") == a.start


def test_a_cancelled_slot_is_offered_to_the_first_waiting_patient_who_fits():
    b = booking_clinic()
    a = book(b, b.c.priya, melbourne(2026, 12, 3, 10))
    sam_waits_for_thursday_mornings(b, NOW - timedelta(days=1))
    mail.outbox.clear()
    do_cancel(b.c.rob, a, now=NOW, by_patient=False)
    entry = WaitlistEntry.objects.get()
    assert entry.offered_start == a.start and entry.offer_expires_at == NOW + timedelta(hours=2)
    assert mail.outbox == []  # a task of the cancel's transaction sends it
    assert "sent" in run_due_tasks(NOW)
    offers = [m.to for m in mail.outbox if m.subject == "An earlier appointment is free"]
    assert offers == [["sam@example.org"]]
    run_due_tasks(NOW + timedelta(minutes=5))
    assert len([m for m in mail.outbox if m.subject == "An earlier appointment is free"]) == 1


def test_melbourne_dst_days_repeat_and_skip_an_hour():
    b = booking_clinic()
    for day in (date(2026, 4, 5), date(2026, 10, 4)):
        WorkingHours.objects.create(
            staff=b.c.priya.staff,
            location=b.c.location,
            weekday=6,
            start=time(0, 30),
            end=time(4),
            first_day=day,
            last_day=day,
        )
    b.c.location.opening_hours.update(start=time(0))
    back = free_slots_for(
        b.c.location,
        b.follow_up,
        first_day=date(2026, 4, 5),
        last_day=date(2026, 4, 5),
        now=datetime(2026, 4, 1, tzinfo=UTC),
        practitioner_id=b.c.priya.staff.pk,
    )
    labels = [s.label for s in back][:6]
    assert len({s.start for s in back}) == len(back)
    assert labels[3:] == [
        "02:00 AEDT (UTC+11:00)",
        "02:30 AEDT (UTC+11:00)",
        "02:00 AEST (UTC+10:00)",
    ]
    assert sum(1 for s in back if s.local_start.hour == 2) == 4  # 02:00 and 02:30, twice each
    forward = free_slots_for(
        b.c.location,
        b.follow_up,
        first_day=date(2026, 10, 4),
        last_day=date(2026, 10, 4),
        now=datetime(2026, 10, 1, tzinfo=UTC),
        practitioner_id=b.c.priya.staff.pk,
    )
    assert not [s for s in forward if s.local_start.hour == 2]
    # 02:30 on 4 Oct does not exist in Melbourne: read with the offset from before the change
    # it is the instant 03:30 AEDT, and the appointment is 30 elapsed minutes from there.
    a = book(
        b,
        b.c.priya,
        melbourne(2026, 10, 4, 2, 30),
        kind=b.follow_up,
        now=datetime(2026, 10, 1, tzinfo=UTC),
    )
    assert a.start == melbourne(2026, 10, 4, 3, 30)
    assert a.end - a.start == timedelta(minutes=30)


@pytest.mark.django_db(transaction=True)
def test_concurrent_bookings_of_the_same_and_overlapping_slots_one_wins():
    if connection.vendor != "postgresql":
        pytest.skip("threads on one SQLite in-memory test database share a connection")
    b = booking_clinic()
    from tests.web.people import signed_up

    patients = [signed_up(f"p{i}", zone="Australia/Melbourne") for i in range(12)]
    from backcare.care.models import Patient

    Patient.objects.filter(user__in=patients).update(clinic=b.c.clinic)
    starts = [
        melbourne(2026, 12, 3, 10),
        melbourne(2026, 12, 3, 10, 15),
        melbourne(2026, 12, 3, 10, 45),
    ]
    results: list[str] = []
    barrier = threading.Barrier(len(patients))

    def attempt(i: int) -> None:
        from django.db import connections

        user = patients[i]
        user.patient.refresh_from_db()
        kind = b.initial if i % 2 else b.follow_up
        barrier.wait()
        try:
            book(b, b.c.priya, starts[i % 3], kind=kind, patient=user)
            results.append("won")
        except SlotTaken as taken:
            results.append("taken: " + str(taken))
        except Exception as exc:  # a deadlock, say: it must never reach the person
            results.append(f"failed: {type(exc).__name__}: {exc}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(len(patients))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    rows = list(Appointment.objects.order_by("start"))
    for x, y in itertools.pairwise(rows):
        assert x.blocked_until <= y.start
    assert results.count("won") == len(rows) >= 1
    odd = [r for r in results if r != "won" and "just taken" not in r]
    assert not odd, odd


def test_the_demo_gives_a_lived_in_booking_page():
    from backcare.accounts.models import StaffMember
    from backcare.clinic.demo_booking import demo_booking

    b = booking_clinic()
    from backcare.clinic.models import AppointmentType

    AppointmentType.objects.all().delete()
    staff = list(StaffMember.objects.filter(clinic=b.c.clinic))
    assert demo_booking(b.c.clinic, staff, now=NOW) >= 1
    assert demo_booking(b.c.clinic, staff, now=NOW) == 0


def test_the_command_sends_due_confirmations_once():
    from django.core.management import call_command

    b = booking_clinic()
    book(b, b.c.priya, melbourne(2026, 12, 3, 10), now=datetime.now(UTC))
    mail.outbox.clear()
    call_command("send_booking_messages", "--once")
    call_command("send_booking_messages", "--once")
    assert len(mail.outbox) == 1


def test_a_long_block_that_began_the_evening_before_still_clashes():
    """bookings_near looks back LONGEST_BLOCK from the time asked about, not less: a 12-hour
    appointment with a 12-hour buffer that started 23 hours earlier still blocks."""
    from django.db import IntegrityError, transaction

    from backcare.clinic.booking_data import bookings_near

    b = booking_clinic()
    first = book(b, b.c.priya, melbourne(2026, 12, 3, 10))
    start = first.start - timedelta(hours=23)
    Appointment.objects.filter(pk=first.pk).update(
        start=start, end=start + timedelta(hours=12), blocked_until=start + timedelta(hours=24)
    )
    near = bookings_near(
        practitioner_ids=[b.c.priya.staff.pk],
        patient_id=None,
        after=first.start - timedelta(minutes=30),
        before=first.start + timedelta(hours=1),
    )
    assert [x.id for x in near] == [first.pk]
    with pytest.raises(IntegrityError), transaction.atomic():
        b.initial.__class__.objects.filter(pk=b.initial.pk).update(buffer_minutes=721)
