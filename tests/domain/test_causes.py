"""Contributing causes from the answers, each with the answers that led to it."""

from __future__ import annotations

from typing import Any

import pytest

from backcare.domain.causes import contributing_causes
from tests.domain.people import assessment, startback


@pytest.mark.parametrize(
    ("overrides", "topic", "because"),
    [
        (
            {"lifestyle": {"desk_hours_per_day": 6}},
            "posture",
            "you sit at a desk for about 6 hours",
        ),
        ({"mechanism": "sitting"}, "posture", "the spasm began while you were sitting"),
        (
            {"lifestyle": {"active_days_per_week": 1}},
            "inactivity",
            "you are active on 1 day a week",
        ),
        ({"mechanism": "bending"}, "overuse_strain", "the spasm began while bending"),
        ({"lifestyle": {"heavy_lifting_at_work": True}}, "heavy_lifting", "your work involves"),
        ({"mechanism": "twisting"}, "twisting_sports", "the spasm began with a twist"),
        ({"lifestyle": {"twisting_sports": True}}, "twisting_sports", "you play a sport"),
        ({"lifestyle": {"stress": 7}}, "stress_anxiety", "you rated your stress 7 out of 10"),
        ({"startback": {**startback(), "q6": True}}, "stress_anxiety", "worrying thoughts"),
        ({"lifestyle": {"previous_episodes": 3}}, "weak_core", "you have had 3 earlier episodes"),
        ({"lifestyle": {"hamstrings_feel_tight": True}}, "tight_hamstrings", "the backs of your"),
        ({"age": 50}, "age", "you are 50"),
        ({"mechanism": "fall"}, "injury", "the pain began after a fall"),
        (
            {"lifestyle": {"high_heels_often": True}},
            "prevent_footwear",
            "you often wear high heels",
        ),
    ],
)
def test_answers_point_to_causes(overrides: dict[str, Any], topic: str, because: str) -> None:
    causes = {c.topic: c for c in contributing_causes(assessment(**overrides))}
    assert topic in causes
    assert any(line.startswith(because) for line in causes[topic].because)
    assert causes[topic].source_ids


@pytest.mark.parametrize(
    "overrides",
    [
        {
            "lifestyle": {
                "desk_hours_per_day": 5,
                "active_days_per_week": 3,
                "stress": 6,
                "previous_episodes": 1,
            }
        },
        {"age": 49, "mechanism": "none"},
    ],
)
def test_answers_just_below_the_thresholds_point_to_nothing(overrides: dict[str, Any]) -> None:
    overrides.setdefault("mechanism", "none")
    assert contributing_causes(assessment(**overrides)) == ()


def test_no_lifestyle_answers_means_only_the_episode_speaks() -> None:
    assert [c.topic for c in contributing_causes(assessment(mechanism="lifting"))] == [
        "overuse_strain"
    ]


@pytest.mark.parametrize(
    ("overrides", "topic", "may_help"),
    [
        ({"mechanism": "sitting"}, "posture", True),
        ({"lifestyle": {"previous_episodes": 3}}, "weak_core", True),
        ({"lifestyle": {"hamstrings_feel_tight": True}}, "tight_hamstrings", True),
        ({"lifestyle": {"high_heels_often": True}}, "prevent_footwear", True),
        ({"mechanism": "bending"}, "overuse_strain", False),
        ({"lifestyle": {"stress": 8}}, "stress_anxiety", False),
    ],
)
def test_unproven_causes_are_offered_only_as_what_may_help(
    overrides: dict[str, Any], topic: str, may_help: bool
) -> None:
    causes = {c.topic: c for c in contributing_causes(assessment(**overrides))}
    assert causes[topic].may_help is may_help


def test_no_answer_raises_water_or_a_spine_problem_as_a_cause() -> None:
    everything = assessment(recurring_same_place=True, lifestyle={"previous_episodes": 3})
    topics = {c.topic for c in contributing_causes(everything)}
    assert not topics & {"dehydration_electrolytes", "spinal_conditions"}
