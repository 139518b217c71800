"""An administrator invites a physiotherapist; she joins from the e-mail, sets up her
authenticator app and lands on the queue."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from backcare.accounts.models import StaffMember
from tests.browser.conftest import shoot
from tests.browser.test_clinic import code_for, log_in
from tests.web.people import clinic_for

pytestmark = pytest.mark.browser


def test_an_admin_invites_and_the_newcomer_joins_and_sees_the_queue(
    page: Page, live_server: Any
) -> None:
    c = clinic_for()
    StaffMember.objects.filter(user=c.priya).update(is_admin=True)
    base = live_server.url

    log_in(page, base, "priya")
    secret = page.locator("code.secret").inner_text().strip()
    page.get_by_label("The 6-digit code from your authenticator app").fill(code_for(secret))
    page.get_by_role("button", name="Turn it on").click()
    page.get_by_role("link", name="Staff").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Staff")
    page.get_by_label("Name").fill("Nina Novak")
    page.get_by_label("E-mail address").fill("nina@clinic.example")
    page.get_by_label("Role").select_option("physio")
    page.get_by_label("Quay").check()
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.locator(".messages")).to_contain_text("Invitation sent to nina@clinic.example")
    expect(page.locator(".invites")).to_contain_text("Nina Novak")
    shoot(page, "50-clinic-staff")

    found = re.search(r"https?://[^\s]+/clinic/join/[^/\s]+/", mail.outbox[-1].body)
    assert found, mail.outbox[-1].body
    page.context.clear_cookies()
    page.goto(found.group(0))
    expect(page.get_by_role("heading", level=1)).to_have_text("Join Harbour Physio")
    shoot(page, "51-clinic-join")
    page.get_by_label("Username").fill("nina")
    page.get_by_label("Password").fill("a fresh long passphrase 77")
    page.get_by_role("button", name="Create my login").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up your authenticator app")
    secret = page.locator("code.secret").inner_text().strip()
    page.get_by_label("The 6-digit code from your authenticator app").fill(code_for(secret))
    page.get_by_role("button", name="Turn it on").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Who needs attention")
    shoot(page, "52-clinic-newcomer-queue")
