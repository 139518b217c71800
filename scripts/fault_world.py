"""The fault test's clinic and its checks against the database (scripts/fault.py), run inside
Django in the driver's own process once its environment names the run's database.

`seed` makes one clinic (Quay, Melbourne, open every day) with practitioners working 07:00-21:00,
patients each with a self-care plan, an e-mail address and a read-and-write token, and the free
(practitioner, start) pairs the load books. `move_clock` makes every waiting reminder due now, so
reminders are sent (and could be sent twice) during a run of a minute rather than a day later.
`verify` compares what the clients saw acknowledged with the rows and the sent e-mail.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

SLOT_DAYS_AHEAD = 2  # past the clinic's minimum notice (2 hours) whatever the hour


@dataclass
class Seeded:
    location: int
    kind: int
    tokens: dict[int, str]  # patient id -> token
    slots: list[tuple[int, str]]  # (practitioner id, ISO start), in (day, time, practitioner) order


def seed(*, patients: int, practitioners: int, slots: int) -> Seeded:
    from django.db import transaction
    from django.utils import timezone

    from backcare.accounts.models import User
    from backcare.api.models import READ, WRITE
    from backcare.api.tokens import do_create_token
    from backcare.care.actions import do_save_assessment, do_sign_up, do_start_plan
    from backcare.clinic.models import AppointmentType
    from backcare.domain.assessment import Assessment
    from backcare.lib.timezones import local_today, zone
    from tests.domain.people import answers
    from tests.open_clinic import free_half_hours, open_clinic

    now = timezone.now()
    with transaction.atomic():
        names = [f"prac{n:02d}" for n in range(practitioners)]
        made = open_clinic("Fault Physio", names, phone="03 5550 0001")
        clinic, quay, staff = made.clinic, made.location, made.staff
        kind = AppointmentType.objects.create(
            clinic=clinic, name="Follow-up", kind="follow_up", duration_minutes=30, price_cents=8500
        )
        kind.givers.set(staff)
        tokens = {}
        for n in range(patients):
            user = User.objects.create(
                username=f"faulty{n:03d}", email=f"faulty{n:03d}@example.org",
                timezone="Australia/Melbourne",
            )  # fmt: skip
            patient = do_sign_up(user, timezone=user.timezone, now=now)
            patient.clinic = clinic
            patient.location = quay
            patient.save(update_fields=["clinic", "location"])
            record = do_save_assessment(
                user, patient, Assessment.model_validate(answers()), now=now
            )
            do_start_plan(user, patient, record, today=local_today(patient, now), now=now)
            _, tokens[patient.pk] = do_create_token(
                user, name="fault", scopes=[READ, WRITE], now=now
            )
    first = now.astimezone(zone(quay.timezone)).date() + timedelta(days=SLOT_DAYS_AHEAD)
    free = free_half_hours(made, first=first, count=slots)
    return Seeded(quay.pk, kind.pk, tokens, free)


def move_clock(now: datetime) -> int:
    """Make every unsent reminder due now, and its waiting task runnable now: the day between
    booking and reminder passes at once. Returns how many reminders it moved."""
    from django.db import transaction
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from backcare.clinic.models import AppointmentMessage
    from backcare.clinic.tasks import send_appointment_message

    # Tasks first: on PostgreSQL each statement sees what had committed when it began, so a
    # booking committed between the two would otherwise have its task moved but not its
    # reminder, and the task would run early, find nothing due and finish, leaving the reminder
    # without a task. This way round a booking in between only has its task moved next time.
    with transaction.atomic():
        DBTaskResult.objects.filter(
            task_path=send_appointment_message.module_path,
            status=TaskResultStatus.READY,
            run_after__gt=now,
        ).update(run_after=now)
        moved = AppointmentMessage.objects.filter(
            kind=AppointmentMessage.Kind.REMINDER, sent_at__isnull=True, due_at__gt=now
        ).update(due_at=now)
    return moved


def unsent(now: datetime) -> int:
    """Messages due and not yet sent, or claimed and not yet cleared (the worker has not caught
    up, or a killed worker's claim waits for the task's next run)."""
    from django.db.models import Q

    from backcare.clinic.models import AppointmentMessage

    waiting = Q(sent_at__isnull=True, due_at__lte=now) | ~Q(claimed_by="")
    return AppointmentMessage.objects.filter(waiting).count()


@dataclass
class Acknowledged:
    """What the clients were told: every 2xx answer, and the writes whose answer never came.

    `check_ins`: Idempotency-Key -> (patient, date, pain); `last_pain`: the last acknowledged
    pain of each (patient, date); `unsure_check_in`: days where a later check-in was given up
    (either may be stored); `bookings`: appointment id -> (patient, practitioner, start);
    `unsure_bookings`: bookings that got no answer at all; `refused_bookings`: a 503 or 409."""

    check_ins: dict[str, tuple[int, str, int]] = field(default_factory=dict)
    last_pain: dict[tuple[int, str], int] = field(default_factory=dict)
    unsure_check_in: set[tuple[int, str]] = field(default_factory=set)
    bookings: dict[int, tuple[int, int, str]] = field(default_factory=dict)
    unsure_bookings: int = 0
    refused_bookings: list[tuple[int, int, str]] = field(default_factory=list)


SUBJECT = re.compile(r"^Subject: (Booked|Reminder): ", re.MULTILINE)
LINK = re.compile(r"/appointments/(\d+)/")


def mail_counts(folder: Path) -> Counter[tuple[int, str]]:
    """How many e-mails each (appointment, kind) got: the outbox writes one file per message
    (backcare/lib/mail.py)."""
    counts: Counter[tuple[int, str]] = Counter()
    for path in folder.glob("*.eml") if folder.exists() else []:
        text = path.read_text(errors="replace")
        subject, link = SUBJECT.search(text), LINK.search(text)
        if subject and link:
            kind = "confirmation" if subject[1] == "Booked" else "reminder"
            counts[int(link[1]), kind] += 1
    return counts


def _story(seen: Acknowledged, day: tuple[int, str], stored: int) -> str:
    """What a patient's day looked like: the acknowledged check-ins in order, and the stored
    answers to each key, against what the row holds."""
    from backcare.api.models import IdempotentRequest
    from backcare.care.models import Patient

    acked = [(k, pain) for k, (p, d, pain) in seen.check_ins.items() if (p, d) == day]
    user = Patient.objects.get(pk=day[0]).user_id
    answers = [
        (key, at.isoformat(), answer["check_in"]["pain_now"])
        for key, at, answer in IdempotentRequest.objects.filter(user_id=user)
        .order_by("created_at")
        .values_list("key", "created_at", "response")
    ]
    return f"{day}: stored pain {stored}; acknowledged {acked}; key answers {answers}"


def verify(seen: Acknowledged, mail: Path) -> dict[str, Any]:
    """Every acknowledged write against the database and the sent e-mail: the misses (each a
    sentence) and the figures."""
    from django.db import connection
    from django.db.models import Count

    from backcare.api.models import IdempotentRequest
    from backcare.care.models import CheckIn
    from backcare.clinic.models import Appointment, AppointmentMessage
    from tests.live_booking import OVERLAPS

    misses: list[str] = []
    keys = set(
        IdempotentRequest.objects.filter(operation="check-in", key__in=list(seen.check_ins))
        .values_list("key", flat=True)
    )  # fmt: skip
    lost_keys = sorted(set(seen.check_ins) - keys)
    if lost_keys:
        misses.append(f"{len(lost_keys)} acknowledged check-in key(s) not stored: {lost_keys[:5]}")
    rows = {
        (p, d.isoformat()): pain
        for p, d, pain in CheckIn.objects.values_list("patient_id", "date", "pain_now")
    }
    lost = [k for k in seen.last_pain if k not in rows]
    wrong = [
        k
        for k, pain in seen.last_pain.items()
        if k in rows and rows[k] != pain and k not in seen.unsure_check_in
    ]
    if lost:
        misses.append(f"{len(lost)} acknowledged check-in(s) missing: {lost[:5]}")
    if wrong:
        misses.append(
            f"{len(wrong)} check-in(s) not the last acknowledged one: "
            + "; ".join(_story(seen, k, rows[k]) for k in wrong[:3])
        )
    doubled = (
        CheckIn.objects.values("patient_id", "date").annotate(n=Count("pk")).filter(n__gt=1).count()
    )
    if doubled:
        misses.append(f"{doubled} patient-day(s) with more than one check-in")

    booked = {
        a.pk: (a.patient_id, a.practitioner_id, a.start)
        for a in Appointment.objects.filter(status=Appointment.Status.BOOKED)
    }
    missing = [pk for pk in seen.bookings if pk not in booked]
    changed = [
        pk
        for pk, (patient, practitioner, start) in seen.bookings.items()
        if pk in booked and booked[pk] != (patient, practitioner, datetime.fromisoformat(start))
    ]
    if missing:
        misses.append(f"{len(missing)} acknowledged booking(s) not a row: {missing[:5]}")
    if changed:
        misses.append(f"{len(changed)} booking(s) stored differently from their answer")
    phantom = len(booked) - len(seen.bookings)
    if phantom > seen.unsure_bookings:
        misses.append(
            f"{phantom} booking(s) never acknowledged, but only {seen.unsure_bookings} "
            "went unanswered"
        )
    refused_saved = sum(
        1
        for patient, practitioner, start in seen.refused_bookings
        if any(b == (patient, practitioner, datetime.fromisoformat(start)) for b in booked.values())
    )
    overlaps = {}
    with connection.cursor() as cursor:
        for name, sql in OVERLAPS.items():
            cursor.execute(sql)
            overlaps[name] = cursor.fetchone()[0]
    if any(overlaps.values()):
        misses.append(f"overlapping appointments: {overlaps}")

    counts = mail_counts(mail)
    twice = {f"appointment {pk} {kind}": n for (pk, kind), n in counts.items() if n > 1}
    sent_rows = set(
        AppointmentMessage.objects.filter(sent_at__isnull=False).values_list(
            "appointment_id", "kind"
        )
    )
    unmailed = [k for k in sent_rows if k not in counts and k[0] in booked]
    if unmailed:
        misses.append(f"{len(unmailed)} message(s) marked sent but no e-mail: {unmailed[:5]}")
    expected = {(pk, kind) for pk in seen.bookings for kind in ("confirmation", "reminder")}
    never = sorted(expected - set(counts))
    if never:
        misses.append(f"{len(never)} acknowledged booking message(s) never sent: {never[:5]}")
    return {
        "misses": misses,
        "sent_twice": twice,
        "figures": {
            "check_ins_acknowledged": len(seen.check_ins),
            "check_in_days": len(seen.last_pain),
            "bookings_acknowledged": len(seen.bookings),
            "bookings_unanswered": seen.unsure_bookings,
            "bookings_saved_unacknowledged": max(0, phantom),
            "bookings_refused_but_saved": refused_saved,
            "appointments": len(booked),
            "emails": sum(counts.values()),
            "reminders_sent": sum(n for (_, kind), n in counts.items() if kind == "reminder"),
            "overlaps": overlaps,
        },
    }
