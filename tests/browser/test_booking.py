"""A patient books from their see-a-doctor result, in the browser, at phone and desktop width."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from backcare.care.actions import do_save_assessment
from backcare.clinic.models import Appointment
from backcare.domain.assessment import Assessment
from tests.browser.conftest import shoot
from tests.browser.test_clinic import log_in
from tests.domain.people import answers
from tests.web.booking_people import booking_clinic

pytestmark = pytest.mark.browser


def test_a_patient_books_from_the_result_page(page: Page, live_server: Any) -> None:
    b = booking_clinic()
    record = do_save_assessment(
        b.maya,
        b.maya.patient,
        Assessment.model_validate(answers(pain_radiates_below_knee=True)),
        now=timezone.now(),
    )
    assert record.level == "see_doctor"
    base = live_server.url
    log_in(page, base, "maya")
    page.goto(f"{base}/result/{record.pk}/")
    page.get_by_role("link", name="Book an appointment with a physiotherapist").click()
    shoot(page, "booking-location")
    page.get_by_role("link", name="Quay").first.click()
    page.get_by_role("link", name="Initial assessment").click()
    expect(page.get_by_text("Australia/Melbourne").first).to_be_visible()
    shoot(page, "booking-slots")
    page.locator(".slot-list button").first.click()
    expect(page.get_by_role("heading", name="Initial assessment")).to_be_visible()
    shoot(page, "booking-done")
    a = Appointment.objects.get()
    assert a.reason and a.patient_id == b.maya.patient.pk
    page.goto(f"{base}/appointments/")
    shoot(page, "booking-appointments")
