"""Learn: every topic is open to everyone, searchable, cited, and the causes found are shown."""

from __future__ import annotations

import re
from itertools import pairwise
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from backcare.care.views.learn import GROUPS
from backcare.domain import catalogue, content
from tests.web.people import logged_in, person

pytestmark = pytest.mark.django_db


def page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def assert_accessible_and_csp_friendly(html: str) -> None:
    assert "<script" not in html
    assert not re.search(r"\sstyle=", html)
    assert not re.search(r"\son[a-z]+=", html)
    assert html.count("<h1") == 1
    headings = [int(level) for level in re.findall(r"<h([1-6])", html)]
    assert headings[0] == 1
    assert all(b - a <= 1 for a, b in pairwise(headings))


def test_the_index_lists_every_topic_under_its_group() -> None:
    html = page(Client(), reverse("learn"))
    assert_accessible_and_csp_friendly(html)
    for _, heading in GROUPS:
        assert f">{heading}</h2>" in html
    for topic in catalogue.topics().values():
        assert reverse("learn_topic", args=[topic.id]) in html
        assert escape(topic.title) in html and escape(topic.summary) in html
    assert 'role="search"' in html and '<label for="learn-q">' in html
    assert "For you" not in html


def test_groups_come_in_order_and_hold_only_their_kind() -> None:
    html = page(Client(), reverse("learn"))
    positions = [html.index(f">{heading}</h2>") for _, heading in GROUPS]
    assert positions == sorted(positions)
    at = [kind for kind, _ in GROUPS].index("medicines")
    medicines = html[positions[at] : positions[at + 1]]
    assert reverse("learn_topic", args=["medicines"]) in medicines
    assert reverse("learn_topic", args=["massage"]) not in medicines


def test_search_finds_hamstring_topics_case_insensitively() -> None:
    html = page(Client(), reverse("learn") + "?q=HAMSTRING")
    assert reverse("learn_topic", args=["tight_hamstrings"]) in html
    assert reverse("learn_topic", args=["prevent_stretching"]) in html
    assert reverse("learn_topic", args=["medicines"]) not in html
    assert re.search(r"\d+ topics? match(es)? “HAMSTRING”", html)


def test_search_looks_in_the_evidence_note_too() -> None:
    html = page(Client(), reverse("learn") + "?q=benzodiazepine")
    assert "1 topic matches" in html
    assert reverse("learn_topic", args=["medicines"]) in html


def test_a_search_with_no_match_says_so_kindly_and_escapes_the_query() -> None:
    html = page(Client(), reverse("learn") + "?q=<b>zebra</b>")
    assert "No topics match" in html and "browse all the guides" in html
    assert "<b>zebra</b>" not in html and "&lt;b&gt;zebra&lt;/b&gt;" in html
    assert reverse("learn_topic", args=["posture"]) not in html


def test_for_you_shows_the_causes_found_in_the_persons_answers() -> None:
    maya, _ = person(
        "maya", mechanism="sitting", lifestyle={"hamstrings_feel_tight": True, "stress": 8}
    )
    html = page(logged_in(maya), reverse("learn"))
    assert_accessible_and_csp_friendly(html)
    assert ">For you</h2>" in html
    for_you = html[html.index(">For you</h2>") : html.index(">What can set off a spasm</h2>")]
    assert reverse("learn_topic", args=["tight_hamstrings"]) in for_you
    assert "may help, as the backs of your thighs feel tight (not a proven cause)" in for_you
    assert "because you rated your stress 8 out of 10" in for_you
    assert "may help, as the spasm began while you were sitting" in for_you
    assert reverse("learn_topic", args=["heavy_lifting"]) not in for_you


def test_no_for_you_without_a_plan_or_a_login(django_user_model: Any) -> None:
    assert "For you" not in page(Client(), reverse("learn"))
    eve = django_user_model.objects.create_user("eve", password="a long passphrase 42")
    assert "For you" not in page(logged_in(eve), reverse("learn"))


def test_a_topic_page_shows_its_parts_and_full_citations() -> None:
    topic = catalogue.topics()["tight_hamstrings"]
    html = page(Client(), reverse("learn_topic", args=[topic.id]))
    assert_accessible_and_csp_friendly(html)
    assert f"<h1>{escape(topic.title)}</h1>" in html
    for paragraph in topic.body:
        assert escape(paragraph) in html
    assert ">Try this</h2>" in html
    for habit in topic.habits:
        assert escape(habit) in html
    for exercise_id in topic.exercises:
        assert escape(catalogue.exercises()[exercise_id].name) in html
    for related in topic.related:
        assert reverse("learn_topic", args=[related]) in html
    for source_id in topic.sources:
        assert escape(content.sources()[source_id].citation) in html


def test_treatment_and_medicine_topics_say_what_the_guidelines_say() -> None:
    for topic_id in ("medicines", "tens"):
        topic = catalogue.topics()[topic_id]
        html = page(Client(), reverse("learn_topic", args=[topic_id]))
        assert ">What the guidelines say</h2>" in html
        assert escape(topic.evidence_note or "") in html


def test_an_unknown_topic_is_404() -> None:
    assert Client().get(reverse("learn_topic", args=["no_such_topic"])).status_code == 404


@pytest.mark.parametrize("topic_id", list(catalogue.topics()))
def test_every_topic_page_renders(topic_id: str) -> None:
    html = page(Client(), reverse("learn_topic", args=[topic_id]))
    assert_accessible_and_csp_friendly(html)
