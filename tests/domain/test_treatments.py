"""Structured treatments: sane values pass; a value that cannot be right is refused, naming the
field and what is allowed."""

from __future__ import annotations

from typing import Any

import pytest

from backcare.domain import content
from backcare.domain.treatments import KINDS, kinds, parse_treatment, summary
from backcare.domain.validation import InputError

GOOD: dict[str, dict[str, Any]] = {
    "tens": {
        "kind": "tens",
        "mode": "conventional",
        "frequency_hz": 100,
        "pulse_width_us": 200,
        "minutes": 20,
        "intensity": "strong_but_comfortable",
        "electrode_sites": "L4/5 paraspinals, both sides",
        "device": "Clinic TENS unit 2",
    },
    "ultrasound": {
        "kind": "ultrasound",
        "frequency_mhz": 3,
        "intensity_w_cm2": 0.5,
        "duty_cycle_percent": 20,
        "minutes": 5,
        "head_era_cm2": 5,
        "area_cm2": 10,
        "site": "left lumbar paraspinals",
        "device": "Sonopuls 1",
    },
    "heat_cold": {
        "kind": "heat_cold",
        "agent": "hot_pack",
        "site": "low back",
        "minutes": 15,
        "layers": 2,
        "skin_checked": True,
    },
    "mobilisation": {
        "kind": "mobilisation",
        "technique": "central_pa",
        "level": "L4/5",
        "grade": "III",
        "sets": 3,
        "seconds_per_set": 30,
    },
    "soft_tissue": {
        "kind": "soft_tissue",
        "area": "quadratus lumborum",
        "technique": "massage",
        "minutes": 10,
    },
    "dry_needling": {
        "kind": "dry_needling",
        "consent": True,
        "muscles": "left gluteus medius",
        "needles_in": 4,
        "needles_out": 4,
        "retention_minutes": 10,
    },
    "exercises_taught": {"kind": "exercises_taught", "exercises": ["bridge", "bird_dog"]},
}


def test_every_kind_has_a_good_example_a_name_and_a_known_source() -> None:
    assert set(GOOD) == set(KINDS)
    known = content.sources()
    for info in kinds().values():
        assert info.name and info.source_ids and all(s in known for s in info.source_ids)


@pytest.mark.parametrize("kind", KINDS)
def test_sane_values_pass_and_read_as_one_line(kind: str) -> None:
    treatment = parse_treatment(GOOD[kind])
    assert treatment.kind == kind
    assert summary(treatment)


@pytest.mark.parametrize(
    ("kind", "change", "problem"),
    [
        (
            "tens",
            {"frequency_hz": 300},
            "frequency_hz: must be from 80 to 150 Hz for conventional TENS, not 300",
        ),
        (
            "tens",
            {"mode": "acupuncture_like"},
            "frequency_hz: must be from 1 to 5 Hz for acupuncture-like TENS, not 100",
        ),
        ("tens", {"pulse_width_us": 20}, "pulse_width_us: must be from 50 to 250 microseconds"),
        ("tens", {"minutes": 0}, "minutes: must be from 1 to 60 minutes, not 0"),
        (
            "tens",
            {"intensity": "max"},
            'intensity: must be one of "sensory", "strong_but_comfortable"',
        ),
        ("ultrasound", {"frequency_mhz": 2}, "frequency_mhz: must be one of 1, 3"),
        (
            "ultrasound",
            {"intensity_w_cm2": 2.5},
            "intensity_w_cm2: must be from 0.1 to 2 W/cm2, not 2.5",
        ),
        (
            "ultrasound",
            {"duty_cycle_percent": 10},
            "duty_cycle_percent: must be from 20 to 100 %, not 10",
        ),
        (
            "ultrasound",
            {"area_cm2": 11},
            "area_cm2: must be at most twice the head's effective radiating area (10 cm2",
        ),
        ("heat_cold", {"minutes": 30}, "minutes: must be from 10 to 20 minutes, not 30"),
        ("heat_cold", {"layers": 0}, "layers: must be from 1 to 6 layers, not 0"),
        ("heat_cold", {"skin_checked": False}, "skin_checked: the skin must be checked"),
        ("mobilisation", {"grade": "VI"}, 'grade: must be one of "I", "II", "III", "IV", "V"'),
        ("mobilisation", {"level": "L9"}, "level: must be a spinal level such as L4 or L4/5"),
        ("mobilisation", {"sets": 40}, "sets: must be from 1 to 10 sets, not 40"),
        ("soft_tissue", {"minutes": 120}, "minutes: must be from 1 to 60 minutes, not 120"),
        ("dry_needling", {"needles_out": 3}, "needles_out: must equal needles_in (4)"),
        ("dry_needling", {"consent": False}, "consent: dry needling needs the patient's consent"),
        (
            "dry_needling",
            {"retention_minutes": 45},
            "retention_minutes: must be from 0 to 30 minutes, not 45",
        ),
        (
            "exercises_taught",
            {"exercises": ["burpee"]},
            "exercises[0]: must be an exercise id from the catalogue",
        ),
        ("exercises_taught", {"exercises": []}, "exercises: must be a list of 1 to 20 items"),
        ("tens", {"frequency_hz": "100"}, "frequency_hz: must be a number"),
        ("tens", {"surprise": 1}, "surprise: unknown field"),
    ],
)
def test_a_value_that_cannot_be_right_is_refused_naming_the_field(
    kind: str, change: dict[str, Any], problem: str
) -> None:
    with pytest.raises(InputError) as caught:
        parse_treatment({**GOOD[kind], **change})
    assert any(line.startswith(problem) for line in caught.value.problems), caught.value.problems


@pytest.mark.parametrize("data", [{}, {"kind": "zap"}, {"kind": 3}])
def test_an_unknown_kind_lists_the_kinds(data: dict[str, Any]) -> None:
    with pytest.raises(InputError) as caught:
        parse_treatment(data)
    assert caught.value.problems == [f"kind: must be one of {', '.join(KINDS)}"]


def test_grade_five_is_manipulation() -> None:
    t = parse_treatment({**GOOD["mobilisation"], "grade": "V"})
    assert summary(t).startswith("Manipulation L4/5, grade V")


@pytest.mark.parametrize("kind", ["tens", "ultrasound", "mobilisation", "soft_tissue"])
def test_the_nice_note_is_shown_beside_the_treatments_it_covers(kind: str) -> None:
    assert kinds()[kind].nice.startswith("NICE NG59")
