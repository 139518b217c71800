"""A patient writes to their clinic, the physiotherapist replies, the patient reads the reply."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import shoot
from tests.browser.test_clinic import code_for, log_in
from tests.web.people import clinic_for, person

pytestmark = pytest.mark.browser


def test_a_patient_and_their_physio_exchange_messages(page: Page, live_server: Any) -> None:
    maya, _ = person("maya", onset_days=4, pain_now=4)
    clinic_for(maya)
    base = live_server.url

    log_in(page, base, "maya")
    page.goto(base + "/messages/")
    page.get_by_label("Your message").fill("The bridge hurts; I also have a fever since last night")
    page.get_by_role("button", name="Send").click()
    expect(page.locator(".level-emergency")).to_contain_text("Do not wait for a reply")
    shoot(page, "50-messages-patient-warning")

    page.context.clear_cookies()
    log_in(page, base, "priya")
    secret = page.locator("code.secret").inner_text().strip()
    page.get_by_label("The 6-digit code from your authenticator app").fill(code_for(secret))
    page.get_by_role("button", name="Turn it on").click()
    page.goto(base + "/clinic/messages/")
    expect(page.locator(".queue-row").first).to_contain_text("Warning sign")
    shoot(page, "51-messages-inbox")
    page.get_by_role("link", name="maya").click()
    expect(page.locator(".thread")).to_contain_text("fever since last night")
    page.get_by_label("Your reply").fill(
        "Please call 000 if the fever rises; I will ring you at noon"
    )
    page.get_by_role("button", name="Send the reply").click()
    shoot(page, "52-messages-clinic-thread")

    page.context.clear_cookies()
    log_in(page, base, "maya")
    page.goto(base + "/messages/")
    expect(page.locator(".thread")).to_contain_text("I will ring you at noon")
    shoot(page, "53-messages-patient-thread")
