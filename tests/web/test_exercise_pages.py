from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Any

import pytest
from django.template import Context as TemplateContext
from django.template import Template
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

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


# The catalogue and links to it


def test_the_catalogue_lists_every_exercise_once_under_the_phase_it_starts_in() -> None:
    response = Client().get(reverse("exercises"))
    assert response.status_code == 200
    html = response.content.decode()
    phases = catalogue.phases()
    starts = [html.index(f"Phase {n}: {escape(phases[n].name)}</h2>") for n in sorted(phases)]
    assert starts == sorted(starts)
    for exercise in catalogue.exercises().values():
        link = f'<a href="{reverse("exercise", args=[exercise.id])}">{escape(exercise.name)}</a>'
        assert html.count(link) == 1, exercise.id
        at = html.index(link)
        first = min(exercise.phases)
        assert starts[first - 1] < at, exercise.id
        assert first == len(starts) or at < starts[first], exercise.id
        assert escape(exercise.purpose) in html
    assert html.count("<h1") == 1 and "<script" not in html and " style=" not in html


def test_the_catalogue_is_plain_and_needs_no_database(django_assert_num_queries: Any) -> None:
    with django_assert_num_queries(0):
        response = Client().get(reverse("exercises"))
    assert response.status_code == 200
    assert "<img" not in response.content.decode()  # figures are on each exercise's own page


def unlinked_exercise_names(html: str, own: str = "") -> list[str]:
    """Exercise names in the page's main part that are not links to their own pages."""
    names = {e.id: escape(e.name) for e in catalogue.exercises().values()}
    main = html.split("<main", 1)[1].split("</main>", 1)[0]
    link = r'<a href="/exercises/([a-z_]+)/">([^<]+)</a>'
    for exercise_id, text in re.findall(link, main):
        assert text == names[exercise_id], f"{exercise_id} is linked as {text!r}"
    rest = re.sub(link, "", main).replace(escape(own), "")
    return [name for name in names.values() if name in rest]


@pytest.mark.parametrize("topic", sorted(catalogue.topics()))
def test_every_exercise_named_in_a_learn_topic_links_to_its_page(topic: str) -> None:
    html = Client().get(reverse("learn_topic", args=[topic])).content.decode()
    assert unlinked_exercise_names(html) == []
    for exercise in catalogue.topics()[topic].exercises:
        assert f'href="{reverse("exercise", args=[exercise])}"' in html


@pytest.mark.parametrize("exercise", sorted(catalogue.exercises()))
def test_every_exercise_named_on_an_exercise_page_links_to_its_page(exercise: str) -> None:
    html = Client().get(reverse("exercise", args=[exercise])).content.decode()
    own = catalogue.exercises()[exercise]
    assert unlinked_exercise_names(html, own=own.name) == []
    assert f'href="{reverse("exercises")}"' in html
    for other in (own.progression, own.regression):
        if other:
            assert f'href="{reverse("exercise", args=[other])}"' in html


def test_learn_links_to_the_catalogue() -> None:
    html = Client().get(reverse("learn")).content.decode()
    assert f'href="{reverse("exercises")}"' in html


@pytest.mark.parametrize(
    ("source", "shown"),
    [
        ('{% exercise_link "bird_dog" %}', '<a href="/exercises/bird_dog/">Bird-dog</a>'),
        ('{% exercise_link "bridge" "How to" %}', '<a href="/exercises/bridge/">How to</a>'),
        ("{% exercise_link unknown %}", "&lt;b&gt;burpee&lt;/b&gt;"),
        ('{{ "lunge"|exercise_url }}', "/exercises/lunge/"),
        ('{{ "burpee"|exercise_url }}', ""),
    ],
)
def test_templates_link_exercise_names_with_one_tag(source: str, shown: str) -> None:
    context = TemplateContext({"unknown": "<b>burpee</b>"})
    rendered = Template("{% load exercise_links %}" + source).render(context)
    assert rendered == shown
