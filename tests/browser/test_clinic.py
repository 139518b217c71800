"""A physiotherapist's morning in a real browser: second factor, the queue, a flagged patient,
a swapped and locked programme; then the patient sees the change on Today."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from django_otp.oath import totp
from playwright.sync_api import Page, expect

from tests.browser.conftest import shoot
from tests.web.people import PASSWORD, clinic_for, logged_in, person

pytestmark = pytest.mark.browser


def log_in(page: Page, base: str, username: str) -> None:
    page.goto(base + "/account/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def code_for(secret: str) -> str:
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    return f"{totp(key):06d}"


def test_a_physio_sets_up_totp_opens_a_flagged_patient_and_changes_the_programme(
    page: Page, live_server: Any
) -> None:
    maya, plan = person("maya", onset_days=4, pain_now=4)
    c = clinic_for(maya)
    logged_in(maya).post(
        "/check-in/", {"pain_now": "8", "spasm_episodes": "3", "new_warning_signs": ["none"]}
    )
    base = live_server.url

    log_in(page, base, "priya")
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up your authenticator app")
    shoot(page, "40-clinic-second-factor")
    secret = page.locator("code.secret").inner_text().strip()
    page.get_by_label("The 6-digit code from your authenticator app").fill(code_for(secret))
    page.get_by_role("button", name="Turn it on").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Who needs attention")
    row = page.locator(".queue-row").first
    expect(row).to_contain_text("maya")
    expect(row).to_contain_text("Pain 8/10 on the latest check-in.")
    shoot(page, "41-clinic-queue")

    row.get_by_role("link", name="maya").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("maya")
    names = [p["exercise"] for p in plan.state["prescriptions"]]
    assert "bridge" in names
    page.locator("summary", has_text="Change the programme").click()
    page.get_by_label("Change", exact=True).select_option("swap")
    page.get_by_label("Exercise", exact=True).select_option("bridge")
    page.get_by_label("Swap to (for a swap)").select_option("pelvic_tilt")
    page.get_by_label("Note to the patient").fill("Gentler while the pain is high")
    page.get_by_role("button", name="Make the change").click()
    expect(page.locator(".messages")).to_contain_text("The programme is changed")
    page.locator("summary", has_text="Change the programme").click()
    page.get_by_label("Change", exact=True).select_option("lock")
    page.get_by_label("Exercise", exact=True).select_option("*")
    page.get_by_label("Note to the patient").fill("Hold everything until I see you on Friday")
    page.get_by_role("button", name="Make the change").click()
    expect(page.locator("#programme")).to_contain_text("Pelvic tilt")
    expect(page.locator("#history")).to_contain_text("Hold everything until I see you on Friday")
    shoot(page, "42-clinic-record")

    page.context.clear_cookies()
    log_in(page, base, "maya")
    page.goto(base + "/today/")
    expect(page.locator(".physio-change")).to_contain_text("Hold everything until I see you")
    expect(page.locator(".day")).to_contain_text("Pelvic tilt")
    shoot(page, "43-today-after-the-physio")
    del c
