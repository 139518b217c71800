"""A booking clinic for tests: Harbour Physio's Quay location in Melbourne, open every day
07:00-19:00; Priya works there 09:00-17:00 (lunch 12:30-13:00), Paul 09:00-17:00 too; an initial
assessment (45 minutes + 15 after) and a follow-up (30 minutes) that both give."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time
from typing import Any

from backcare.clinic.models import AppointmentType, Break, OpeningHours, WorkingHours
from tests.web.people import Clinic, clinic_for, signed_up, staff_member

NOW = datetime(2026, 12, 1, 11, 0, tzinfo=UTC)  # 22:00 on Tuesday 1 Dec in Melbourne (AEDT)


@dataclass
class BookingClinic:
    c: Clinic
    paul: Any
    initial: AppointmentType
    follow_up: AppointmentType
    maya: Any
    sam: Any


def booking_clinic() -> BookingClinic:
    maya = signed_up("maya", zone="Australia/Melbourne")
    sam = signed_up("sam", zone="Australia/Brisbane")
    c = clinic_for(maya, sam)
    loc = c.location
    loc.phone = "+61 3 9000 0000"
    loc.address = "1 Quay St"
    loc.suburb = "Docklands"
    loc.postcode = "3008"
    loc.save()
    paul = staff_member("paul", c.clinic, "physio")
    for day in range(7):
        OpeningHours.objects.create(location=loc, weekday=day, start=time(7), end=time(19))
        for who in (c.priya, paul):
            h = WorkingHours.objects.create(
                staff=who.staff, location=loc, weekday=day, start=time(9), end=time(17)
            )
            if who == c.priya:
                Break.objects.create(hours=h, start=time(12, 30), end=time(13))
    initial = AppointmentType.objects.create(
        clinic=c.clinic,
        name="Initial assessment",
        kind="initial",
        duration_minutes=45,
        buffer_minutes=15,
        price_cents=11000,
    )
    follow_up = AppointmentType.objects.create(
        clinic=c.clinic, name="Follow-up", kind="follow_up", duration_minutes=30, price_cents=8500
    )
    for t in (initial, follow_up):
        t.givers.set([c.priya.staff, paul.staff])
    return BookingClinic(c, paul, initial, follow_up, maya, sam)


def sam_waits_for_thursday_mornings(b: BookingClinic, joined_at: datetime) -> Any:
    """Sam on the waitlist for an initial assessment at the clinic's location, Thursdays (3 Dec
    2026 is one) 09:00-12:00."""
    from backcare.clinic.models import WaitlistEntry

    return WaitlistEntry.objects.create(
        clinic=b.c.clinic,
        patient=b.sam.patient,
        location=b.c.location,
        appointment_type=b.initial,
        joined_at=joined_at,
        weekdays=[3],
        windows=[["09:00", "12:00"]],
    )


def melbourne(y: int, m: int, d: int, h: int, mi: int = 0, fold: int = 0) -> datetime:
    from zoneinfo import ZoneInfo

    return datetime(y, m, d, h, mi, fold=fold, tzinfo=ZoneInfo("Australia/Melbourne"))


def run_due_tasks(at: datetime) -> list[str]:
    """Run every task that is due at `at` through django-tasks' own database worker, as the
    worker process would, on this test's connection; returns each task's outcome (its return
    value, or the error it raised)."""
    import time_machine
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult

    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
    )
    outcomes: list[str] = []
    with time_machine.travel(at, tick=False):
        while (
            row := DBTaskResult.objects.ready().order_by("run_after", "enqueued_at").first()
        ) is not None:
            row.claim(worker.worker_id)
            worker.run_task(row)
            row.refresh_from_db()
            outcomes.append(str(row.return_value) if row.status == "SUCCESSFUL" else row.status)
    return outcomes
