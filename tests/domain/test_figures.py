"""Every exercise has a figure, and every figure is geometrically right and light."""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET

import pytest

from backcare.domain import catalogue
from backcare.domain.figures.body import LENGTH
from backcare.domain.figures.describe import describe
from backcare.domain.figures.poses import place, pose_sets, problems
from backcare.domain.figures.render import animated_svg, static_svg

EXERCISES = sorted(catalogue.exercises())
MAX_BYTES = 15_000


def test_every_exercise_in_the_catalogue_has_pose_data() -> None:
    missing = sorted(set(EXERCISES) - set(pose_sets()))
    assert not missing, f"exercises without a figure: {missing}"
    assert set(pose_sets()) <= set(EXERCISES)


@pytest.mark.parametrize("exercise", EXERCISES)
def test_poses_keep_lengths_stay_out_of_the_floor_touch_their_props_and_bend_like_people(
    exercise: str,
) -> None:
    assert problems(pose_sets()[exercise]) == []


@pytest.mark.parametrize("exercise", EXERCISES)
def test_figures_are_valid_small_svg_without_script(exercise: str) -> None:
    pose = pose_sets()[exercise]
    hold = catalogue.exercises()[exercise].dose.hold_seconds
    figures = [animated_svg(pose, exercise, hold_seconds=hold)]
    figures += [static_svg(pose, i, exercise) for i in range(len(pose.frames))]
    for svg in figures:
        root = ET.fromstring(svg)
        assert root.tag.endswith("svg")
        assert len(svg.encode()) < MAX_BYTES
        assert "<script" not in svg
    assert "prefers-reduced-motion" in figures[0]


@pytest.mark.parametrize("exercise", EXERCISES)
def test_every_figure_has_a_text_alternative_naming_each_position(exercise: str) -> None:
    pose = pose_sets()[exercise]
    text = describe(pose)
    for frame in pose.frames:
        assert frame.label.lower() in text.lower()
    assert len(text) > 40


def test_a_bridge_keeps_shoulders_and_feet_on_the_mat_while_the_hips_rise() -> None:
    start, end = (place(f) for f in pose_sets()["bridge"].frames)
    assert end["pelvis"][1] > start["pelvis"][1] + 10
    assert math.dist(start["ankle_near"], end["ankle_near"]) < 1
    assert math.dist(start["shoulder"], end["shoulder"]) < 1


def test_a_bird_dog_extends_the_opposite_arm_and_leg() -> None:
    end = pose_sets()["bird_dog"].frames[-1]
    a = end.angles
    arm_out = {s: abs(math.sin(math.radians(a[f"upper_arm_{s}"]))) < 0.35 for s in ("near", "far")}
    leg_out = {s: abs(math.sin(math.radians(a[f"thigh_{s}"]))) < 0.35 for s in ("near", "far")}
    assert arm_out["near"] != arm_out["far"], "exactly one arm reaches forward"
    assert leg_out["near"] != leg_out["far"], "exactly one leg stretches back"
    assert arm_out["near"] == leg_out["far"], "the arm and the leg are on opposite sides"
    assert "opposite" in describe(pose_sets()["bird_dog"])


def test_a_childs_pose_sits_back_on_the_heels() -> None:
    end = place(pose_sets()["childs_pose"].frames[-1])
    heel = min(end["ankle_near"], end["ankle_far"], key=lambda p: math.dist(p, end["pelvis"]))
    assert math.dist(end["pelvis"], heel) < LENGTH["shin"] * 0.6


def test_every_segment_keeps_its_length_between_frames() -> None:
    for pose in pose_sets().values():
        for frame in pose.frames:
            p = place(frame)
            assert math.dist(p["pelvis"], p["midback"]) == pytest.approx(LENGTH["lower_back"])
            assert math.dist(p["midback"], p["shoulder"]) == pytest.approx(LENGTH["upper_back"])
            assert math.dist(p["wrist_near"], p["hand_near"]) == pytest.approx(LENGTH["hand"])
            assert math.dist(p["knee_far"], p["ankle_far"]) == pytest.approx(LENGTH["shin"])
