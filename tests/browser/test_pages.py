"""Every other page audited with axe-core, and the check done with the keyboard alone."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from backcare.domain.assessment import WARNING_SIGNS
from tests.browser.conftest import shoot
from tests.browser.test_journey import answer_the_check

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("/account/login/", "30-login"),
        ("/account/password_reset/", "31-password-reset"),
        ("/account/signup/", "32-signup-empty"),
        ("/learn/", "33-learn"),
        ("/learn/medicines/", "34-learn-medicines"),
        ("/check/?restart=1", "35-check-start"),
        ("/exercises/", "50-exercises"),
        ("/no-such-page/", "51-not-found"),
        ("/account/logout/", "52-logout-not-logged-in"),
    ],
)
def test_public_pages_pass_axe(page: Page, live_server: Any, path: str, name: str) -> None:
    page.goto(live_server.url + path)
    expect(page.locator("h1")).to_have_count(1)
    shoot(page, name)


def test_errors_on_the_login_and_signup_forms_pass_axe(page: Page, live_server: Any) -> None:
    page.goto(live_server.url + "/account/login/")
    page.get_by_role("button", name="Log in").click()
    expect(page.locator(".error-summary")).to_be_visible()
    shoot(page, "36-login-errors")
    page.goto(live_server.url + "/account/signup/")
    page.get_by_role("button", name="Create my account").click()
    expect(page.locator(".error-summary")).to_be_visible()
    shoot(page, "37-signup-errors")


def test_the_check_can_be_done_with_the_keyboard_alone(page: Page, live_server: Any) -> None:
    page.goto(live_server.url + "/check/?restart=1")
    page.keyboard.press("Tab")  # the skip link comes first
    expect(page.get_by_role("link", name="Skip to content")).to_be_focused()
    page.get_by_label("How old are you?").focus()
    page.keyboard.type("45")
    page.keyboard.press("Enter")  # submits the step
    expect(page.locator("input[name=onset_days]")).to_be_visible()
    page.locator("input[name=onset_days]").focus()
    page.keyboard.type("3")
    page.locator("input[name=mechanism][value=bending]").focus()
    page.keyboard.press("Space")
    page.locator("input[name=pain_now]").focus()
    page.keyboard.type("4")
    page.locator("input[name=spasm_episodes_per_day]").focus()
    page.keyboard.type("2")
    page.keyboard.press("Enter")
    for sign in WARNING_SIGNS:
        page.locator(f"input[name={sign}][value=no]").focus()
        page.keyboard.press("Space")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).not_to_contain_text("warning signs")


def test_a_see_doctor_result_passes_axe(page: Page, live_server: Any) -> None:
    answer_the_check(
        page,
        live_server.url,
        yes=("pain_radiates_below_knee",),
        onset="20",
        mechanism="sitting",
        screenshots=False,
    )
    page.get_by_role("button", name="Skip these questions").first.click()
    page.get_by_role("button", name="See my result").click()
    expect(page.locator(".level-see_doctor")).to_be_visible()
    shoot(page, "38-result-see-doctor")
