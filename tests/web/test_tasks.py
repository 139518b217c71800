"""Booking e-mails as django-tasks tasks: rows in the booking's own transaction, run by the
database worker when due, once each, retried with backoff, never for a cancelled appointment;
and the same tasks on RQ over Redis."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from datetime import timedelta
from pathlib import Path
from smtplib import SMTPServerDisconnected
from typing import Any

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from backcare.clinic.booking_actions import do_book, do_cancel
from backcare.clinic.models import AppointmentMessage
from backcare.tasks import MAX_ATTEMPTS, retry_delay
from tests.web.booking_people import NOW, booking_clinic, melbourne, run_due_tasks

ROOT = Path(__file__).resolve().parents[2]


def book(b, start, patient=None, now=NOW):
    who = patient or b.maya
    return do_book(
        who,
        patient=who.patient,
        practitioner=b.c.priya.staff,
        location=b.c.location,
        appointment_type=b.initial,
        start=start,
        now=now,
        reason="see a physiotherapist",
    )


class FlakyBackend(LocmemBackend):
    """Fails the first `failures` sends, as a mail server that is down for a while would."""

    failures = 0

    def send_messages(self, messages: Any) -> int:
        if FlakyBackend.failures > 0:
            FlakyBackend.failures -= 1
            raise SMTPServerDisconnected("mail server went away")
        return super().send_messages(messages)


def test_backoff_doubles_from_a_minute_up_to_an_hour():
    assert [retry_delay(n) for n in (1, 2, 3, 7, 8)] == [
        timedelta(minutes=1),
        timedelta(minutes=2),
        timedelta(minutes=4),
        timedelta(hours=1),
        timedelta(hours=1),
    ]
    with pytest.raises(ValueError, match="attempts"):
        retry_delay(0)


@pytest.mark.django_db
@pytest.mark.db
def test_the_task_rows_are_written_in_the_bookings_transaction():
    b = booking_clinic()
    a = book(b, melbourne(2026, 12, 3, 10))
    rows = DBTaskResult.objects.filter(task_path="backcare.clinic.tasks.send_appointment_message")
    by_message = {r.args_kwargs["args"][0]: r for r in rows}
    messages = {m.kind: m for m in AppointmentMessage.objects.filter(appointment=a)}
    assert set(by_message) == {m.pk for m in messages.values()}
    assert by_message[messages["reminder"].pk].run_after == messages["reminder"].due_at
    before = DBTaskResult.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        book(b, melbourne(2026, 12, 3, 14))
        raise RuntimeError("the request failed after booking")
    assert DBTaskResult.objects.count() == before  # no booking, no e-mail


@pytest.mark.django_db
@pytest.mark.db
def test_the_worker_sends_the_confirmation_now_and_the_reminder_when_due_once_each():
    b = booking_clinic()
    a = book(b, melbourne(2026, 12, 3, 10))
    mail.outbox.clear()
    assert run_due_tasks(NOW) == ["sent"]  # the confirmation; the reminder is not due
    due = a.start - timedelta(hours=24)
    assert run_due_tasks(due - timedelta(minutes=1)) == []
    assert run_due_tasks(due) == ["sent"]
    assert run_due_tasks(due + timedelta(hours=1)) == []
    assert [m.subject.split(":")[0] for m in mail.outbox] == ["Booked", "Reminder"]
    sent = AppointmentMessage.objects.filter(appointment=a, sent_at__isnull=False)
    assert sent.count() == 2


@pytest.mark.django_db
@pytest.mark.db
def test_a_cancelled_appointments_reminder_is_never_sent():
    b = booking_clinic()
    a = book(b, melbourne(2026, 12, 3, 10))
    run_due_tasks(NOW)
    mail.outbox.clear()
    do_cancel(b.maya, a, now=NOW + timedelta(minutes=5), by_patient=True)
    assert run_due_tasks(a.start - timedelta(hours=24)) == ["nothing to send"]
    assert mail.outbox == []


@pytest.mark.django_db
@pytest.mark.db
def test_a_failed_send_is_retried_with_backoff_and_goes_once(settings):
    settings.EMAIL_BACKEND = "tests.web.test_tasks.FlakyBackend"
    FlakyBackend.failures = 2
    b = booking_clinic()
    a = book(b, melbourne(2026, 12, 3, 10))
    mail.outbox.clear()
    confirmation = AppointmentMessage.objects.get(appointment=a, kind="confirmation")

    assert run_due_tasks(NOW) == ["FAILED"]
    confirmation.refresh_from_db()
    assert confirmation.attempts == 1 and "went away" in confirmation.last_error
    assert confirmation.sent_at is None  # the claim rolled back with the failed send
    assert run_due_tasks(NOW + timedelta(seconds=59)) == []  # waits a minute
    assert run_due_tasks(NOW + timedelta(minutes=1)) == ["FAILED"]
    assert run_due_tasks(NOW + timedelta(minutes=2)) == []  # then two more
    assert run_due_tasks(NOW + timedelta(minutes=3)) == ["sent"]
    confirmation.refresh_from_db()
    assert confirmation.attempts == 2 and confirmation.sent_at is not None
    assert [m.subject.split(":")[0] for m in mail.outbox] == ["Booked"]


@pytest.mark.django_db
@pytest.mark.db
def test_a_send_that_keeps_failing_stops_after_the_last_try(settings):
    settings.EMAIL_BACKEND = "tests.web.test_tasks.FlakyBackend"
    FlakyBackend.failures = 100
    b = booking_clinic()
    a = book(b, melbourne(2026, 12, 3, 10))
    at = NOW
    for _ in range(MAX_ATTEMPTS + 2):
        run_due_tasks(at)
        at += timedelta(hours=1)
    FlakyBackend.failures = 0
    row = AppointmentMessage.objects.get(appointment=a, kind="confirmation")
    assert row.attempts == MAX_ATTEMPTS and row.sent_at is None
    assert DBTaskResult.objects.ready().filter(args_kwargs__args=[row.pk]).count() == 0


@pytest.mark.django_db(transaction=True)
@pytest.mark.db
def test_two_workers_at_once_send_each_message_once():
    from django.db import connection

    if connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith("file:"):
        pytest.skip("threads on one SQLite in-memory test database share a connection")
    if connection.vendor == "sqlite":
        pytest.skip("SQLite: see test_two_worker_processes_send_each_message_once")
    b = booking_clinic()
    for day in (3, 4, 7, 8):
        book(b, melbourne(2026, 12, day, 10))
    # The same message queued twice as well, as a retry racing its original would be.
    extra = AppointmentMessage.objects.filter(kind="confirmation").first()
    from backcare.clinic.tasks import send_appointment_message

    send_appointment_message.enqueue(extra.pk)
    mail.outbox.clear()
    errors: list[BaseException] = []

    def work() -> None:
        from django_tasks_db.management.commands.db_worker import Worker

        try:
            Worker(
                queue_names=["*"],
                interval=0,
                batch=True,
                backend_name="default",
                startup_delay=False,
                max_tasks=None,
                worker_id=f"w{threading.get_ident()}",
            ).run()
        except BaseException as exc:  # a worker thread's error fails the test below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors
    assert len(mail.outbox) == 4  # four confirmations; the reminders are not due yet
    assert AppointmentMessage.objects.filter(kind="confirmation", sent_at__isnull=True).count() == 0


def test_two_worker_processes_send_each_message_once(tmp_path):
    """The worker `make run` starts (`manage.py task_worker`: django-tasks' database worker),
    twice at once on one SQLite file."""
    env = {
        **os.environ,
        "BACKCARE_DATA_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "backcare.settings",
        "LOG_LEVEL": "WARNING",
    }
    env.pop("DATABASE_URL", None)
    env.pop("BACKCARE_TEST_NOW", None)
    python = sys.executable

    def manage(*args: str) -> None:
        subprocess.run([python, "manage.py", *args], cwd=ROOT, env=env, check=True, timeout=300)

    manage("migrate", "-v0")
    manage("seed_demo")  # books the demo appointments: their confirmations are due now
    script = (
        "import django; django.setup();"
        "from backcare.clinic.models import AppointmentMessage as M;"
        "print(M.objects.filter(kind='confirmation').count())"
    )
    due = int(
        subprocess.run(
            [python, "-c", script], cwd=ROOT, env=env, check=True, capture_output=True, text=True
        ).stdout
    )
    assert due >= 2
    workers = [
        subprocess.Popen(
            [python, "manage.py", "task_worker", "--batch", "--interval", "0"],
            cwd=ROOT,
            env=env,
        )
        for _ in range(2)
    ]
    assert [w.wait(timeout=300) for w in workers] == [0, 0]
    text = "".join(p.read_text() for p in (tmp_path / "sent-email").glob("*.eml"))
    assert text.count("Subject: Booked:") == due


@pytest.fixture
def on_rq(settings):
    """The RQ backend over this machine's Redis (a database of its own, emptied), chosen by the
    one setting a deployment changes."""
    import django_rq
    import redis

    url = "redis://127.0.0.1:6379/13"
    try:
        redis.Redis.from_url(url).ping()
    except redis.ConnectionError:
        pytest.fail("Redis is not running at 127.0.0.1:6379 (.ci/run starts it)")
    settings.RQ_QUEUES = {"default": {"URL": url, "DEFAULT_TIMEOUT": 60}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    connection = redis.Redis.from_url(url)
    connection.flushdb()
    yield django_rq.get_queue("default")
    connection.flushdb()


def rq_work(queue: Any, at: Any, commits: Any) -> None:
    """One burst of a real RQ worker with its scheduler, at the pinned instant `at`; `commits`
    runs what the task queues on commit (the test's transaction never commits)."""
    import time_machine
    from django_tasks_rq import Job
    from rq import SimpleWorker

    with time_machine.travel(at, tick=False), commits(execute=True):
        worker = SimpleWorker([queue], connection=queue.connection, job_class=Job)
        worker.work(burst=True, with_scheduler=True)


@pytest.mark.django_db
def test_on_rq_the_same_tasks_send_once_and_retry(
    on_rq, settings, django_capture_on_commit_callbacks
):
    from backcare.tasks import in_transaction_of_caller

    commits = django_capture_on_commit_callbacks
    assert not in_transaction_of_caller()
    settings.EMAIL_BACKEND = "tests.web.test_tasks.FlakyBackend"
    FlakyBackend.failures = 1
    b = booking_clinic()
    with commits(execute=True):
        a = book(b, melbourne(2026, 12, 3, 10))
    assert DBTaskResult.objects.count() == 0  # queued on Redis, not in the database
    mail.outbox.clear()
    rq_work(on_rq, NOW, commits)  # the confirmation fails once: its retry waits a minute
    row = AppointmentMessage.objects.get(appointment=a, kind="confirmation")
    assert row.attempts == 1 and row.sent_at is None and mail.outbox == []
    rq_work(on_rq, NOW + timedelta(minutes=1, seconds=5), commits)
    rq_work(on_rq, NOW + timedelta(minutes=2), commits)
    assert [m.subject.split(":")[0] for m in mail.outbox] == ["Booked"]
    rq_work(on_rq, a.start - timedelta(hours=24, seconds=-5), commits)
    rq_work(on_rq, a.start - timedelta(hours=23), commits)
    assert [m.subject.split(":")[0] for m in mail.outbox] == ["Booked", "Reminder"]


@pytest.mark.django_db
@pytest.mark.db
def test_the_worker_keeps_the_hourly_purge_of_anonymous_checks_going():
    from backcare.clinic.tasks import keep_purging

    assert keep_purging() is True
    assert keep_purging() is False  # one is waiting already
    assert run_due_tasks(NOW) == ["removed 0"]
    assert run_due_tasks(NOW + timedelta(minutes=59)) == []
    assert run_due_tasks(NOW + timedelta(hours=1, seconds=1)) == ["removed 0"]
    assert keep_purging() is False


def _dead_pid() -> int:
    done = subprocess.run([sys.executable, "-c", "pass"], check=True)
    assert done.returncode == 0
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


@pytest.mark.django_db
def test_a_task_a_killed_worker_left_running_is_run_again_and_sends_once():
    """A worker SIGKILLed while it ran a task leaves the task marked running: django-tasks never
    runs it again, so the confirmation was never sent. The worker's start makes it ready again
    (the process that claimed it is gone); one that a live process runs stays running; one
    running past the lease (a lost host) is made ready; each e-mail still goes once."""
    import socket

    from django_tasks.base import TaskResultStatus

    from backcare.tasks import LEASE, recover_stalled, worker_id

    host = socket.gethostname()
    b = booking_clinic()
    book(b, melbourne(2026, 12, 3, 10))
    book(b, melbourne(2026, 12, 4, 10))
    book(b, melbourne(2026, 12, 7, 10))
    from django.db.models import Q
    from django_tasks_db.models import get_date_max

    due_now = Q(run_after=get_date_max()) | Q(run_after__lte=NOW)
    confirmations = list(DBTaskResult.objects.filter(due_now).order_by("enqueued_at", "pk"))
    assert len(confirmations) == 3
    killed, alive, lost = confirmations
    claims = {
        killed.pk: (worker_id(host, _dead_pid()), NOW),
        alive.pk: (worker_id(host, os.getpid()), NOW),
        lost.pk: ("another-host:4242", NOW - LEASE - timedelta(seconds=1)),
    }
    for pk, (who, started) in claims.items():
        DBTaskResult.objects.filter(pk=pk).update(
            status=TaskResultStatus.RUNNING, started_at=started, worker_ids=[who]
        )
    assert recover_stalled(NOW, host=host) == 2
    status = dict(DBTaskResult.objects.values_list("pk", "status"))
    assert status[killed.pk] == status[lost.pk] == TaskResultStatus.READY
    assert status[alive.pk] == TaskResultStatus.RUNNING
    assert recover_stalled(NOW, host=host) == 0
    # This process's own worker loop starting again (after a database outage) runs none of its
    # earlier claims, so they are ready again too.
    assert recover_stalled(NOW, host=host, mine=worker_id(host, os.getpid())) == 1
    mail.outbox.clear()
    run_due_tasks(NOW)
    run_due_tasks(NOW)
    assert sorted(m.subject.split(":")[0] for m in mail.outbox) == ["Booked"] * 3
    assert AppointmentMessage.objects.filter(kind="confirmation", sent_at__isnull=True).count() == 0


@pytest.mark.django_db(transaction=True)
def test_a_database_lost_just_after_the_e_mail_went_does_not_send_it_again(monkeypatch):
    """PostgreSQL restarting right after the e-mail was handed over, so the commit that clears
    the claim fails: the claim had committed before sending, and the worker waits for the
    database to clear it instead of failing the task (whose next run would send the e-mail
    again). Found by scripts/fault.py."""
    from django.db import OperationalError, connections
    from django.db.backends.utils import CursorWrapper

    from backcare.clinic import reminders

    b = booking_clinic()
    a = book(b, melbourne(2026, 12, 3, 10))
    mail.outbox.clear()
    row = AppointmentMessage.objects.get(appointment=a, kind="confirmation")
    wrapper = type(connections["default"])
    real_commit, real_execute = wrapper.commit, CursorWrapper.execute
    lost = {"commit": 1, "clear": 1}

    def commit(self: Any) -> None:
        if mail.outbox and lost["commit"]:
            lost["commit"] -= 1
            raise OperationalError("server closed the connection unexpectedly")
        real_commit(self)

    def execute(self: Any, sql: str, params: Any = None) -> Any:
        if not lost["commit"] and lost["clear"] and "claimed_by" in sql:
            lost["clear"] -= 1  # still down for the first try at clearing it again
            raise OperationalError("connection refused")
        return real_execute(self, sql, params)

    monkeypatch.setattr(wrapper, "commit", commit)
    monkeypatch.setattr(CursorWrapper, "execute", execute)
    monkeypatch.setattr(reminders.time, "sleep", lambda seconds: None)
    assert reminders.send_one(row.pk, NOW) == 1
    assert lost == {"commit": 0, "clear": 0}
    row.refresh_from_db()
    assert row.sent_at is not None and row.claimed_by == ""
    assert reminders.send_one(row.pk, NOW) == 0  # the task run again sends nothing
    assert [m.subject.split(":")[0] for m in mail.outbox] == ["Booked"]


@pytest.mark.django_db
def test_an_e_mail_claimed_by_a_worker_that_died_before_sending_is_sent_by_the_next():
    """A SIGKILL between the committed claim and the send: the claim names a process that is
    gone, so the task's next run takes it over and sends; a live process's claim is left be."""
    import socket

    from backcare.clinic import reminders
    from backcare.tasks import worker_id

    b = booking_clinic()
    a = book(b, melbourne(2026, 12, 3, 10))
    mail.outbox.clear()
    row = AppointmentMessage.objects.get(appointment=a, kind="confirmation")
    alive = worker_id(socket.gethostname(), os.getppid())
    AppointmentMessage.objects.filter(pk=row.pk).update(sent_at=NOW, claimed_by=alive)
    assert reminders.send_one(row.pk, NOW) == 0 and mail.outbox == []
    # This process's own claim from a try that lost the database before sending (its worker
    # loop started again): the task's next run sends it.
    mine = worker_id(socket.gethostname(), os.getpid())
    AppointmentMessage.objects.filter(pk=row.pk).update(claimed_by=mine)
    assert reminders.send_one(row.pk, NOW) == 1
    mail.outbox.clear()
    AppointmentMessage.objects.filter(pk=row.pk).update(sent_at=NOW, claimed_by=alive)
    dead = worker_id(socket.gethostname(), _dead_pid())
    AppointmentMessage.objects.filter(pk=row.pk).update(claimed_by=dead)
    assert reminders.send_one(row.pk, NOW) == 1
    assert reminders.send_one(row.pk, NOW) == 0
    assert [m.subject.split(":")[0] for m in mail.outbox] == ["Booked"]
    row.refresh_from_db()
    assert row.claimed_by == ""
