"""The CLI contract, checked from outside as a script or a clinician would use it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.domain.people import answers, startback

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "backcare.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
    )


def test_triage_reads_a_file_and_prints_json() -> None:
    done = run("triage", str(EXAMPLES / "emergency.json"))
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["level"] == "emergency"
    assert {"code", "text", "source"} <= set(out["reasons"][0])
    assert out["policy_version"].startswith("triage-")
    assert "startback" not in out


def test_triage_reads_stdin_and_reports_startback() -> None:
    data = answers(startback=startback(agree=4, distress_agree=0))
    done = run("triage", "-", stdin=json.dumps(data))
    out = json.loads(done.stdout)
    assert out["level"] == "see_doctor"
    assert out["startback"] == {"total": 4, "distress": 0, "risk": "medium"}


def test_triage_text_is_for_a_person() -> None:
    done = run("triage", str(EXAMPLES / "emergency.json"), "--format", "text")
    assert done.returncode == 0
    assert "GET EMERGENCY HELP NOW" in done.stdout
    assert "Source:" in done.stdout
    # The advice itself names no number: the person's own comes from their region.
    advice = done.stdout.split("Emergency numbers:")[0]
    assert "999" not in advice and "911" not in advice


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        (answers(pain_now=11), ["pain_now: must be an integer from 0 to 10"]),
        (
            answers(saddle_anesthesia=True),
            ["saddle_anesthesia: unknown field (did you mean saddle_anaesthesia?)"],
        ),
        ({**answers(), "fever": "yes"}, ["fever: must be true or false"]),
    ],
)
def test_invalid_input_exits_2_with_one_line_per_problem(
    payload: dict[str, Any], expected: list[str]
) -> None:
    done = run("triage", "-", stdin=json.dumps(payload))
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.splitlines() == expected


def test_several_problems_give_several_lines_and_no_traceback() -> None:
    done = run("triage", "-", stdin='{"age": "forty", "pain_now": 99}')
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    lines = done.stderr.splitlines()
    assert "age: must be an integer from 0 to 120" in lines
    assert "pain_now: must be an integer from 0 to 10" in lines
    assert "fever: is required and must be true or false" in lines


def test_missing_file_is_a_clear_error() -> None:
    done = run("triage", "no-such-file.json")
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.startswith("no-such-file.json: cannot be read")


def test_broken_json_is_a_clear_error() -> None:
    done = run("triage", "-", stdin="{")
    assert done.returncode == 2
    assert done.stderr.startswith("input: is not valid JSON")


@pytest.mark.parametrize(
    ("questionnaire", "payload", "expected"),
    [
        (
            "startback",
            startback(agree=1, distress_agree=3, q9="extremely"),
            {"total": 5, "distress": 4, "risk": "high"},
        ),
        (
            "odi",
            {
                "sections": {
                    "pain_intensity": 2,
                    "personal_care": 1,
                    "lifting": 2,
                    "walking": 2,
                    "sitting": 2,
                    "standing": 2,
                    "sleeping": 1,
                    "sex_life": 2,
                    "social_life": 1,
                    "travelling": 1,
                }
            },
            {"percent": 32.0, "raw": 16, "answered": 10, "band": "moderate"},
        ),
        (
            "psfs",
            {
                "activities": [
                    {"name": "Gardening", "rating": 4},
                    {"name": "Driving", "rating": 6},
                ],
                "baseline": 2.0,
            },
            {"score": 5.0, "activities": 2},
        ),
        ("nprs", {"score": 3, "baseline": 7}, {"score": 3}),
    ],
)
def test_score(questionnaire: str, payload: dict[str, Any], expected: dict[str, Any]) -> None:
    done = run("score", questionnaire, "-", stdin=json.dumps(payload))
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert expected.items() <= out.items()
    if "baseline" in payload:
        assert out["change"]["meaningful"] is True and out["change"]["improved"] is True


def test_startback_score_carries_keele_attribution() -> None:
    done = run("score", "startback", "-", stdin=json.dumps(startback()))
    assert "Keele University" in json.loads(done.stdout)["attribution"]


def test_odi_with_too_many_missing_sections_exits_2() -> None:
    sections = dict.fromkeys(
        [
            "pain_intensity",
            "personal_care",
            "lifting",
            "walking",
            "sitting",
            "standing",
            "sleeping",
            "sex_life",
            "social_life",
            "travelling",
        ],
        None,
    )
    sections["lifting"] = 3
    done = run("score", "odi", "-", stdin=json.dumps({"sections": sections}))
    assert done.returncode == 2
    assert done.stderr.startswith("sections: at least 8 of 10 sections must be answered")


def test_unknown_command_exits_2() -> None:
    assert run("diagnose", "x").returncode == 2


def test_text_output_names_the_persons_own_emergency_number() -> None:
    australia = run("triage", "examples/emergency.json", "--format", "text", "--region", "AU")
    assert australia.returncode == 0
    assert "CALL 000" in australia.stdout and "healthdirect, 1800 022 222" in australia.stdout
    unknown = run("triage", "examples/emergency.json", "--format", "text")
    assert "000 (Australia)" in unknown.stdout and "999 (United Kingdom)" in unknown.stdout
    bad = run("triage", "examples/emergency.json", "--format", "text", "--region", "XX")
    assert bad.returncode == 2 and bad.stdout == ""
    assert bad.stderr.startswith("--region: must be one of AU, GB")
