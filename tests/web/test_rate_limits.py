"""Rate limits: password resets, anonymous checks and logins from one address, counted in the
database so every server process agrees; a refused request is a clear page, 429, Retry-After."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from backcare.accounts.models import RateLimitHit, User
from backcare.accounts.ratelimit import client_address
from backcare.care.forms_check import STEPS
from backcare.care.models import AssessmentRecord
from backcare.domain.assessment import WARNING_SIGNS
from tests.web.people import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def limits(settings: Any) -> dict[str, tuple[int, int]]:
    """Small limits, so the tests reach them quickly."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.BACKCARE_RATE_LIMITS = {
        "check": (2, 3600),
        "reset-address": (4, 3600),
        "reset-email": (2, 3600),
        "login-address": (3, 900),
    }
    return settings.BACKCARE_RATE_LIMITS


def from_address(address: str) -> Client:
    return Client(REMOTE_ADDR=address)


def assert_refused(response: Any, words: str) -> int:
    assert response.status_code == 429
    html = response.content.decode()
    assert words in html and "Please wait a little" in html and 'href="/"' in html
    retry = int(response["Retry-After"])
    assert retry > 0
    return retry


# Password reset


def test_resets_for_one_e_mail_address_are_limited(limits: Any) -> None:
    User.objects.create_user("maya", email="maya@example.org", password=PASSWORD)
    client = from_address("10.0.0.1")
    for _ in range(2):
        ask = client.post(reverse("password_reset"), {"email": "maya@example.org"})
        assert ask.status_code == 302
    refused = from_address("10.0.0.2").post(
        reverse("password_reset"), {"email": "MAYA@example.org"}
    )
    retry = assert_refused(refused, "for this e-mail address")
    assert 3590 <= retry <= 3600
    assert len(mail.outbox) == 2


def test_resets_from_one_network_address_are_limited(limits: Any) -> None:
    client = from_address("10.0.0.1")
    for i in range(4):
        assert client.post(reverse("password_reset"), {"email": f"p{i}@example.org"}).status_code
    refused = client.post(reverse("password_reset"), {"email": "p9@example.org"})
    assert_refused(refused, "from your network")
    ok = from_address("10.0.0.2").post(reverse("password_reset"), {"email": "p9@example.org"})
    assert ok.status_code == 302


def test_waiting_lifts_the_limit(limits: Any) -> None:
    client = from_address("10.0.0.1")
    for _ in range(2):
        client.post(reverse("password_reset"), {"email": "maya@example.org"})
    retry = assert_refused(
        client.post(reverse("password_reset"), {"email": "maya@example.org"}), "e-mail address"
    )
    with time_machine.travel(timezone.now() + timedelta(seconds=retry + 1), tick=False):
        later = client.post(reverse("password_reset"), {"email": "maya@example.org"})
    assert later.status_code == 302


def test_the_count_lives_in_the_database_and_keeps_no_address(limits: Any) -> None:
    """Every server process reads the same rows: take them away and the limit is gone."""
    client = from_address("10.0.0.1")
    for _ in range(2):
        client.post(reverse("password_reset"), {"email": "maya@example.org"})
    assert client.post(reverse("password_reset"), {"email": "maya@example.org"}).status_code == 429
    keys = list(RateLimitHit.objects.values_list("key", flat=True))
    assert keys and not [k for k in keys if "maya" in k or "10.0.0.1" in k]
    RateLimitHit.objects.all().delete()
    assert client.post(reverse("password_reset"), {"email": "maya@example.org"}).status_code == 302


# Anonymous checks


def finish_a_check(client: Client, *, emergency: bool = False) -> Any:
    """Every step of the check, the last one POSTed last; an emergency ends at the signs."""
    client.get(reverse("check_start") + "?restart=1")
    steps = {
        "about-you": {"age": "45", "sex": "female"},
        "this-episode": {
            "onset_days": "3",
            "mechanism": "bending",
            "pain_now": "4",
            "spasm_episodes_per_day": "2",
        },
        "warning-signs": {
            sign: "yes" if emergency and sign == "saddle_anaesthesia" else "no"
            for sign in WARNING_SIGNS
        },
    }
    response = None
    for step in STEPS:
        form = steps.get(step.slug, {"skip": "1"})
        response = client.post(reverse("check_step", args=[step.slug]), form)
        if response.status_code != 302 or "/result/" in response["Location"]:
            return response
    return response


