"""The text alternative of a figure, worked out from the pose data itself."""

from __future__ import annotations

import math

from backcare.domain.figures.body import norm
from backcare.domain.figures.poses import Frame, PoseSet, flexion

WORDS = {
    "pelvis": "hips",
    "shoulder": "shoulders",
    "head": "head",
    "hand": "hands",
    "wrist": "hands",
    "elbow": "forearms",
    "knee": "knees",
    "ankle": "feet",
    "toe": "toes",
}
SURFACE = {
    "floor": "the floor",
    "mat": "the mat",
    "wall": "the wall",
    "bench": "the bench",
    "ball": "the ball",
    "pillow": "the pillow",
    "step": "the step",
}


def describe(pose: PoseSet) -> str:
    parts = []
    for frame in pose.frames:
        label = frame.label[0].upper() + frame.label[1:]
        hold = " (hold)" if frame.hold else ""
        parts.append(f"{label}{hold}: {_frame(frame, pose.view)}.")
    return " ".join(parts)


def _frame(frame: Frame, view: str) -> str:
    touching = {c.point.split("_")[0] for c in frame.contacts}
    bits = [_posture(frame, view, touching)]
    bits += _limbs(frame, view)
    bits += _contacts(frame)
    return ", ".join(b for b in bits if b)


def _posture(frame: Frame, view: str, touching: set[str]) -> str:
    trunk = norm(frame.angles["trunk"])
    horizontal = abs(trunk) < 35 or abs(trunk) > 145
    upright = 55 < trunk < 125
    facing_up = math.sin(math.radians(trunk - 90)) > 0
    f = flexion(frame.angles)
    sitting_back = (
        min(f["knee_near"], f["knee_far"]) > 120 and max(f["hip_near"], f["hip_far"]) > 100
    )
    if "knee" in touching and sitting_back:
        return "kneeling, sitting back towards your heels"
    if horizontal:
        if view == "front":
            return "lying on your side"
        if "knee" in touching and touching & {"hand", "wrist"}:
            return "on your hands and knees"
        if "elbow" in touching and "toe" in touching:
            return "in a plank on your forearms and toes"
        if "elbow" in touching and "knee" in touching:
            return "in a plank on your forearms and knees"
        if facing_up:
            if "shoulder" in touching and "pelvis" not in touching:
                return "lying on your back with your hips lifted"
            return "lying on your back"
        return "lying face down"
    if upright:
        if "pelvis" in touching:
            return "sitting"
        if "knee" in touching:
            return "kneeling"
        return "standing"
    if "knee" in touching and touching & {"hand", "wrist", "elbow"}:
        return "kneeling, sitting back towards your heels with your arms stretched forward"
    if "pelvis" in touching or (touching & {"hand", "wrist"} and not facing_up):
        return "leaning forward"
    return "bending forward" if trunk < 90 else "leaning back"


def _limbs(frame: Frame, view: str) -> list[str]:
    f = flexion(frame.angles)
    out = []
    if f["spine"] < -15:
        out.append("back rounded")
    elif f["spine"] > 15:
        out.append("back arched")
    knees = [f["knee_near"], f["knee_far"]]
    if view == "front":
        lift = abs(f["hip_near"]) - abs(f["hip_far"])
        if lift > 12:
            out.append("top leg lifted away from the bottom leg")
        return out
    if all(k > 45 for k in knees):
        out.append("knees bent")
    elif all(k < 15 for k in knees):
        out.append("legs straight")
    else:
        out.append("one knee bent, the other leg straight")
    near_hip, far_hip = f["hip_near"], f["hip_far"]
    if max(near_hip, far_hip) > 110 and abs(near_hip - far_hip) > 40:
        out.append("one knee drawn towards your chest")
    reach = {s: f[f"shoulder_{s}"] > 130 for s in ("near", "far")}
    behind = {s: f[f"hip_{s}"] < 5 and f[f"knee_{s}"] < 25 for s in ("near", "far")}
    if (reach["near"] and behind["far"]) or (reach["far"] and behind["near"]):
        if not (reach["near"] and reach["far"]):
            out.append("one arm reaching forward and the opposite leg stretched back")
    elif reach["near"] and reach["far"]:
        out.append("arms reaching forward")
    elif reach["near"] or reach["far"]:
        out.append("one arm reaching forward")
    elif behind["near"] != behind["far"] and any(k > 45 for k in knees):
        out.append("one leg stretched back")
    return out


def _contacts(frame: Frame) -> list[str]:
    by_surface: dict[str, list[str]] = {}
    for c in frame.contacts:
        word = WORDS.get(c.point.split("_")[0], c.point)
        names = by_surface.setdefault(c.prop, [])
        if word not in names:
            names.append(word)
    return [
        f"{_join(names)} on {SURFACE[surface]}"
        if surface != "wall"
        else f"{_join(names)} against the wall"
        for surface, names in by_surface.items()
    ]


def _join(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]
