"""A physiotherapist writes a SOAP note with TENS and a joint mobilisation in a real browser,
signs it and sees it on the record; axe on the note form and the note page."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import audit, shoot
from tests.browser.test_clinic import code_for, log_in
from tests.web.people import clinic_for, person

pytestmark = pytest.mark.browser


def test_a_physio_writes_signs_and_sees_a_soap_note(page: Page, live_server: Any) -> None:
    maya, _ = person("maya", onset_days=4, pain_now=4)
    clinic_for(maya)
    base = live_server.url
    log_in(page, base, "priya")
    secret = page.locator("code.secret").inner_text().strip()
    page.get_by_label("The 6-digit code from your authenticator app").fill(code_for(secret))
    page.get_by_role("button", name="Turn it on").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Who needs attention")

    page.goto(f"{base}/clinic/patients/{maya.patient.pk}/")
    page.get_by_role("link", name="Write a note").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Write a treatment note")
    expect(page.locator(".nice-info")).to_contain_text("NICE")
    page.get_by_label("Pain now, 0 to 10 (NPRS)").fill("6")
    page.get_by_label("History, what eases and aggravates").fill("Locked up lifting on Monday.")
    page.get_by_label("Range of movement").fill("Flexion to knees.")
    page.get_by_label("Working impression").fill("Acute non-specific low back pain.")
    page.get_by_label("Home-programme changes").fill("Walking daily; review in a week.")
    page.get_by_label("Add a treatment").select_option("tens")
    page.get_by_role("button", name="Add its fields").click()
    page.get_by_label("Mode").select_option("conventional")
    page.get_by_label("Frequency (Hz)").fill("100")
    page.get_by_label("Pulse width (microseconds)").fill("200")
    page.locator("#t0-minutes").fill("20")
    page.get_by_label("Intensity").select_option("strong_but_comfortable")
    page.get_by_label("Electrode sites").fill("L4/5 paraspinals")
    page.get_by_label("Device").fill("Unit 2")
    page.get_by_label("Add a treatment").select_option("mobilisation")
    page.get_by_role("button", name="Add its fields").click()
    page.get_by_label("Technique").select_option("central_pa")
    page.get_by_label("Spinal level (e.g. L4/5)").fill("L4/5")
    page.get_by_label("Maitland grade (V = manipulation)").select_option("III")
    page.locator("#t1-sets").fill("3")
    page.get_by_label("Seconds per set").fill("30")
    shoot(page, "50-clinic-note-form")

    page.get_by_role("button", name="Save the draft").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Treatment note")
    expect(page.locator("article")).to_contain_text("TENS, conventional 100 Hz 200 us")
    page.get_by_role("button", name="Sign the note").click()
    expect(page.locator(".messages")).to_contain_text("Signed")
    expect(page.locator("article")).to_contain_text("Signed by Priya")
    shoot(page, "51-clinic-note")

    page.get_by_role("link", name="Back to").click()
    notes = page.locator("#notes")
    expect(notes).to_contain_text("Signed")
    expect(notes).to_contain_text("Mobilisation L4/5, grade III")
    audit(page, "record with notes")
