"""The person's journey in a real browser: the check, the result, signing up, Today, a check-in."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from icalendar import Calendar
from playwright.sync_api import Page, expect

from backcare.domain import catalogue
from backcare.domain.assessment import WARNING_SIGNS
from tests.browser.conftest import shoot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def answer_the_check(
    page: Page,
    base: str,
    *,
    yes: tuple[str, ...] = (),
    onset: str = "2",
    mechanism: str = "lifting",
    screenshots: bool = True,
) -> None:
    """From the home page through the warning signs, answering "yes" only to `yes`."""
    snap = shoot if screenshots else (lambda page, name: None)
    page.goto(base + "/")
    snap(page, "01-home")
    page.get_by_role("link", name="Start the check").first.click()
    page.get_by_label("How old are you?").fill("38")
    snap(page, "02-check-about-you")
    page.get_by_role("button", name="Continue").click()
    page.locator("input[name=onset_days]").fill(onset)
    page.locator(f"input[name=mechanism][value={mechanism}]").check()
    page.locator("input[name=pain_now]").fill("5")
    page.locator("input[name=spasm_episodes_per_day]").fill("3")
    snap(page, "03-check-this-episode")
    page.get_by_role("button", name="Continue").click()
    for sign in WARNING_SIGNS:
        page.locator(f"input[name={sign}][value={'yes' if sign in yes else 'no'}]").check()
    snap(page, "04-check-warning-signs")
    page.get_by_role("button", name="Continue").click()


def test_the_self_care_journey(page: Page, live_server: Any) -> None:
    base = live_server.url
    answer_the_check(page, base)
    shoot(page, "05-check-startback")
    page.get_by_role("button", name="Skip these questions").first.click()
    shoot(page, "06-check-lifestyle")
    page.get_by_role("button", name="See my result").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("home")
    expect(page.get_by_text("Walking in short bouts").first).to_be_visible()
    page.get_by_text("Source").first.click()
    shoot(page, "07-result-self-care")

    page.get_by_role("link", name="Save this result").first.click()
    page.get_by_label("Username").fill("maya")
    page.get_by_label("Email").fill("maya@example.org")
    page.get_by_label("Password", exact=True).fill("a long passphrase 42")
    page.get_by_label("Password confirmation").fill("a long passphrase 42")
    shoot(page, "08-signup")
    page.get_by_role("button", name="Create my account").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Today, day 1")
    expect(page.get_by_text("First aid for today")).to_be_visible()
    shoot(page, "09-today")

    page.locator("#timer").get_by_role("button", name="20-minute timer").click()
    expect(page.locator("[data-countdown]")).to_contain_text("left")
    shoot(page, "09b-today-timer")
    page.get_by_role("button", name="I have taken it off").click()
    expect(page.locator("#timer")).to_contain_text("Next ice or heat from")
    page.locator(".day").get_by_role("link", name="Walking in short bouts").click()
    walking = page.locator("#ex-walking [data-follow-along]")
    walking.get_by_role("button", name="Follow along").click()
    expect(walking.locator("[data-status]")).to_contain_text("Keep going")
    walking.get_by_role("button", name="Stop").click()
    expect(walking.locator("[data-status]")).to_contain_text("Stopped")

    page.get_by_role("link", name="Check in").first.click()
    page.locator("input[name=pain_now][value='4']").check()
    page.locator("input[name=spasm_episodes]").fill("2")
    page.locator("input[name=exercises_done]").first.check()
    page.locator("input[name=pain_during_exercise][value='2']").check()
    page.locator("input[name=new_warning_signs][value=none]").check()
    shoot(page, "10-check-in")
    page.get_by_role("button", name="Save my check-in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("your check-in is saved")
    shoot(page, "11-check-in-result")

    page.get_by_role("link", name="Progress").first.click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    chart = page.locator("img[src*='/progress/chart/pain.svg']")
    expect(chart).to_be_visible()
    # Visible is not loaded: wait (up to the usual timeout) for the SVG itself to arrive and draw.
    loaded = "s => { const i = document.querySelector(s); return i?.complete && i.naturalWidth }"
    page.wait_for_function(loaded, arg="img[src*='/progress/chart/pain.svg']")
    shoot(page, "12-progress")

    page.get_by_role("link", name="Learn").first.click()
    page.locator("input[name=q]").fill("hamstring")
    page.get_by_role("button", name="Search").click()
    shoot(page, "13-learn-search")
    page.get_by_role("link", name="Gentle stretching of the hips and thighs").first.click()
    expect(page.get_by_role("heading", name="Sources")).to_be_visible()
    shoot(page, "14-learn-topic")

    page.get_by_role("link", name="Today").first.click()
    with page.expect_download() as pdf:
        page.get_by_role("link", name="Download your programme (PDF)").click()
    assert pdf.value.suggested_filename.endswith(".pdf")
    assert Path(pdf.value.path()).read_bytes()[:4] == b"%PDF"
    with page.expect_download() as ics:
        page.get_by_role("link", name="Add to your calendar (.ics)").click()
    calendar = Calendar.from_ical(Path(ics.value.path()).read_bytes())
    assert any(c.name == "VEVENT" for c in calendar.walk())

    page.get_by_role("link", name="Account").first.click()
    shoot(page, "15-account")
    page.get_by_role("link", name="Delete your account").first.click()
    shoot(page, "16-delete-account")


def test_the_emergency_path_shows_no_exercises_anywhere(page: Page, live_server: Any) -> None:
    answer_the_check(page, live_server.url, yes=("bladder_or_bowel_change",))
    alert = page.locator(".alert-emergency")
    expect(alert).to_be_visible()
    expect(alert).to_contain_text("emergency")
    text = page.locator("body").inner_text()
    for exercise in catalogue.exercises().values():
        assert exercise.name not in text
    assert "First aid" not in text
    shoot(page, "20-result-emergency")


def test_an_unanswered_warning_sign_is_shown_beside_the_question(
    page: Page, live_server: Any
) -> None:
    base = live_server.url
    page.goto(base + "/check/?restart=1")
    page.get_by_label("How old are you?").fill("38")
    page.get_by_role("button", name="Continue").click()
    page.locator("input[name=onset_days]").fill("2")
    page.locator("input[name=mechanism][value=lifting]").check()
    page.locator("input[name=pain_now]").fill("5")
    page.locator("input[name=spasm_episodes_per_day]").fill("3")
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Continue").click()
    shoot(page, "21-check-missing-answers")
    expect(page.locator(".error-summary")).to_be_visible()
    expect(page.get_by_text("Answer yes or no to this question.").first).to_be_visible()
