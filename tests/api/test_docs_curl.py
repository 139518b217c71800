"""docs/api.md's curl examples, run exactly as written with bash and the real curl against a live
server (scripts/api_live.py), with $BACKCARE, $PATIENT_TOKEN, $STAFF_TOKEN and $PATIENT_ID set
to its base URL, Maya's and Priya's tokens and Maya's id. Each block must exit 0 (its curl has
-f, so an error status fails it) and print JSON; some answers are checked further, so an example
that quietly stops doing what the page says fails here too."""

from __future__ import annotations

import json
import os
import re
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from backcare.domain.triage import Level
from tests.api.live import script

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "api.md"
SH_BLOCK = re.compile(r"^```sh\n(.*?)^```$", re.DOTALL | re.MULTILINE)
VARIABLES = ("BACKCARE", "PATIENT_TOKEN", "STAFF_TOKEN", "PATIENT_ID")


def sh_blocks(text: str) -> list[str]:
    return SH_BLOCK.findall(text)


BLOCKS = sh_blocks(DOC.read_text())


def block_id(block: str) -> str:
    found = re.search(r"/api/v1/(\S+?)[\"?]", block)
    return found.group(1) if found else block.splitlines()[0][:40]


def json_values(text: str) -> list[Any]:
    """Every JSON value printed, one after another (a block may run curl more than once)."""
    decoder = json.JSONDecoder()
    values, at = [], 0
    while at < len(text):
        if text[at].isspace():
            at += 1
            continue
        value, at = decoder.raw_decode(text, at)
        values.append(value)
    return values


@pytest.fixture(scope="module")
def server() -> Iterator[dict[str, str]]:
    """The variables the examples use, naming a live server and its people."""
    with script().live() as (base, people):
        tokens = people["tokens"]
        assert isinstance(tokens, dict)
        yield {
            "BACKCARE": base,
            "PATIENT_TOKEN": str(tokens["patient"]),
            "STAFF_TOKEN": str(tokens["physio"]),
            "PATIENT_ID": str(people["patient_id"]),
        }


def run(block: str, variables: dict[str, str]) -> subprocess.CompletedProcess[str]:
    # A proxy set in the environment must not stand between curl and the local server.
    env = {**os.environ, **variables, "NO_PROXY": "127.0.0.1,localhost", "no_proxy": "127.0.0.1"}
    return subprocess.run(
        ["/bin/bash", "-euo", "pipefail", "-c", block],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip


def _triage(block: str, answer: Any, variables: dict[str, str]) -> None:
    found = re.search(r"examples/(\w+)\.json", block)
    assert found, "a triage example names its file in examples/, whose name is its level"
    assert Level(found.group(1)), found.group(1)
    assert answer["triage"]["level"] == found.group(1)
    assert isinstance(answer["triage"]["reasons"], list) and answer["emergency"]["emergency"]
    region = re.search(r"region=([A-Z]+)", block)
    if region:
        assert answer["emergency"]["region"] == region.group(1)


def _today(block: str, answer: Any, variables: dict[str, str]) -> None:
    assert {"day", "exercising", "checked_in_today", "exercises"} <= answer.keys()
    assert answer["exercising"] and answer["exercises"], "Maya's plan has exercises today"


def _check_in(block: str, answer: Any, variables: dict[str, str]) -> None:
    assert answer["check_in"]["id"] >= 1
    assert answer["result"]["status"] in ("continue", "stop")


def _queue(block: str, answer: Any, variables: dict[str, str]) -> None:
    assert int(variables["PATIENT_ID"]) in [e["patient_id"] for e in answer]


def _caseload(block: str, answer: Any, variables: dict[str, str]) -> None:
    assert int(variables["PATIENT_ID"]) in [p["id"] for p in answer]


def _bundle(block: str, answer: Any, variables: dict[str, str]) -> None:
    assert answer["resourceType"] == "Bundle" and answer["type"] == "searchset"
    resources = [e["resource"] for e in answer["entry"]]
    patients = [r["id"] for r in resources if r["resourceType"] == "Patient"]
    assert patients == [variables["PATIENT_ID"]]
    kinds = {r["resourceType"] for r in resources}
    assert {"CarePlan", "Observation", "Appointment"} <= kinds


# (what the block asks for, what its answer must hold): each must meet at least one block.
CHECKS: list[tuple[str, Callable[[str, Any, dict[str, str]], None]]] = [
    ("/api/v1/triage", _triage),
    ("/api/v1/me/today", _today),
    ('-X POST "$BACKCARE/api/v1/me/check-ins"', _check_in),
    ("/api/v1/clinic/queue", _queue),
    ('/api/v1/clinic/patients"', _caseload),
    ("\\$everything", _bundle),
]


def test_the_page_has_an_example_for_every_scope() -> None:
    assert len(BLOCKS) >= 5
    anonymous = [b for b in BLOCKS if "Authorization" not in b]
    assert any("/api/v1/triage" in b for b in anonymous)
    assert any("$PATIENT_TOKEN" in b and "/me/" in b for b in BLOCKS)
    assert any("$STAFF_TOKEN" in b and "/clinic/" in b for b in BLOCKS)
    assert any("$everything" in b and "$PATIENT_ID" in b for b in BLOCKS)
    for marker, check in CHECKS:
        assert any(marker in b for b in BLOCKS), f"no example checked by {check.__name__}"


@pytest.mark.parametrize("block", BLOCKS, ids=block_id)
def test_every_curl_fails_on_an_error_status(block: str) -> None:
    """Without -f, curl exits 0 on a 404 and the example would pass while broken."""
    calls = re.findall(r"\bcurl\b(.*)", block)
    assert calls, "an sh block runs curl"
    assert all(c.split()[:1] == ["-fsS"] for c in calls), block
    used = set(re.findall(r"\$\{?([A-Z_]+)", block.replace("\\$", "")))
    assert used <= set(VARIABLES), f"only {VARIABLES} are set: {block}"


@pytest.mark.parametrize("block", BLOCKS, ids=block_id)
def test_the_example_runs_and_answers_json(block: str, server: dict[str, str]) -> None:
    done = run(block, server)
    assert done.returncode == 0, f"{block}\nexit {done.returncode}: {done.stderr}"
    values = json_values(done.stdout)
    assert values, f"{block}\nprinted no JSON"
    for marker, check in CHECKS:
        if marker in block:
            for value in values:
                check(block, value, server)
    if "Idempotency-Key" in block:
        again = run(block, server)
        assert again.returncode == 0, again.stderr
        assert json_values(again.stdout) == values, "the same key and body answer the same"


def test_a_broken_example_fails(server: dict[str, str]) -> None:
    """The runner can fail: a path that names nothing is a 404, and curl -f exits non-zero."""
    done = run('curl -fsS "$BACKCARE/api/v1/no-such-thing"', server)
    assert done.returncode == 22 and "404" in done.stderr
