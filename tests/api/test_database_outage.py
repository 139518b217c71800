"""The API while the database cannot be reached (PostgreSQL restarting, a failover, a full
pool): a 503 problem with Retry-After, as the site's pages answer, never the 500 of a bug."""

from __future__ import annotations

import json
from typing import Any
from unittest import mock

import pytest
from django.db import InterfaceError, OperationalError
from django.db.backends.utils import CursorWrapper

from tests.api.world import World

CHECK_IN = {
    "pain_now": 4,
    "spasm_episodes": 1,
    "exercises_done": [],
    "new_warning_signs": [],
}


@pytest.mark.parametrize(
    "error",
    [
        OperationalError("connection to server at 127.0.0.1, port 5432 failed"),
        InterfaceError("connection already closed"),
    ],
)
@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("get", "/api/v1/me/check-ins", None),
        ("post", "/api/v1/me/check-ins", CHECK_IN),
    ],
)
def test_a_database_outage_is_a_503_problem_not_a_500(
    world: World, error: Exception, method: str, path: str, body: Any
) -> None:
    client = world.client("patient")
    with mock.patch.object(CursorWrapper, "execute", side_effect=error):
        kw: dict[str, Any] = {}
        if body is not None:
            kw = {"data": json.dumps(body), "content_type": "application/json"}
        answer = getattr(client, method)(path, **kw)
    assert answer.status_code == 503, answer.content
    assert answer["Content-Type"] == "application/problem+json"
    assert answer["Retry-After"] == "5"
    problem = answer.json()
    assert problem["status"] == 503 and problem["title"] == "Service unavailable"
    assert "nothing was saved" in problem["detail"]
