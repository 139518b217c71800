"""In the browser: a patient asks to hear of an earlier time; a receptionist books for a patient
from the patient's page. Screenshots at phone and desktop width, axe on each."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from backcare.clinic.booking_actions import do_book, free_slots_for
from backcare.clinic.models import Appointment, WaitlistEntry
from tests.browser.conftest import shoot
from tests.browser.test_clinic import code_for, log_in
from tests.web.booking_people import booking_clinic

pytestmark = pytest.mark.browser


def test_a_patient_joins_the_waitlist(page: Page, live_server: Any) -> None:
    b = booking_clinic()
    now = timezone.now()
    day = now.date() + timedelta(days=8)
    slot = free_slots_for(b.c.location, b.follow_up, first_day=day, last_day=day, now=now)[0]
    a = do_book(
        b.maya,
        patient=b.maya.patient,
        practitioner=b.c.priya.staff,
        location=b.c.location,
        appointment_type=b.follow_up,
        start=slot.start,
        now=now,
    )
    base = live_server.url
    log_in(page, base, "maya")
    page.goto(f"{base}/appointments/{a.pk}/")
    page.get_by_role("link", name="Tell me if an earlier time frees up").click()
    page.get_by_label("Monday").check()
    page.get_by_label("Friday").check()
    page.locator("#window_start_1").fill("07:00")
    page.locator("#window_end_1").fill("09:30")
    shoot(page, "waitlist-form")
    page.get_by_role("button", name="Tell me").click()
    expect(page.get_by_role("heading", name="You are waiting for an earlier day")).to_be_visible()
    expect(page.get_by_text("Mondays and Fridays, 07:00–09:30")).to_be_visible()
    shoot(page, "waitlist-waiting")
    assert WaitlistEntry.objects.get().weekdays == [0, 4]
    page.get_by_role("button", name="Remove my wish").click()
    expect(page.get_by_role("button", name="Tell me")).to_be_visible()
    assert not WaitlistEntry.objects.exists()


def test_a_receptionist_books_for_a_patient(page: Page, live_server: Any) -> None:
    b = booking_clinic()
    base = live_server.url
    log_in(page, base, "rob")
    secret = page.locator("code.secret").inner_text().strip()
    page.get_by_label("The 6-digit code from your authenticator app").fill(code_for(secret))
    page.get_by_role("button", name="Turn it on").click()
    page.goto(f"{base}/clinic/patients/{b.maya.patient.pk}/")
    page.get_by_role("link", name="Book an appointment").first.click()
    page.get_by_role("link", name="Quay").click()
    page.get_by_role("link", name="Follow-up").click()
    expect(page.get_by_text("Australia/Melbourne").first).to_be_visible()
    shoot(page, "staff-book-slots")
    page.locator(".slot-list button").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(b.maya.patient.name)
    expect(page.locator("#appointments")).to_contain_text("Follow-up")
    shoot(page, "staff-book-done")
    a = Appointment.objects.get()
    assert a.patient_id == b.maya.patient.pk and a.booked_by == b.c.rob
