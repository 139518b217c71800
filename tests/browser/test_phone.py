"""On a 390 px phone: targets a shaking thumb can hit, a Today that fits in a few screens, and an
ice timer that keeps its place and rings at the end."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import shoot
from tests.web.people import PASSWORD, person

pytestmark = pytest.mark.browser

MIN_TARGET = 44


def log_in(page: Page, base: str, username: str) -> None:
    page.goto(base + "/account/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def small_targets(page: Page) -> list[str]:
    """Every visible control whose tap target (its label, for a box) is under 44 x 44 px."""
    return page.evaluate(
        """(min) => {
          const out = [];
          const seen = (el) => el.getClientRects().length > 0;
          const controls = 'main input, main select, main button, main summary';
          for (const el of document.querySelectorAll(controls)) {
            if (!seen(el) || el.type === 'hidden') continue;
            let box = el.getBoundingClientRect();
            if (el.type === 'checkbox' || el.type === 'radio') {
              const label = el.closest('label') || document.querySelector(`label[for="${el.id}"]`);
              if (el.getBoundingClientRect().width < 24) {
                out.push(`${el.name}=${el.value}: box shrank`);
              }
              if (label) box = label.getBoundingClientRect();
            }
            if (box.width < min || box.height < min) {
              out.push(`${el.tagName} ${el.name || el.textContent.trim().slice(0, 30)}: `
                + `${Math.round(box.width)}x${Math.round(box.height)}`);
            }
          }
          return out;
        }""",
        MIN_TARGET,
    )


def test_every_check_in_control_is_a_44_px_target_on_a_phone(page: Page, live_server: Any) -> None:
    person("maya", onset_days=4, pain_now=4)
    log_in(page, live_server.url, "maya")
    page.goto(live_server.url + "/check-in/")
    assert small_targets(page) == []
    shoot(page, "30-check-in-phone")


def test_every_check_control_is_a_44_px_target_on_a_phone(page: Page, live_server: Any) -> None:
    page.goto(live_server.url + "/check/?restart=1")
    page.get_by_label("How old are you?").fill("38")
    page.get_by_role("button", name="Continue").click()
    page.locator("input[name=onset_days]").fill("2")
    page.locator("input[name=mechanism][value=lifting]").check()
    page.locator("input[name=pain_now]").fill("5")
    page.locator("input[name=spasm_episodes_per_day]").fill("3")
    page.get_by_role("button", name="Continue").click()
    assert small_targets(page) == []


def test_today_is_a_short_checklist_with_each_exercise_one_tap_away(
    page: Page, live_server: Any
) -> None:
    _, plan = person("maya", onset_days=4, pain_now=4)
    log_in(page, live_server.url, "maya")
    page.goto(live_server.url + "/today/")
    day = page.locator(".day")
    expect(day).to_be_visible()
    names = [p["exercise"] for p in plan.state["prescriptions"]]
    assert day.locator(".exercise-list li").count() == len(names)
    height = page.evaluate("document.documentElement.scrollHeight")
    # About six phone screens, most of it the emergency signs, shown in full on purpose; the
    # day itself is the first screen.
    assert height < 5000, f"Today is {height} px tall on a phone"
    assert day.bounding_box()["y"] < 844
    assert small_targets(page) == []
    first = page.locator(f"#ex-{names[0]}")
    expect(first.locator(".exercise-steps")).to_be_hidden()
    day.get_by_role("link").filter(has_text=first.locator(".exercise-name").inner_text()).click()
    expect(first.locator(".exercise-steps")).to_be_visible()
    expect(first.locator("img.figure-img")).to_be_visible()
    shoot(page, "31-today-phone")


def test_the_ice_timer_keeps_its_place_and_rings_at_the_end(page: Page, live_server: Any) -> None:
    person("maya", onset_days=1, pain_now=4)
    # Record what the page asks of the phone: sound, vibration and a notification.
    page.add_init_script(
        """
        window.__rang = [];
        navigator.vibrate = (p) => { window.__rang.push('vibrate'); return true; };
        class FakeNotification { constructor(t, o) { window.__rang.push('notify:' + o.body); } }
        FakeNotification.permission = 'granted';
        FakeNotification.requestPermission = () => Promise.resolve('granted');
        window.Notification = FakeNotification;
        const Real = window.AudioContext;
        window.AudioContext = function () { window.__rang.push('sound'); return new Real(); };
        """
    )
    page.clock.install()
    log_in(page, live_server.url, "maya")
    page.goto(live_server.url + "/today/")
    page.locator("#timer").get_by_role("button").click()
    assert page.url.endswith("/today/#timer")
    timer = page.locator("#timer")
    expect(timer.locator("[data-countdown]")).to_contain_text("left")
    expect(timer).to_be_in_viewport(ratio=0.95)  # kept its place: not back at the top
    shoot(page, "32-today-timer-phone")
    page.clock.fast_forward("20:05")
    expect(timer.locator("[data-countdown]")).to_contain_text("time is up")
    rang = page.evaluate("window.__rang")
    assert "sound" in rang and "vibrate" in rang
    assert any(r.startswith("notify:") for r in rang)
