"""Signing up keeps the check just made; logins are throttled; settings are the person's own."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from backcare.accounts.models import User
from backcare.care.actions import do_save_assessment
from backcare.care.models import AssessmentRecord, Plan
from backcare.domain.assessment import Assessment
from tests.domain.people import answers
from tests.web.people import PASSWORD

pytestmark = pytest.mark.django_db


def signup_form(**overrides: Any) -> dict[str, str]:
    data = {
        "username": "maya",
        "email": "maya@example.org",
        "timezone": "Europe/London",
        "password1": "a long passphrase 42",
        "password2": "a long passphrase 42",
    }
    data.update(overrides)
    return data


def test_signing_up_after_the_check_saves_the_result_and_starts_the_plan() -> None:
    client = Client()
    record = do_save_assessment(None, Assessment.model_validate(answers()), now=timezone.now())
    session = client.session
    session["assessment_ids"] = [record.pk]
    session.save()
    response = client.post(reverse("signup"), signup_form())
    assert response.status_code == 302 and response["Location"] == reverse("today")
    maya = User.objects.get(username="maya")
    assert AssessmentRecord.objects.get(pk=record.pk).user == maya
    assert Plan.objects.get(user=maya, is_active=True).assessment_id == record.pk
    assert client.get(reverse("today")).status_code == 200


def test_signing_up_cannot_claim_someone_elses_check() -> None:
    owner = User.objects.create_user("sam", password=PASSWORD)
    theirs = do_save_assessment(owner, Assessment.model_validate(answers()), now=timezone.now())
    client = Client()
    session = client.session
    session["assessment_ids"] = [theirs.pk]
    session.save()
    response = client.post(reverse("signup"), signup_form())
    assert response["Location"] == reverse("check_start")
    assert AssessmentRecord.objects.get(pk=theirs.pk).user == owner


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"password2": "something else"}, "didn’t match"),
        ({"email": "not-an-email"}, "Enter a valid email address"),
        ({"timezone": "Mars/Olympus"}, "Select a valid choice"),
        ({"username": ""}, "This field is required"),
    ],
)
def test_bad_signups_show_the_form_again(overrides: dict[str, str], message: str) -> None:
    response = Client().post(reverse("signup"), signup_form(**overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not User.objects.exists()


def test_repeated_wrong_passwords_lock_the_account_for_a_while() -> None:
    User.objects.create_user("maya", password=PASSWORD)
    client = Client()
    for _ in range(5):
        client.post(reverse("login"), {"username": "maya", "password": "wrong"})
    locked = client.post(reverse("login"), {"username": "maya", "password": PASSWORD})
    assert locked.status_code == 429
    assert "Too many login attempts" in locked.content.decode()


def test_a_login_with_a_huge_user_name_is_refused_and_recorded_cut_short() -> None:
    from axes.models import AccessAttempt

    response = Client().post(reverse("login"), {"username": "m" * 5000, "password": "x"})
    assert response.status_code == 200
    assert [len(a.username) for a in AccessAttempt.objects.all()] == [150]


def test_password_reset_sends_an_email(settings: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    User.objects.create_user("maya", email="maya@example.org", password=PASSWORD)
    response = Client().post(reverse("password_reset"), {"email": "maya@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and "/account/reset/" in mail.outbox[0].body


def test_settings_change_the_persons_time_zone() -> None:
    maya = User.objects.create_user("maya", password=PASSWORD)
    client = Client()
    client.force_login(maya)
    client.post(reverse("account_settings"), {"email": "m@example.org", "timezone": "Asia/Tokyo"})
    maya.refresh_from_db()
    assert maya.timezone == "Asia/Tokyo"


def test_every_page_sends_a_strict_content_security_policy() -> None:
    response = Client().get(reverse("home"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
