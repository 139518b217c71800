"""The figures in a real browser: the contact sheet of every exercise, and the moving figure."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from backcare.domain.figures.poses import pose_sets
from backcare.domain.figures.sheet import contact_sheet
from tests.browser.conftest import shoot

pytestmark = [pytest.mark.browser]
SHEET = Path(__file__).resolve().parents[2] / "test-artifacts" / "figures" / "contact-sheet.png"


def test_the_contact_sheet_of_every_exercise_renders(page: Page) -> None:
    page.set_viewport_size({"width": 1200, "height": 900})
    page.set_content(contact_sheet())
    images = page.locator("img")
    expect(images).to_have_count(sum(len(p.frames) for p in pose_sets().values()))
    assert page.evaluate("[...document.images].every(i => i.complete && i.naturalWidth > 0)")
    SHEET.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHEET), full_page=True)


@pytest.mark.django_db(transaction=True)
def test_an_exercise_page_shows_the_moving_figure(page: Page, live_server: Any) -> None:
    page.goto(live_server.url + "/exercises/bird_dog/")
    figure = page.locator("figure img")
    expect(figure).to_be_visible()
    assert figure.evaluate("img => img.complete && img.naturalWidth > 0")
    assert "opposite" in (figure.get_attribute("alt") or "")
    shoot(page, "40-exercise-bird-dog")


def test_the_figure_moves_unless_reduced_motion_is_asked_for(page: Page) -> None:
    from backcare.domain.figures.render import animated_svg

    svg = animated_svg(pose_sets()["bridge"], "Bridge", hold_seconds=1)
    shots = []
    for motion in ("no-preference", "reduce"):
        page.emulate_media(reduced_motion=motion)  # type: ignore[arg-type]
        page.set_content(f'<body style="margin:0">{svg}</body>')
        first = page.screenshot()
        page.wait_for_timeout(1500)
        shots.append(first != page.screenshot())
    assert shots == [True, False]
