"""Refusals the site's middleware makes before any API view runs (a body too large, a NUL in a
query) answer API callers in the API's one problem shape, not with an HTML page."""

from __future__ import annotations

from tests.api.world import World


def test_a_body_too_large_is_a_413_problem(world: World) -> None:
    body = '{"body": "' + "x" * 300_000 + '"}'
    answer = world.client("patient").post(
        "/api/v1/me/messages", body, content_type="application/json"
    )
    assert answer.status_code == 413
    assert answer["Content-Type"] == "application/problem+json"
    assert answer.json()["errors"] == [{"field": "body", "message": "must be at most 256 KiB"}]


def test_a_nul_in_a_query_is_a_400_problem_naming_the_field(world: World) -> None:
    answer = world.client("patient").get("/api/v1/me/check-ins?since=%00")
    assert answer.status_code == 400
    assert answer["Content-Type"] == "application/problem+json"
    assert answer.json()["errors"][0]["field"] == "since"


def test_a_page_still_gets_the_html_refusal(world: World) -> None:
    answer = world.client("anonymous").get("/learn/?q=%00")
    assert answer.status_code == 400
    assert answer["Content-Type"].startswith("text/html")
