"""Personal access tokens from the settings page (shown once, kept only as a hash, revoked at
once) and the API's rate limits per token and per address (a 429 with Retry-After)."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import time_machine
from django.test import Client, override_settings
from django.urls import reverse

from backcare.api.models import AccessToken
from tests.api.world import World
from tests.web.people import logged_in

PAGE = "/account/tokens/"
TODAY = "/api/v1/me/today"
SHOWN = re.compile(r'id="new-token">(bc_[A-Za-z0-9_-]+)<')
ASSESSMENT = (Path(__file__).resolve().parents[2] / "examples" / "self_care.json").read_text()


def make_token(client: Client, access: str, name: str = "my spreadsheet") -> str:
    page = client.post(PAGE, {"name": name, "access": access})
    assert page.status_code == 200, page.content
    found = SHOWN.search(page.content.decode())
    assert found, "the new token is on the page that made it"
    return found.group(1)


def bearer(token: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


def test_a_new_token_is_shown_once_and_kept_only_as_its_hash(world: World) -> None:
    client = logged_in(world.maya)
    token = make_token(client, "read")
    row = AccessToken.objects.get(user=world.maya, name="my spreadsheet")
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert row.prefix == token[:10] and row.scopes == ["read"]
    stored = json.dumps(AccessToken.objects.filter(pk=row.pk).values().get(), default=str)
    assert token not in stored
    later = client.get(PAGE).content.decode()
    assert token not in later and row.prefix in later
    assert bearer(token).get(TODAY).status_code == 200


def test_read_and_write_gives_both_scopes(world: World) -> None:
    make_token(logged_in(world.maya), "write", name="my phone")
    assert AccessToken.objects.get(name="my phone").scopes == ["read", "write"]


@pytest.mark.parametrize(
    ("form", "field"),
    [
        ({"name": "", "access": "read"}, "name:"),
        ({"name": "my sheet", "access": "admin"}, "access:"),
    ],
)
def test_a_token_form_with_a_problem_names_the_field(
    world: World, form: dict[str, str], field: str
) -> None:
    before = AccessToken.objects.filter(user=world.maya).count()
    page = logged_in(world.maya).post(PAGE, form)
    assert page.status_code == 400
    assert field in page.content.decode() and not SHOWN.search(page.content.decode())
    assert AccessToken.objects.filter(user=world.maya).count() == before


def test_a_revoked_token_gets_a_401_at_once(world: World) -> None:
    client = logged_in(world.maya)
    token = make_token(client, "read")
    assert bearer(token).get(TODAY).status_code == 200
    row = AccessToken.objects.get(user=world.maya, name="my spreadsheet")
    assert client.post(reverse("api_revoke_token", args=[row.pk])).status_code == 302
    refused = bearer(token).get(TODAY)
    assert refused.status_code == 401
    assert refused["WWW-Authenticate"] == 'Bearer realm="backcare"'
    assert refused.json()["detail"] == "The token is unknown or revoked."


def test_nobody_revokes_another_persons_token(world: World) -> None:
    token = make_token(logged_in(world.maya), "read")
    row = AccessToken.objects.get(user=world.maya, name="my spreadsheet")
    logged_in(world.sam).post(reverse("api_revoke_token", args=[row.pk]))
    assert bearer(token).get(TODAY).status_code == 200


@pytest.fixture
def at_twenty_past() -> Iterator[None]:
    """Twenty seconds into a minute, the clock standing still: forty seconds to wait."""
    with time_machine.travel("2026-12-01T11:00:20Z", tick=False):
        yield


@override_settings(BACKCARE_API_RATE_LIMITS=(1000, 2))
def test_a_token_over_its_minute_gets_a_429_with_retry_after(
    world: World, at_twenty_past: None
) -> None:
    maya = world.client("patient")
    assert [maya.get(TODAY).status_code for _ in range(2)] == [200, 200]
    refused = maya.get(TODAY)
    assert refused.status_code == 429
    assert refused["Retry-After"] == "40"
    assert refused["Content-Type"] == "application/problem+json"
    assert "40 seconds" in refused.json()["detail"]
    # Another token from the same address has its own minute.
    assert world.client("other patient").get(TODAY).status_code == 200


@override_settings(BACKCARE_API_RATE_LIMITS=(1000, 2))
def test_the_next_minute_lets_the_token_in_again(world: World) -> None:
    maya = world.client("patient")
    with time_machine.travel("2026-12-01T11:00:50Z", tick=False) as clock:
        assert [maya.get(TODAY).status_code for _ in range(3)] == [200, 200, 429]
        clock.shift(10)
        assert maya.get(TODAY).status_code == 200


@override_settings(BACKCARE_API_RATE_LIMITS=(2, 1000))
def test_an_address_over_its_minute_gets_a_429_even_without_a_token(
    world: World, at_twenty_past: None
) -> None:
    anonymous = Client()

    def triage() -> int:
        return anonymous.post(
            "/api/v1/triage", ASSESSMENT, content_type="application/json"
        ).status_code

    assert [triage(), triage()] == [200, 200]
    assert triage() == 429
    # The same address with a token is over its minute too.
    refused = world.client("patient").get(TODAY)
    assert refused.status_code == 429 and refused["Retry-After"] == "40"


@override_settings(BACKCARE_API_RATE_LIMITS=(2, 1000))
def test_guessing_tokens_uses_up_the_addresss_minute(world: World, at_twenty_past: None) -> None:
    guesser = bearer("bc_" + "x" * 43)
    assert [guesser.get(TODAY).status_code for _ in range(2)] == [401, 401]
    assert guesser.get(TODAY).status_code == 429


def test_a_revoked_token_beside_a_session_is_still_a_401(world: World) -> None:
    """A bad token never quietly falls back to the session cookie sent with it."""
    client = logged_in(world.maya)
    assert client.get(TODAY).status_code == 200
    revoked = world.tokens["revoked token"]
    assert client.get(TODAY, HTTP_AUTHORIZATION=f"Bearer {revoked}").status_code == 401


def test_the_token_of_a_person_no_longer_active_is_a_401(world: World) -> None:
    token = world.tokens["patient"]
    assert bearer(token).get(TODAY).status_code == 200
    world.maya.is_active = False
    world.maya.save(update_fields=["is_active"])
    assert bearer(token).get(TODAY).status_code == 401
