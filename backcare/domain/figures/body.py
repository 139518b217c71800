"""One body model for every figure, and forward kinematics from segment angles.

World units are centimetres of a 170 cm adult, y pointing up, the floor at y = 0. Each segment's
angle is absolute, in degrees: 0 points to the right (+x), 90 straight up. A body faces the way
that is 90 degrees clockwise of its trunk (hip to shoulder): standing with the trunk at 90 faces
right; lying on the back with the head to the left (trunk 180) faces up; face down with the head
to the right (trunk 0) faces down. Positions follow from the angles, so every frame keeps every
segment's length.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

Point = tuple[float, float]
Side = Literal["near", "far", "mid"]

LENGTH = {
    "trunk": 52.0,  # hip joint to shoulder joint, when the back is straight
    "lower_back": 24.0,  # hip joint to the middle of the back
    "upper_back": 28.0,  # middle of the back to the shoulder joint
    "neck": 14.0,  # shoulder joint to the centre of the head
    "upper_arm": 30.0,
    "forearm": 26.0,
    "hand": 9.0,
    "thigh": 44.0,
    "shin": 43.0,
    "foot": 20.0,  # ankle to toes
}
RADIUS = {  # half the thickness of each part, for contact and floor checks
    "head": 11.0,
    "neck": 5.0,
    "trunk": 14.0,
    "upper_arm": 5.5,
    "forearm": 4.5,
    "hand": 3.5,
    "thigh": 8.0,
    "shin": 6.0,
    "foot": 4.0,
}

ANGLES = (
    "trunk",
    "head",
    "upper_arm_near",
    "forearm_near",
    "upper_arm_far",
    "forearm_far",
    "thigh_near",
    "shin_near",
    "foot_near",
    "thigh_far",
    "shin_far",
    "foot_far",
)
# Optional: the upper back's own angle (default: in line with the trunk), so a back can round or
# arch; and each hand's angle (default: in line with its forearm), so a hand can lie flat.
OPTIONAL_ANGLES = ("chest", "hand_near", "hand_far")


@dataclass(frozen=True, slots=True)
class Segment:
    name: str  # e.g. "shin_near"
    part: str  # e.g. "shin"
    side: Side
    start: Point
    end: Point
    radius: float


def _step(origin: Point, angle: float, length: float) -> Point:
    rad = math.radians(angle)
    return (origin[0] + length * math.cos(rad), origin[1] + length * math.sin(rad))


def joints(angles: dict[str, float], pelvis: Point) -> dict[str, Point]:
    """Every named point of the body, from the segment angles and the pelvis (hip joint)."""
    p: dict[str, Point] = {"pelvis": pelvis}
    chest = angles.get("chest", angles["trunk"])
    p["midback"] = _step(pelvis, angles["trunk"], LENGTH["lower_back"])
    p["shoulder"] = _step(p["midback"], chest, LENGTH["upper_back"])
    p["head"] = _step(p["shoulder"], angles["head"], LENGTH["neck"])
    for side in ("near", "far"):
        p[f"elbow_{side}"] = _step(p["shoulder"], angles[f"upper_arm_{side}"], LENGTH["upper_arm"])
        p[f"wrist_{side}"] = _step(p[f"elbow_{side}"], angles[f"forearm_{side}"], LENGTH["forearm"])
        hand = angles.get(f"hand_{side}", angles[f"forearm_{side}"])
        p[f"hand_{side}"] = _step(p[f"wrist_{side}"], hand, LENGTH["hand"])
        p[f"knee_{side}"] = _step(pelvis, angles[f"thigh_{side}"], LENGTH["thigh"])
        p[f"ankle_{side}"] = _step(p[f"knee_{side}"], angles[f"shin_{side}"], LENGTH["shin"])
        p[f"toe_{side}"] = _step(p[f"ankle_{side}"], angles[f"foot_{side}"], LENGTH["foot"])
    return p


def anchored(angles: dict[str, float], point: str, at: Point) -> dict[str, Point]:
    """The body placed so that the named point is exactly at `at`."""
    trial = joints(angles, (0.0, 0.0))
    if point not in trial:
        raise KeyError(f"no body point called {point!r}; known: {', '.join(sorted(trial))}")
    x, y = trial[point]
    return joints(angles, (at[0] - x, at[1] - y))


def segments(p: dict[str, Point]) -> list[Segment]:
    """The drawable parts, far side first (drawn behind), then the trunk and head, then near."""
    out: list[Segment] = []
    sides: tuple[Side, Side] = ("far", "near")
    for side in sides:
        limbs = [
            ("thigh", "pelvis", "knee"),
            ("shin", "knee", "ankle"),
            ("foot", "ankle", "toe"),
            ("upper_arm", "shoulder", "elbow"),
            ("forearm", "elbow", "wrist"),
            ("hand", "wrist", "hand"),
        ]
        if side == "near":
            out.append(Segment("neck", "neck", "mid", p["shoulder"], p["head"], RADIUS["neck"]))
            out.append(Segment("trunk", "trunk", "mid", p["pelvis"], p["midback"], RADIUS["trunk"]))
            chest = Segment("chest", "trunk", "mid", p["midback"], p["shoulder"], RADIUS["trunk"])
            out.append(chest)
        for part, a, b in limbs:
            start = p[a] if a in ("pelvis", "shoulder") else p[f"{a}_{side}"]
            out.append(Segment(f"{part}_{side}", part, side, start, p[f"{b}_{side}"], RADIUS[part]))
    return out


def norm(angle: float) -> float:
    """An angle in degrees brought into (-180, 180]."""
    a = (angle + 180.0) % 360.0 - 180.0
    return 180.0 if a == -180.0 else a
