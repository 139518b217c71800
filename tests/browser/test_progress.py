"""A long episode's Progress page in the browser: the weekly tables hold the latest 12 weeks,
and one link shows every week, opened where the person was reading."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import shoot
from tests.browser.test_phone import log_in
from tests.web.people import signed_up
from tests.web.test_progress_page import days_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_every_week_is_one_tap_from_the_latest_twelve(page: Page, live_server: Any) -> None:
    days_of(signed_up("maya"), 120)  # 18 weeks
    log_in(page, live_server.url, "maya")
    page.goto(live_server.url + "/progress/")
    pain = page.locator("section[aria-labelledby='chart-pain']")
    pain.get_by_text("See the numbers").click()
    rows = pain.locator("tbody tr")
    expect(rows).to_have_count(12)
    expect(rows.first.locator("th")).to_contain_text("Week 7 (from")
    expect(pain.locator("caption")).to_contain_text("the latest 12 weeks")

    pain.get_by_role("link", name="See every week").click()
    page.wait_for_url("**/progress/?weeks=all#chart-pain")
    expect(rows).to_have_count(18)
    expect(rows.first.locator("th")).to_contain_text("Week 1 (from")
    expect(pain.locator("details")).to_have_attribute("open", "")  # no second tap to see them
    shoot(page, "13-progress-every-week")

    pain.get_by_role("link", name="Show only the latest 12 weeks").click()
    expect(rows).to_have_count(12)
