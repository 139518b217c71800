"""The reviewed content for the programme: sources on everything, no link to a missing id."""

from __future__ import annotations

import pytest

from backcare.domain import catalogue, content
from backcare.domain.causes import RULES

EXERCISES = catalogue.exercises()
TOPICS = catalogue.topics()
SOURCES = set(content.sources())

REQUIRED_EXERCISES = {
    "walking", "pelvic_tilt", "knee_to_chest", "childs_pose", "cat_cow", "drawing_in",
    "drawing_in_head_lift", "bridge", "bird_dog", "bird_dog_arm", "bird_dog_leg",
    "side_lying_hip_abduction", "prone_leg_lift", "plank_knees", "plank",
    "back_extension_prone", "back_extension_ball", "squat", "lunge", "step_up",
    "hip_hinge_lift", "cool_down", "breathing_relaxation",
}  # fmt: skip


def test_the_catalogue_has_every_exercise_the_clinics_name() -> None:
    assert set(EXERCISES) >= REQUIRED_EXERCISES


@pytest.mark.parametrize("exercise_id", sorted(EXERCISES))
def test_every_exercise_is_sourced_and_links_to_real_exercises(exercise_id: str) -> None:
    e = EXERCISES[exercise_id]
    assert set(e.sources) <= SOURCES
    for link in (e.progression, e.regression):
        assert link is None or (link in EXERCISES and link != e.id)
    assert len(e.steps) >= 3 and e.purpose
    from backcare.domain.stopping import stop_rules

    assert stop_rules(e.id)


@pytest.mark.parametrize("exercise_id", sorted(EXERCISES))
def test_every_dose_has_ceilings_at_or_above_its_start(exercise_id: str) -> None:
    dose = EXERCISES[exercise_id].dose
    pairs = [
        (dose.sets, dose.max_sets),
        (dose.reps, dose.max_reps),
        (dose.hold_seconds, dose.max_hold_seconds),
        (dose.duration_minutes, dose.max_duration_minutes),
    ]
    for start, ceiling in pairs:
        if start is not None:
            assert ceiling is not None and ceiling >= start


def test_progression_chains_never_loop() -> None:
    for start in EXERCISES:
        seen, current = set(), start
        while (current := EXERCISES[current].progression) is not None:
            assert current not in seen, f"loop through {current}"
            seen.add(current)


@pytest.mark.parametrize("topic_id", sorted(TOPICS))
def test_every_topic_is_sourced_and_links_to_real_ids(topic_id: str) -> None:
    t = TOPICS[topic_id]
    assert set(t.sources) <= SOURCES
    assert set(t.related) <= set(TOPICS)
    assert set(t.exercises) <= set(EXERCISES)


@pytest.mark.parametrize(
    "topic_id",
    [
        "clinic_treatments",
        "tens",
        "ultrasound",
        "medicines",
        "imaging",
        "manual_therapy",
        "massage",
    ],
)
def test_treatment_and_medicine_topics_carry_an_honest_evidence_note(topic_id: str) -> None:
    assert TOPICS[topic_id].evidence_note


def test_medicine_content_never_gives_a_dose() -> None:
    import re

    text = " ".join(
        " ".join([t.summary, *t.body, *t.habits, t.evidence_note or ""]) for t in TOPICS.values()
    )
    assert not re.search(r"\d+\s*(mg|milligram|ml\b|tablets? a day|times a day)", text, re.I)
    assert "pharmacist" in " ".join(TOPICS["medicines"].body).lower()


def test_first_aid_timing_is_safe() -> None:
    aid = catalogue.first_aid()
    for item in (aid.cold, aid.heat):
        assert item.max_minutes <= 20
        assert item.skin_recovery_hours >= 2
        assert set(item.sources) <= SOURCES
    assert aid.cold.use_within_hours == 48
    assert {"side_lying", "back_lying", "reclined"} <= {p.id for p in aid.position}
    for entry in [*aid.position, *aid.advice]:
        assert set(entry.sources) <= SOURCES


@pytest.mark.parametrize("phase", [1, 2, 3, 4])
def test_every_phase_template_prescribes_exercises_that_fit_it(phase: int) -> None:
    template = catalogue.phases()[phase]
    assert set(template.sources) <= SOURCES
    for exercise_id in template.exercises:
        assert phase in EXERCISES[exercise_id].phases, exercise_id


def test_every_cause_rule_has_a_topic() -> None:
    assert {topic for topic, _ in RULES} <= set(TOPICS)


def test_progression_messages_are_sourced() -> None:
    for message in catalogue.messages().values():
        assert set(message.sources) <= SOURCES
