"""The outbox delivers a Message-ID once: a booking e-mail or waitlist offer retried after its
worker was killed between sending and recording it is not delivered twice. Found by
scripts/fault.py (a confirmation in the outbox twice after a SIGKILL)."""

from __future__ import annotations

import email
import os
import socket
from pathlib import Path

import pytest
from django.core.mail import EmailMessage

from backcare.clinic import reminders
from backcare.clinic.models import AppointmentMessage
from backcare.lib.mail import OutboxBackend, stable_message_id
from backcare.tasks import worker_id
from tests.web.booking_people import NOW, booking_clinic, melbourne, sam_waits_for_thursday_mornings
from tests.web.test_tasks import _dead_pid, book


@pytest.fixture
def outbox(settings, tmp_path: Path) -> Path:
    folder = tmp_path / "sent-email"
    settings.EMAIL_BACKEND = "backcare.lib.mail.OutboxBackend"
    settings.EMAIL_FILE_PATH = folder
    return folder


def letters(folder: Path) -> list[email.message.Message]:
    return [email.message_from_bytes(p.read_bytes()) for p in sorted(folder.glob("*.eml"))]


def test_a_message_id_is_delivered_once_and_others_each_get_a_file(outbox: Path, settings) -> None:
    settings.DEFAULT_FROM_EMAIL = "Richmond Physio <noreply@localhost>"
    same = stable_message_id("confirmation-7", "20261201T110000000000", 3)
    assert same == stable_message_id("confirmation-7", "20261201T110000000000", 3)
    assert same != stable_message_id("confirmation-7", "20261201T110000000001", 3)
    assert same.startswith("<confirmation-7.") and same.endswith("@localhost>")
    for body in ("first try", "second try"):
        sent = EmailMessage("Booked", body, to=["maya@example.com"], headers={"Message-ID": same})
        assert sent.send() == 1  # taken as sent: the first try delivered it
    EmailMessage("Password reset", "one", to=["maya@example.com"]).send()
    EmailMessage("Password reset", "two", to=["maya@example.com"]).send()  # ids of their own
    got = letters(outbox)
    assert sorted(m.get_payload() for m in got) == ["first try", "one", "two"]
    assert [m["Message-ID"] for m in got].count(same) == 1
    assert not [p for p in outbox.iterdir() if not p.name.endswith(".eml")]  # nothing left aside


def test_ids_that_differ_only_in_unreadable_characters_get_files_of_their_own(
    outbox: Path,
) -> None:
    backend = OutboxBackend()
    for mid in ("<a b@x>", "<a+b@x>", "<ab@x>"):
        backend.send_messages(
            [EmailMessage("s", mid, to=["m@example.com"], headers={"Message-ID": mid})]
        )
    assert len(letters(outbox)) == 3


def test_mail_sent_over_one_connection_leaves_only_its_messages(outbox: Path) -> None:
    from django.core.mail import get_connection, send_mass_mail

    with get_connection() as connection:
        connection.send_messages([EmailMessage("a", "one", to=["m@example.com"])])
    send_mass_mail([("b", "two", None, ["m@example.com"]), ("c", "three", None, ["n@example.com"])])
    assert sorted(p.suffix for p in outbox.iterdir()) == [".eml"] * 3


def test_a_message_with_no_recipient_is_not_written(outbox: Path) -> None:
    assert OutboxBackend().send_messages([EmailMessage("s", "b", to=[])]) == 0
    assert not outbox.exists() or letters(outbox) == []


