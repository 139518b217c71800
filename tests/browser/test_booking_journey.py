"""Issue 10's whole path in a real browser: a stranger's check says "see a physiotherapist"; they
book the first free time at a location they choose, signing up on the way; the confirmation
arrives as an e-mail file with an .ics that icalendar reads; they move the appointment; their
physiotherapist sees it on the record with the reason they came. Screenshots at phone width (and
desktop), axe on every page shot."""

from __future__ import annotations

import email
from datetime import timedelta
from email.message import Message
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from icalendar import Calendar
from playwright.sync_api import Browser, Page, expect

from backcare.clinic.models import Appointment, ClinicBookingSettings, Location
from tests.browser.conftest import PHONE, shoot
from tests.browser.test_clinic import code_for, log_in
from tests.browser.test_journey import answer_the_check
from tests.web.booking_people import booking_clinic, run_due_tasks

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sent(outbox: Path) -> list[Message]:
    """Every e-mail the outbox wrote (a file each), oldest first."""
    files = sorted(outbox.glob("*.eml"), key=lambda f: f.stat().st_mtime_ns)
    return [email.message_from_bytes(f.read_bytes()) for f in files]


def calendar_of(message: Message) -> Calendar:
    parts = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    assert len(parts) == 1, "one .ics attachment"
    payload = parts[0].get_payload(decode=True)
    assert isinstance(payload, bytes)
    return Calendar.from_ical(payload)


def test_a_new_patient_books_from_the_result_reschedules_and_the_physio_sees_why(
    page: Page, browser: Browser, live_server: Any, settings: Any, tmp_path: Path
) -> None:
    outbox = tmp_path / "sent-email"
    settings.EMAIL_BACKEND = "backcare.lib.mail.OutboxBackend"
    settings.EMAIL_FILE_PATH = outbox
    b = booking_clinic()
    # The browser runs on the real clock: with more notice than the change cut-off, the first
    # free time can always still be moved online, whatever the hour this runs.
    ClinicBookingSettings.objects.create(
        clinic=b.c.clinic, min_notice_minutes=26 * 60, cancel_cutoff_hours=24
    )
    Location.objects.create(
        clinic=b.c.clinic,
        name="Fortitude Valley",
        slug="fortitude-valley",
        timezone="Australia/Brisbane",
        suburb="Fortitude Valley",
        postcode="4006",
        phone="+61 7 3000 0000",
    )
    base = live_server.url

    answer_the_check(page, base, yes=("pain_radiates_below_knee",), screenshots=False)
    page.get_by_role("button", name="Skip these questions").first.click()
    page.get_by_role("button", name="See my result").click()
    expect(page.locator(".level-see_doctor")).to_be_visible()
    shoot(page, "journey-book-01-result")

    page.get_by_role("link", name="Book an appointment with a physiotherapist").click()
    expect(page.get_by_role("link", name="Fortitude Valley")).to_be_visible()
    shoot(page, "journey-book-02-locations")
    page.get_by_role("link", name="Quay").first.click()
    page.get_by_role("link", name="Initial assessment").click()
    expect(page.get_by_text("Australia/Melbourne").first).to_be_visible()
    shoot(page, "journey-book-03-slots-anonymous")

    page.get_by_role("link", name="sign up").click()
    expect(page.get_by_text("Your booking choices are kept")).to_be_visible()
    page.get_by_label("Username").fill("noor")
    page.get_by_label("Email").fill("noor@example.org")
    page.get_by_label("Password", exact=True).fill("a long passphrase 42")
    page.get_by_label("Password confirmation").fill("a long passphrase 42")
    shoot(page, "journey-book-04-signup")
    page.get_by_role("button", name="Create my account").click()

    first = page.locator(".slot-list button").first
    expect(first).to_be_visible()
    shoot(page, "journey-book-05-slots")
    first.click()
    expect(page.get_by_role("heading", name="Initial assessment")).to_be_visible()
    shoot(page, "journey-book-06-booked")

    a = Appointment.objects.select_related("patient__user", "location").get()
    assert a.patient.user.username == "noor" and a.location.name == "Quay"
    assert a.status == "booked" and a.reason, "the result's reason rides along"
    assert a.patient.clinic_id == b.c.clinic.pk, "a new patient joins the clinic they book"

    run_due_tasks(timezone.now() + timedelta(seconds=1))
    confirmation = [m for m in sent(outbox) if m["To"] == "noor@example.org"]
    assert len(confirmation) == 1, [m["Subject"] for m in sent(outbox)]
    event = next(c for c in calendar_of(confirmation[0]).walk() if c.name == "VEVENT")
    assert event.decoded("DTSTART") == a.start
    assert event.decoded("DTEND") == a.start + timedelta(minutes=45)
    assert "Quay" in str(event.get("LOCATION"))

    moved_to = page.locator("form:has(input[value=move]) .slot-list button").nth(1)
    moved_to.click()
    expect(page.get_by_text("Status: Booked")).to_be_visible()
    shoot(page, "journey-book-07-moved")
    a.refresh_from_db()
    old_start = event.decoded("DTSTART")
    assert a.start != old_start and a.status == "booked"
    assert Appointment.objects.count() == 1, "moving changes the one appointment"

    run_due_tasks(timezone.now() + timedelta(seconds=2))
    later = [m for m in sent(outbox) if m["To"] == "noor@example.org"][1:]
    assert len(later) == 1, "one e-mail about the new time"
    moved = next(c for c in calendar_of(later[0]).walk() if c.name == "VEVENT")
    assert moved.decoded("DTSTART") == a.start

    physio = browser.new_context(viewport=PHONE).new_page()
    log_in(physio, base, "priya")
    secret = physio.locator("code.secret").inner_text().strip()
    physio.get_by_label("The 6-digit code from your authenticator app").fill(code_for(secret))
    physio.get_by_role("button", name="Turn it on").click()
    physio.goto(f"{base}/clinic/patients/{a.patient_id}/")
    section = physio.locator("#appointments")
    expect(section).to_contain_text("Initial assessment")
    expect(section).to_contain_text(f"Why they booked: {a.reason}")
    shoot(physio, "journey-book-08-physio-record")
    physio.context.close()
