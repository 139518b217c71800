from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from django.test import Client
from django.urls import reverse

from backcare.domain import catalogue
from backcare.domain.figures.poses import pose_sets

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("exercise", sorted(catalogue.exercises()))
def test_every_exercise_has_a_public_page(exercise: str) -> None:
    response = Client().get(reverse("exercise", args=[exercise]))
    assert response.status_code == 200
    assert "Stop" in response.content.decode()


@pytest.mark.parametrize("exercise", sorted(pose_sets()))
def test_figures_are_served_as_svg_with_their_own_style_only(exercise: str) -> None:
    response = Client().get(reverse("exercise_figure", args=[exercise]))
    assert response["Content-Type"] == "image/svg+xml"
    ET.fromstring(response.content)
    assert "'unsafe-inline'" in response["Content-Security-Policy"]
    page = Client().get(reverse("exercise", args=[exercise]))
    assert "unsafe-inline" not in page["Content-Security-Policy"]


@pytest.mark.parametrize("hold", ["5", "0", "999", "-3", "lots", "²", "٣", "１２", "9" * 40])
def test_the_hold_in_the_figure_url_is_bounded(hold: str) -> None:
    response = Client().get(reverse("exercise_figure", args=["bridge"]), {"hold": hold})
    assert response.status_code == 200


def test_an_unknown_exercise_is_404() -> None:
    assert Client().get(reverse("exercise", args=["burpee"])).status_code == 404
    assert Client().get(reverse("exercise_figure", args=["burpee"])).status_code == 404