def test_checks_saved_without_an_account_are_limited_per_address(limits: Any) -> None:
    client = from_address("10.0.0.1")
    for _ in range(2):
        assert "/result/" in finish_a_check(client)["Location"]
    assert AssessmentRecord.objects.count() == 2
    refused = finish_a_check(client)
    assert_refused(refused, "Too many checks have been saved from your network")
    assert "Your answers so far are kept" in refused.content.decode()
    assert AssessmentRecord.objects.count() == 2
    assert "/result/" in finish_a_check(from_address("10.0.0.2"))["Location"]


def test_an_emergency_is_never_held_back_by_the_limit(limits: Any) -> None:
    client = from_address("10.0.0.1")
    for _ in range(3):
        finish_a_check(client)
    emergency = finish_a_check(client, emergency=True)
    assert emergency.status_code == 302 and "/result/" in emergency["Location"]
    assert AssessmentRecord.objects.filter(level="emergency").count() == 1


def test_a_logged_in_person_is_not_limited(limits: Any) -> None:
    client = from_address("10.0.0.1")
    client.force_login(User.objects.create_user("maya", email="m@example.org"))
    for _ in range(3):
        assert "/result/" in finish_a_check(client)["Location"]


# Logins


def test_one_password_tried_across_many_accounts_is_stopped(limits: Any) -> None:
    for name in ("ann", "bob", "cat", "dan"):
        User.objects.create_user(name, email=f"{name}@example.org", password=PASSWORD)
    sprayer = from_address("10.0.0.9")
    for name in ("ann", "bob", "cat"):  # one wrong password each: axes alone never pauses these
        tried = sprayer.post(reverse("login"), {"username": name, "password": "Summer2026!"})
        assert tried.status_code == 200
    refused = sprayer.post(reverse("login"), {"username": "dan", "password": PASSWORD})
    assert_refused(refused, "Too many wrong passwords have been tried from your network")
    assert "_auth_user_id" not in sprayer.session
    elsewhere = from_address("10.0.0.10")
    assert elsewhere.post(reverse("login"), {"username": "dan", "password": PASSWORD})["Location"]
    assert "_auth_user_id" in elsewhere.session


def test_the_admin_login_is_limited_too(limits: Any) -> None:
    sprayer = from_address("10.0.0.9")
    for name in ("ann", "bob", "cat"):
        sprayer.post(reverse("login"), {"username": name, "password": "wrong"})
    refused = sprayer.post(reverse("admin:login"), {"username": "ann", "password": "x"})
    assert refused.status_code == 429


def test_the_account_lockout_says_when_to_try_again() -> None:
    User.objects.create_user("maya", email="maya@example.org", password=PASSWORD)
    client = Client()
    for _ in range(5):
        client.post(reverse("login"), {"username": "maya", "password": "wrong"})
    locked = client.post(reverse("login"), {"username": "maya", "password": PASSWORD})
    assert locked.status_code == 429 and locked["Retry-After"] == "900"
    assert "paused for 15 minutes" in locked.content.decode()


# The address


@pytest.mark.parametrize(
    ("proxies", "forwarded", "address"),
    [
        (0, "203.0.113.7", "192.0.2.1"),  # no proxy is trusted: the header is anyone's to write
        (1, "203.0.113.7", "203.0.113.7"),
        (1, "198.51.100.1, 203.0.113.7", "203.0.113.7"),  # the client wrote the first one
        (2, "198.51.100.1, 203.0.113.7", "198.51.100.1"),
        (1, "not an address", "192.0.2.1"),
        (1, "", "192.0.2.1"),
        (3, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_the_network_address_trusts_only_the_proxies_it_is_told_of(
    settings: Any, proxies: int, forwarded: str, address: str
) -> None:
    settings.BACKCARE_TRUSTED_PROXIES = proxies
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == address