@pytest.mark.django_db
def test_a_confirmation_retried_after_a_kill_mid_send_is_in_the_outbox_once(
    outbox: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The kill that fault.py found: the e-mail was written, then the worker was SIGKILLed before
    it cleared its claim. The task's next run takes the dead worker's claim over and sends
    again, with the same Message-ID: the outbox has it, so the patient gets one e-mail."""
    b = booking_clinic()
    a = book(b, melbourne(2026, 12, 3, 10))
    row = AppointmentMessage.objects.get(appointment=a, kind="confirmation")
    assert reminders.send_one(row.pk, NOW) == 1
    dead = worker_id(socket.gethostname(), _dead_pid())
    AppointmentMessage.objects.filter(pk=row.pk).update(sent_at=NOW, claimed_by=dead)
    assert reminders.send_one(row.pk, NOW) == 1  # sent again, as far as the worker knows
    assert "was delivered by an earlier try" in caplog.text  # a worker died mid-send: said
    got = letters(outbox)
    assert [m["Subject"].split(":")[0] for m in got] == ["Booked"]
    assert got[0]["Message-ID"] == reminders.message_id(row)  # one line, unfolded
    assert got[0]["Message-ID"].startswith(f"<confirmation-{row.pk}.")
    row.refresh_from_db()
    assert row.claimed_by == "" and row.sent_at is not None


@pytest.mark.django_db
def test_a_moved_appointments_new_confirmation_is_a_new_message(outbox: Path) -> None:
    """Moving an appointment makes a new confirmation (a new due time, so a new Message-ID): it
    is delivered, not taken for the first one, even when the move comes within the second."""
    from datetime import timedelta

    from backcare.clinic.booking_actions import do_move

    b = booking_clinic()
    a = book(b, melbourne(2026, 12, 3, 10))
    row = AppointmentMessage.objects.get(appointment=a, kind="confirmation")
    reminders.send_one(row.pk, NOW)
    later = NOW + timedelta(milliseconds=300)
    do_move(b.maya, a, start=melbourne(2026, 12, 4, 10), now=later, by_patient=True)
    assert reminders.send_one(row.pk, later) == 1
    assert [m["Subject"].split(":")[0] for m in letters(outbox)] == ["Booked", "Booked"]


@pytest.mark.django_db
def test_a_waitlist_offer_sent_again_after_a_kill_before_its_commit_is_in_the_outbox_once(
    outbox: Path,
) -> None:
    """The offer is e-mailed inside its claim's transaction: a worker killed after sending and
    before the commit leaves the offer unclaimed, and the retry sends it with the same
    Message-ID."""
    from datetime import timedelta

    from backcare.clinic.booking_actions import do_cancel
    from backcare.clinic.models import WaitlistEntry
    from backcare.clinic.waitlist import deliver_offer

    b = booking_clinic()
    a = book(b, melbourne(2026, 12, 3, 10))
    sam_waits_for_thursday_mornings(b, NOW - timedelta(days=1))
    do_cancel(b.c.rob, a, now=NOW, by_patient=False)
    entry = WaitlistEntry.objects.get()
    assert deliver_offer(entry.pk, NOW) == "sent"
    WaitlistEntry.objects.filter(pk=entry.pk).update(offer_emailed_at=None)  # the lost commit
    assert deliver_offer(entry.pk, NOW + timedelta(seconds=5)) == "sent"
    offers = [m for m in letters(outbox) if m["Subject"] == "An earlier appointment is free"]
    assert [m["To"] for m in offers] == ["sam@example.org"]


def test_the_worker_start_sweeps_half_written_files_a_kill_left(outbox: Path, settings) -> None:
    """A worker killed while writing leaves its file aside (hidden, never read as e-mail); the
    next worker's start removes it once it is older than any write, and leaves a fresh one
    (another worker may be writing it) and every e-mail."""
    import time

    from django.core.management import call_command

    EmailMessage("Booked", "kept", to=["maya@example.com"]).send()
    old, fresh = outbox / ".tmpold.part", outbox / ".tmpfresh.part"
    old.write_bytes(b"Subject: Booked: half")
    fresh.write_bytes(b"Subject: Booked: being written")
    an_hour_ago = time.time() - 3600
    os.utime(old, (an_hour_ago, an_hour_ago))
    settings.BACKCARE_TASKS = "IMMEDIATE"  # the sweep, then no worker loop to run
    call_command("task_worker", "--batch", "--interval", "0")
    assert not old.exists() and fresh.exists()
    assert [m.get_payload() for m in letters(outbox)] == ["kept"]
