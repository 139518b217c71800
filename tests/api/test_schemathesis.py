"""schemathesis against the live OpenAPI document, as an anonymous caller, a patient's token and
a physiotherapist's token: no server error and no response that breaks the document (status,
content type, headers, body). A bounded run here; `make fuzz` runs over 1,000 cases."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.api.live import script


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[str, dict[str, Any]]]:
    with script().live() as (base, people):
        yield base, people


def test_schemathesis_finds_no_server_error_and_no_response_off_the_schema(
    server: tuple[str, dict[str, Any]],
) -> None:
    base, people = server
    failed = script().fuzz(base, people, examples=4, phases="examples,fuzzing")
    assert failed == 0, "schemathesis found failures: its output above names each"
