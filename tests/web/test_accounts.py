"""Signing up keeps the check just made; logins are throttled; settings are the person's own."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from backcare.accounts.models import User
from backcare.care.actions import do_save_assessment
from backcare.care.models import AssessmentRecord, Plan
from backcare.domain.assessment import Assessment
from tests.domain.people import answers
from tests.web.people import PASSWORD, signed_up

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
    record = do_save_assessment(
        None, None, Assessment.model_validate(answers()), now=timezone.now()
    )
    session = client.session
    session["assessment_ids"] = [record.pk]
    session.save()
    response = client.post(reverse("signup"), signup_form())
    assert response.status_code == 302 and response["Location"] == reverse("today")
    maya = User.objects.get(username="maya")
    assert AssessmentRecord.objects.get(pk=record.pk).patient.user == maya
    assert Plan.objects.get(patient__user=maya, is_active=True).assessment_id == record.pk
    assert client.get(reverse("today")).status_code == 200


def test_signing_up_on_the_way_to_booking_saves_the_result_and_goes_back_to_booking() -> None:
    client = Client()
    record = do_save_assessment(
        None,
        None,
        Assessment.model_validate(answers(pain_radiates_below_knee=True)),
        now=timezone.now(),
    )
    session = client.session
    session["assessment_ids"] = [record.pk]
    session.save()
    onward = reverse("book") + "?location=3&type=4&reason=Worth+a+check"
    response = client.post(reverse("signup") + "?" + urlencode({"next": onward}), signup_form())
    assert response.status_code == 302 and response["Location"] == onward
    assert AssessmentRecord.objects.get(pk=record.pk).patient.user.username == "maya"


@pytest.mark.parametrize("onward", ["https://evil.example/book/", "//evil.example/", ""])
def test_signing_up_never_sends_the_person_off_the_site(onward: str) -> None:
    response = Client().post(reverse("signup") + "?" + urlencode({"next": onward}), signup_form())
    assert response.status_code == 302 and response["Location"] == reverse("check_start")


def test_signing_up_cannot_claim_someone_elses_check() -> None:
    owner = signed_up("sam")
    theirs = do_save_assessment(
        owner, owner.patient, Assessment.model_validate(answers()), now=timezone.now()
    )
    client = Client()
    session = client.session
    session["assessment_ids"] = [theirs.pk]
    session.save()
    response = client.post(reverse("signup"), signup_form())
    assert response["Location"] == reverse("check_start")
    assert AssessmentRecord.objects.get(pk=theirs.pk).patient.user == owner


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


def test_settings_change_the_persons_time_zone_without_a_password_or_an_address() -> None:
    maya = User.objects.create_user("maya", password=PASSWORD)  # from before addresses were asked
    client = Client()
    client.force_login(maya)
    client.post(reverse("account_settings"), {"email": "", "timezone": "Asia/Tokyo"})
    maya.refresh_from_db()
    assert maya.patient.timezone == "Asia/Tokyo"


def test_every_page_sends_a_strict_content_security_policy() -> None:
    response = Client().get(reverse("home"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy


# E-mail addresses


def test_signing_up_needs_an_e_mail_address_no_other_account_has_in_any_case() -> None:
    User.objects.create_user("sam", email="Sam.Jones@Example.org", password=PASSWORD)
    response = Client().post(reverse("signup"), signup_form(email="sam.jones@EXAMPLE.org"))
    assert response.status_code == 200
    assert "Another account already uses this e-mail address" in response.content.decode()
    assert not User.objects.filter(username="maya").exists()
    missing = Client().post(reverse("signup"), signup_form(email=""))
    assert "This field is required" in missing.content.decode()


def test_the_database_refuses_a_second_account_with_the_same_address_in_any_case() -> None:
    from django.db import IntegrityError, transaction

    User.objects.create_user("sam", email="sam@example.org")
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create_user("maya", email="SAM@example.org")
    User.objects.create_user("old1")
    User.objects.create_user("old2")  # accounts from before addresses were required: none


def test_a_signup_racing_another_for_one_address_gets_the_message_not_an_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from backcare.accounts import forms

    User.objects.create_user("sam", email="maya@example.org")
    monkeypatch.setattr(forms, "email_in_use", lambda email, besides=None: False)
    response = Client().post(reverse("signup"), signup_form())
    assert response.status_code == 200
    assert "Another account already uses this e-mail address" in response.content.decode()
    assert not User.objects.filter(username="maya").exists()


def settings_form(**overrides: str) -> dict[str, str]:
    return {"email": "maya@example.org", "timezone": "Europe/London", **overrides}


@pytest.mark.parametrize(
    ("form", "message"),
    [
        (settings_form(email="new@example.org"), "Enter your current password"),
        (
            settings_form(email="new@example.org", current_password="not it"),
            "That is not your current password",
        ),
        (settings_form(email="MAYA@example.org"), "Enter your current password"),
        (
            settings_form(email="sam@example.org", current_password=PASSWORD),
            "Another account already uses",
        ),
        (settings_form(email="", current_password=PASSWORD), "This field is required"),
    ],
)
def test_changing_the_e_mail_address_needs_the_current_password(
    form: dict[str, str], message: str
) -> None:
    maya = User.objects.create_user(
        "maya", email="maya@example.org", password=PASSWORD, timezone="Europe/London"
    )
    User.objects.create_user("sam", email="sam@example.org")
    client = Client()
    client.force_login(maya)
    response = client.post(reverse("account_settings"), {**form, "timezone": "Asia/Tokyo"})
    assert response.status_code == 200 and message in response.content.decode()
    maya.refresh_from_db()
    assert (maya.email, maya.patient.timezone) == ("maya@example.org", "Europe/London")


def test_the_right_password_changes_the_address_and_the_time_zone_needs_none() -> None:
    maya = User.objects.create_user("maya", email="maya@example.org", password=PASSWORD)
    client = Client()
    client.force_login(maya)
    client.post(reverse("account_settings"), settings_form(timezone="Asia/Tokyo"))
    maya.refresh_from_db()
    assert (maya.email, maya.patient.timezone) == ("maya@example.org", "Asia/Tokyo")
    client.post(
        reverse("account_settings"),
        settings_form(email="maya.new@example.org", current_password=PASSWORD),
    )
    maya.refresh_from_db()
    assert maya.email == "maya.new@example.org"


@pytest.mark.django_db(transaction=True)
def test_the_migration_settles_accounts_that_share_an_address() -> None:
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before = [("accounts", "0004_add_user_region")]
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate(before)
    old = (
        MigrationExecutor(connection)
        .loader.project_state(before)
        .apps.get_model("accounts", "User")
    )
    now = timezone.now()
    first = old.objects.create(username="first", email="Maya@example.org", last_login=None)
    used = old.objects.create(username="used", email=" maya@EXAMPLE.org ", last_login=now)
    third = old.objects.create(username="third", email="maya@example.org", last_login=None)
    other = old.objects.create(username="other", email="sam@example.org ")
    empty = old.objects.create(username="empty", email="")
    try:
        MigrationExecutor(connection).migrate(latest)
    finally:
        MigrationExecutor(connection).migrate(latest)
    emails = dict(User.objects.values_list("username", "email"))
    assert emails == {
        "used": "maya@EXAMPLE.org",  # the account in use keeps it
        "first": "",
        "third": "",
        "other": "sam@example.org",
        "empty": "",
    }
    assert User.objects.count() == 5
    del first, used, third, other, empty
