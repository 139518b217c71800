"""Error pages use the site's layout with a way home; logging out by GET shows a page."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.web.people import People, logged_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def failing_urls(settings: Any) -> None:
    settings.ROOT_URLCONF = "tests.web.error_urls"


def assert_in_the_layout_with_a_way_home(response: Any, status: int, words: str) -> str:
    assert response.status_code == status
    html = response.content.decode()
    assert 'class="site-header"' in html and 'class="site-footer"' in html
    assert "backcare.css" in html and html.count("<h1") == 1
    assert 'href="/">Go to the start page</a>' in html
    assert words in html
    return html


@pytest.mark.parametrize(
    ("url", "status", "words"),
    [
        ("/no-such-page/", 404, "We could not find that page"),
        ("/exercises/burpee/", 404, "We could not find that page"),
        ("/test-errors/403/", 403, "That is not allowed"),
        ("/test-errors/400/", 400, "Something was wrong with that request"),
        ("/test-errors/500/", 500, "Something went wrong on our side"),
        ("/test-errors/503/", 503, "briefly unavailable"),
        ("/test-errors/503-closed/", 503, "briefly unavailable"),
    ],
)
def test_error_pages_use_the_site_layout(
    failing_urls: None, url: str, status: int, words: str
) -> None:
    response = Client(raise_request_exception=False).get(url)
    html = assert_in_the_layout_with_a_way_home(response, status, words)
    if status >= 500:
        assert "emergency number" in html
    if status == 503:  # the database could not be reached: try again shortly, not a bug
        assert response["Retry-After"] == "5" and "no-store" in response["Cache-Control"]


def test_a_logged_in_person_gets_a_way_back_to_today(team: People) -> None:
    response = logged_in(team.maya).get("/no-such-page/")
    html = assert_in_the_layout_with_a_way_home(response, 404, "We could not find that page")
    assert f'href="{reverse("today")}"' in html


def test_a_stale_form_gets_a_page_that_says_to_try_again(team: People) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(team.maya)
    response = client.post(reverse("check_in"), {"pain_now": "3"})
    assert_in_the_layout_with_a_way_home(response, 403, "Please try that again")


def test_logging_out_by_get_shows_a_page_with_a_button_that_posts(team: People) -> None:
    client = logged_in(team.maya)
    page = client.get(reverse("logout"))
    assert page.status_code == 200
    html = page.content.decode()
    main = html.split("<main", 1)[1]
    assert f'<form method="post" action="{reverse("logout")}">' in main
    assert ">Log out</button>" in main and "csrfmiddlewaretoken" in main
    assert "_auth_user_id" in client.session  # a GET logs nobody out
    assert client.post(reverse("logout")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_logging_out_by_get_when_not_logged_in_says_so() -> None:
    page = Client().get(reverse("logout"))
    assert page.status_code == 200 and "You are not logged in" in page.content.decode()
