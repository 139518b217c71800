"""`backcare plan`, `progress` and `exercises` from the outside."""

from __future__ import annotations

import json
from pathlib import Path

from backcare.domain.assessment import WARNING_SIGNS
from tests.test_cli import EXAMPLES, run


def test_plan_for_a_self_care_assessment(tmp_path: Path) -> None:
    done = run("plan", str(EXAMPLES / "self_care.json"), "--today", "2026-11-21")
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["triage"]["level"] == "self_care"
    assert out["phase"]["number"] == 1
    assert out["exercises"] and all(e["source"] for e in out["exercises"])
    assert out["first_aid"]["ice_and_heat"][0]["minutes"]["max"] <= 20
    assert out["state"]["created_on"] == "2026-11-21"
    assert out["version"].startswith("plan-")


def test_an_emergency_plan_has_no_exercises_and_says_what_to_do_now() -> None:
    out = json.loads(run("plan", str(EXAMPLES / "emergency.json"), "--today", "2026-11-21").stdout)
    assert out["triage"]["level"] == "emergency"
    assert out["exercises"] == [] and out["first_aid"] is None and out["phase"] is None
    text = run("plan", str(EXAMPLES / "emergency.json"), "--format", "text").stdout
    assert "No exercises" in text and "EXERCISES" not in text


def test_plan_text_reads_as_a_plan() -> None:
    text = run("plan", str(EXAMPLES / "self_care.json"), "--format", "text").stdout
    for heading in ("YOUR PLAN: phase 1", "FIRST AID TODAY", "EXERCISES", "WHAT MAY HAVE"):
        assert heading in text


def test_a_bad_date_exits_2() -> None:
    done = run("plan", str(EXAMPLES / "self_care.json"), "--today", "21/11/2026")
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.startswith("--today: must be a date as YYYY-MM-DD")


def test_progress_carries_the_plan_forward(tmp_path: Path) -> None:
    plan_file = tmp_path / "plan.json"
    plan_file.write_text(
        run("plan", str(EXAMPLES / "self_care.json"), "--today", "2026-11-01").stdout
    )
    done = run(
        "progress", str(plan_file), str(EXAMPLES / "check_ins.json"), "--today", "2026-11-14"
    )
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["status"] == "continue"
    assert out["trend"]["improving"] is True
    assert any(h["action"] == "progress" for h in out["history"])
    assert len(out["weeks"]) == 2
    # The output can be fed back in as the next plan.
    again_file = tmp_path / "again.json"
    again_file.write_text(done.stdout)
    assert run("progress", str(again_file), str(EXAMPLES / "check_ins.json")).returncode == 0


def test_progress_stops_on_a_new_warning_sign(tmp_path: Path) -> None:
    plan_file = tmp_path / "plan.json"
    plan_file.write_text(
        run("plan", str(EXAMPLES / "self_care.json"), "--today", "2026-11-01").stdout
    )
    check_ins = json.loads((EXAMPLES / "check_ins.json").read_text())
    check_ins["check_ins"][4]["new_warning_signs"] = ["saddle_anaesthesia"]
    done = run(
        "progress", str(plan_file), "-", "--today", "2026-11-14", stdin=json.dumps(check_ins)
    )
    out = json.loads(done.stdout)
    assert out["status"] == "stop" and out["retriage"]["level"] == "emergency"
    text = run(
        "progress",
        str(plan_file),
        "-",
        "--today",
        "2026-11-14",
        "--format",
        "text",
        stdin=json.dumps(check_ins),
    ).stdout
    assert text.startswith("PROGRAMME STOPPED")


def test_progress_rejects_bad_check_ins_naming_the_field(tmp_path: Path) -> None:
    plan_file = tmp_path / "plan.json"
    plan_file.write_text(run("plan", str(EXAMPLES / "self_care.json")).stdout)
    bad = {
        "check_ins": [
            {
                "date": "2026-11-02",
                "pain_now": 3,
                "spasm_episodes": 1,
                "exercises_done": [{"exercise": "burpee", "sets": 1}],
            }
        ]
    }
    done = run("progress", str(plan_file), "-", stdin=json.dumps(bad))
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.splitlines() == [
        "check_ins[0].exercises_done[0].exercise: must be an exercise id from the catalogue "
        "(see `backcare exercises`)",
        "check_ins[0].new_warning_signs: is required and must be a list of at most "
        f"{len(WARNING_SIGNS)} items, each one of " + ", ".join(f'"{s}"' for s in WARNING_SIGNS),
    ]


def test_progress_refuses_a_plan_file_without_a_state(tmp_path: Path) -> None:
    plan_file = tmp_path / "plan.json"
    plan_file.write_text("{}")
    done = run("progress", str(plan_file), str(EXAMPLES / "check_ins.json"))
    assert done.returncode == 2
    assert done.stderr.startswith("state: is required")


def test_exercises_lists_the_catalogue_and_shows_one_in_full() -> None:
    listing = json.loads(run("exercises").stdout)
    assert len(listing) >= 23
    assert {"id": "bird_dog", "name": "Bird-dog", "category": "strength"}.items() <= next(
        e for e in listing if e["id"] == "bird_dog"
    ).items()
    one = json.loads(run("exercises", "bird_dog").stdout)
    assert one["steps"] and one["source"] and one["regression"] == "bird_dog_leg"
    text = run("exercises", "bird_dog", "--format", "text").stdout
    assert "Stop if:" in text


def test_an_unknown_exercise_exits_2() -> None:
    done = run("exercises", "burpee")
    assert done.returncode == 2
    assert done.stderr.startswith("burpee: unknown exercise")
