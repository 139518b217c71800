"""Health pages are never stored by a browser or cache; every response limits browser features;
a request body that is too large gets a clear 413 page and saves nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import RequestDataTooBig
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from backcare.care import handout
from backcare.care.actions import do_check_in
from backcare.care.models import CheckIn
from backcare.domain.checkin import CheckIn as CheckInValue
from backcare.middleware import HEALTH_PAGES
from backcare.views import bad_request
from tests.web.people import People, logged_in, today_of

pytestmark = pytest.mark.django_db

# Every page that shows a person's health data, by the name its URL has, with how to reach it.
HEALTH_URLS = {
    "today": lambda t: reverse("today"),
    "progress": lambda t: reverse("progress"),
    "progress_chart": lambda t: reverse("progress_chart", args=["pain"]),
    "result": lambda t: reverse("result", args=[t.maya_plan.assessment_id]),
    "check_step": lambda t: reverse("check_step", args=["about-you"]),
    "check_in": lambda t: reverse("check_in"),
    "check_in_result": lambda t: reverse(
        "check_in_result", args=[CheckIn.objects.get(patient__user=t.maya).pk]
    ),
    "handout_pdf": lambda t: reverse("handout_pdf"),
    "calendar_ics": lambda t: reverse("calendar_ics"),
    "export_data": lambda t: reverse("export_data"),
    "account_settings": lambda t: reverse("account_settings"),
    "delete_account": lambda t: reverse("delete_account"),
}


@pytest.fixture
def maya(team: People, monkeypatch: pytest.MonkeyPatch) -> Client:
    monkeypatch.setattr(handout, "render_pdf", lambda data: b"%PDF-1.7 not drawn here")
    value = CheckInValue.model_validate(
        {"date": today_of(team.maya), "pain_now": 3, "spasm_episodes": 1, "new_warning_signs": []}
    )
    do_check_in(team.maya, team.maya.patient, value, now=timezone.now())
    return logged_in(team.maya)


def test_the_list_here_is_the_list_the_middleware_keeps() -> None:
    assert set(HEALTH_URLS) == HEALTH_PAGES


@pytest.mark.parametrize("name", sorted(HEALTH_URLS))
def test_health_pages_are_never_stored(name: str, team: People, maya: Client) -> None:
    response = maya.get(HEALTH_URLS[name](team))
    assert response.status_code == 200, name
    control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"no-store", "private"} <= control, name
    assert "public" not in control


def test_public_pages_may_be_cached() -> None:
    figure = Client().get(reverse("exercise_figure", args=["bridge"]))
    assert "no-store" not in figure["Cache-Control"]


@pytest.mark.parametrize("url", ["/", "/learn/", "/no-such-page/", "/static/backcare/backcare.css"])
def test_every_response_turns_off_browser_features_backcare_does_not_use(url: str) -> None:
    policy = Client().get(url)["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in policy
    assert "notifications" not in policy and "vibrate" not in policy


def big_form(size: int) -> dict[str, Any]:
    return {
        "pain_now": "3",
        "spasm_episodes": "2",
        "new_warning_signs": ["none"],
        "padding": "x" * size,
    }


def test_a_body_that_is_too_large_is_a_clear_413_and_saves_nothing(
    team: People, maya: Client
) -> None:
    CheckIn.objects.all().delete()
    response = maya.post(reverse("check_in"), big_form(300 * 1024))
    assert response.status_code == 413
    html = response.content.decode()
    assert (
        "That was too much to send" in html
        and "256 KB" in html
        and "Nothing has been saved" in html
    )
    assert not CheckIn.objects.exists()
    anonymous = Client().post(reverse("signup"), {"username": "x" * (300 * 1024)})
    assert anonymous.status_code == 413


def test_a_form_under_the_limit_is_read_as_usual(team: People, maya: Client) -> None:
    response = maya.post(reverse("check_in"), big_form(200 * 1024))
    assert response.status_code == 302


def test_a_body_found_too_large_while_read_is_a_413_too() -> None:
    request = RequestFactory().post("/check-in/")
    assert bad_request(request, RequestDataTooBig("too big")).status_code == 413
    assert bad_request(request, ValueError("other")).status_code == 400
