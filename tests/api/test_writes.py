"""Writes through the API: a check-in sent again with its Idempotency-Key is answered, not done
again; a read-only token cannot write; a write from the site's own session needs its CSRF
token, as a form on the pages does."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client

from backcare.api.models import IdempotentRequest
from backcare.care.models import CheckIn, ProgressionStep
from tests.api.world import World

CHECK_INS = "/api/v1/me/check-ins"
CHECK_IN = {"pain_now": 2, "spasm_episodes": 0, "exercises_done": [], "new_warning_signs": []}


def post(client: Client, body: Any, **headers: str) -> Any:
    return client.post(CHECK_INS, json.dumps(body), content_type="application/json", **headers)


def steps(world: World) -> int:
    return ProgressionStep.objects.filter(plan__patient=world.maya.patient).count()


def test_the_same_key_and_body_get_the_first_answer_and_write_once(world: World) -> None:
    client = world.client("patient")
    before = steps(world)
    first = post(client, CHECK_IN, HTTP_IDEMPOTENCY_KEY="phone-1")
    # The same body with its keys in another order is the same request.
    again = post(client, dict(reversed(CHECK_IN.items())), HTTP_IDEMPOTENCY_KEY="phone-1")
    assert first.status_code == again.status_code == 201, first.content
    assert again.json() == first.json()
    assert steps(world) == before + 1
    assert CheckIn.objects.filter(patient=world.maya.patient).count() == 1
    assert IdempotentRequest.objects.filter(user=world.maya, key="phone-1").count() == 1


def test_without_a_key_sending_again_checks_in_again(world: World) -> None:
    """The contrast that shows the count above can fail: without a key both are carried out."""
    client = world.client("patient")
    before = steps(world)
    assert post(client, CHECK_IN).status_code == 201
    assert post(client, CHECK_IN).status_code == 201
    assert steps(world) == before + 2


def test_the_same_key_with_another_body_is_refused_by_name(world: World) -> None:
    client = world.client("patient")
    assert post(client, CHECK_IN, HTTP_IDEMPOTENCY_KEY="phone-2").status_code == 201
    before = steps(world)
    other = post(client, {**CHECK_IN, "pain_now": 7}, HTTP_IDEMPOTENCY_KEY="phone-2")
    assert other.status_code == 422
    assert other["Content-Type"] == "application/problem+json"
    problem = other.json()
    assert problem["type"].endswith("/idempotency-key-reused")
    assert problem["errors"] == [
        {"field": "Idempotency-Key", "message": "already used with another body"}
    ]
    assert steps(world) == before
    assert CheckIn.objects.get(patient=world.maya.patient).pain_now == 2


def test_a_key_is_one_persons_own(world: World) -> None:
    maya = post(world.client("patient"), CHECK_IN, HTTP_IDEMPOTENCY_KEY="same-key")
    sam = post(world.client("other patient"), CHECK_IN, HTTP_IDEMPOTENCY_KEY="same-key")
    assert maya.status_code == sam.status_code == 201
    assert sam.json()["check_in"]["id"] != maya.json()["check_in"]["id"]


def test_a_read_only_token_reads_but_its_write_is_a_403(world: World) -> None:
    client = Client(HTTP_AUTHORIZATION=f"Bearer {world.read_only}")
    assert client.get(CHECK_INS).status_code == 200
    before = steps(world)
    refused = post(client, CHECK_IN)
    assert refused.status_code == 403
    assert refused["Content-Type"] == "application/problem+json"
    assert refused.json()["errors"] == [{"field": "scope", "message": "needs write"}]
    assert steps(world) == before


def _session(world: World) -> tuple[Client, str]:
    """Maya signed in on the site, with the CSRF cookie a page of the site sets."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.maya)
    assert client.get("/account/tokens/").status_code == 200
    return client, client.cookies["csrftoken"].value


def test_a_session_write_without_the_csrf_token_is_a_403(world: World) -> None:
    client, _ = _session(world)
    before = steps(world)
    refused = post(client, CHECK_IN)
    assert refused.status_code == 403
    assert refused["Content-Type"] == "application/problem+json"
    assert refused.json()["errors"][0]["field"] == "X-CSRFToken"
    assert steps(world) == before


def test_a_session_write_with_the_csrf_token_is_carried_out(world: World) -> None:
    client, csrf = _session(world)
    before = steps(world)
    done = post(client, CHECK_IN, HTTP_X_CSRFTOKEN=csrf)
    assert done.status_code == 201, done.content
    assert steps(world) == before + 1


def test_a_session_read_needs_no_csrf_token(world: World) -> None:
    client, _ = _session(world)
    assert client.get("/api/v1/me/today").status_code == 200
