"""Pose data (content/poses/<exercise>.toml), validated, positioned and checked.

The checks are what a physiotherapist would check by eye: every segment keeps its length (by
construction: positions come from angles), no part of the body passes through the floor or a
prop, the points that should touch a prop do, and every joint stays within a human range.
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib.resources import files
from typing import Annotated, Literal

from pydantic import BaseModel, Field, model_validator

from backcare.domain.figures.body import (
    ANGLES,
    LENGTH,
    OPTIONAL_ANGLES,
    RADIUS,
    Point,
    anchored,
    norm,
    segments,
)
from backcare.domain.figures.scene import Prop
from backcare.domain.validation import STRICT

CONTACT_TOLERANCE = 3.0  # cm: close enough to count as touching, or as not passing through
POINT_RADIUS = {
    "pelvis": RADIUS["trunk"],
    "midback": RADIUS["trunk"],
    "shoulder": RADIUS["trunk"],
    "head": RADIUS["head"],
    "elbow": RADIUS["upper_arm"],
    "wrist": RADIUS["forearm"],
    "hand": RADIUS["hand"],
    "knee": RADIUS["shin"],
    "ankle": RADIUS["shin"],
    "toe": RADIUS["foot"],
}


class Contact(BaseModel):
    model_config = STRICT
    point: str
    prop: Literal["floor", "mat", "wall", "bench", "ball", "pillow", "step"]


class Anchor(BaseModel):
    model_config = STRICT
    point: str
    x: float
    y: float


class Frame(BaseModel):
    model_config = STRICT
    label: str
    hold: bool = False
    anchor: Anchor
    angles: dict[str, float]
    contacts: list[Contact] = []

    @model_validator(mode="after")
    def _all_angles(self) -> Frame:
        missing = sorted(set(ANGLES) - set(self.angles))
        unknown = sorted(set(self.angles) - set(ANGLES) - set(OPTIONAL_ANGLES))
        if missing or unknown:
            raise ValueError(f"angles: missing {missing}, unknown {unknown}")
        return self


class PropSpec(BaseModel):
    model_config = STRICT
    kind: Literal["mat", "wall", "bench", "ball", "pillow", "step"]
    x: float = 0.0
    y: float = 0.0
    width: float = 0.0
    height: float = 0.0


class Arrow(BaseModel):
    """A cue for the direction of movement: from a body point in the first frame, by (dx, dy)."""

    model_config = STRICT
    point: str
    dx: float
    dy: float


Highlightable = Literal[
    "pelvis",
    "trunk",
    "chest",
    "neck",
    "upper_arm_near",
    "forearm_near",
    "upper_arm_far",
    "forearm_far",
    "thigh_near",
    "shin_near",
    "thigh_far",
    "shin_far",
]


class PoseSet(BaseModel):
    model_config = STRICT
    exercise: str
    view: Literal["side", "front"] = "side"
    props: list[PropSpec] = []
    highlight: list[Highlightable] = []
    arrow: Arrow | None = None
    frames: Annotated[list[Frame], Field(min_length=2, max_length=6, alias="frame")]

    def scene(self) -> list[Prop]:
        return [Prop("floor"), *(Prop(p.kind, p.x, p.y, p.width, p.height) for p in self.props)]


def place(frame: Frame) -> dict[str, Point]:
    return anchored(frame.angles, frame.anchor.point, (frame.anchor.x, frame.anchor.y))


@cache
def pose_sets() -> dict[str, PoseSet]:
    folder = files("backcare.domain.content").joinpath("poses")
    out = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".toml"):
            data = tomllib.loads(entry.read_text(encoding="utf-8"))
            pose = PoseSet.model_validate(data)
            out[pose.exercise] = pose
    return out


def problems(pose: PoseSet) -> list[str]:
    """Everything wrong with a pose set, in words (empty when it is right)."""
    out: list[str] = []
    scene = pose.scene()
    for frame in pose.frames:
        try:
            points = place(frame)
        except KeyError as exc:
            out.append(f"{frame.label}: {exc}")
            continue
        where = f"{pose.exercise} {frame.label}"
        out += [f"{where}: {p}" for p in _contacts(frame, points, scene)]
        out += [f"{where}: {p}" for p in _penetration(points, scene)]
        out += [f"{where}: {p}" for p in _joint_ranges(frame, pose.view)]
        out += [f"{where}: {p}" for p in _lengths(points)]
    return out


def _radius(point: str) -> float:
    return POINT_RADIUS[point.split("_")[0]]


def _contacts(frame: Frame, points: dict[str, Point], scene: list[Prop]) -> list[str]:
    out = []
    for contact in frame.contacts:
        if contact.point not in points:
            out.append(f"contact with an unknown point {contact.point!r}")
            continue
        props = [p for p in scene if p.kind == contact.prop]
        if not props:
            out.append(f"{contact.point} should touch a {contact.prop} that is not in the scene")
            continue
        gap = min(p.distance(points[contact.point]) for p in props) - _radius(contact.point)
        if abs(gap) > CONTACT_TOLERANCE + (4.0 if contact.prop == "pillow" else 0.0):
            out.append(f"{contact.point} should touch the {contact.prop} but is {gap:+.1f} cm away")
    return out


def _penetration(points: dict[str, Point], scene: list[Prop]) -> list[str]:
    out = []
    parts = segments(points)
    samples = [(s.name, s.radius, s.start, s.end) for s in parts]
    samples.append(("head", RADIUS["head"], points["head"], points["head"]))
    for name, radius, (x0, y0), (x1, y1) in samples:
        for prop in scene:
            give = radius * 0.6 if prop.soft else 0.0
            worst = min(
                prop.distance((x0 + (x1 - x0) * t / 8, y0 + (y1 - y0) * t / 8)) for t in range(9)
            )
            if worst < radius - CONTACT_TOLERANCE - give:
                depth = radius - worst
                out.append(f"{name} passes {depth:.1f} cm into the {prop.kind}")
    return out


SIDE_RANGES = {  # (name, low, high) of each joint's flexion, in degrees
    "spine": (-35.0, 35.0),
    "wrist": (-95.0, 95.0),
    "neck": (-65.0, 65.0),
    "shoulder": (-70.0, 180.0),
    "elbow": (-5.0, 155.0),
    "hip": (-40.0, 150.0),
    "knee": (-5.0, 160.0),
    "ankle": (35.0, 145.0),
}
FRONT_RANGES = {
    "spine": (-25.0, 25.0),
    "wrist": (-95.0, 95.0),
    "neck": (-45.0, 45.0),
    "shoulder": (-180.0, 180.0),
    "elbow": (-155.0, 155.0),
    "hip": (-45.0, 60.0),
    "knee": (-20.0, 20.0),
    "ankle": (-180.0, 180.0),
}


def flexion(angles: dict[str, float]) -> dict[str, float]:
    """Each joint's angle between its two segments (for a body facing as body.py describes)."""
    a = angles
    chest = a.get("chest", a["trunk"])
    out = {"spine": norm(chest - a["trunk"]), "neck": norm(a["head"] - chest)}
    for side in ("near", "far"):
        hand = a.get(f"hand_{side}", a[f"forearm_{side}"])
        out[f"wrist_{side}"] = norm(hand - a[f"forearm_{side}"])
        out[f"shoulder_{side}"] = norm(a[f"upper_arm_{side}"] - (chest + 180.0))
        out[f"elbow_{side}"] = norm(a[f"forearm_{side}"] - a[f"upper_arm_{side}"])
        out[f"hip_{side}"] = norm(a[f"thigh_{side}"] - (a["trunk"] + 180.0))
        out[f"knee_{side}"] = norm(a[f"thigh_{side}"] - a[f"shin_{side}"])
        out[f"ankle_{side}"] = norm(a[f"foot_{side}"] - a[f"shin_{side}"])
    return out


def _joint_ranges(frame: Frame, view: str) -> list[str]:
    ranges = SIDE_RANGES if view == "side" else FRONT_RANGES
    out = []
    for joint, value in flexion(frame.angles).items():
        low, high = ranges[joint.split("_")[0]]
        if not low <= value <= high:
            out.append(f"{joint} at {value:.0f} degrees is outside {low:.0f} to {high:.0f}")
    return out


def _lengths(points: dict[str, Point]) -> list[str]:
    import math

    pairs = {
        "lower_back": ("pelvis", "midback"),
        "upper_back": ("midback", "shoulder"),
        "hand": ("wrist_near", "hand_near"),
        "upper_arm": ("shoulder", "elbow_near"),
        "forearm": ("elbow_near", "wrist_near"),
        "thigh": ("pelvis", "knee_near"),
        "shin": ("knee_near", "ankle_near"),
        "foot": ("ankle_near", "toe_near"),
    }
    return [
        f"{part} is {math.dist(points[a], points[b]):.1f} cm, not {LENGTH[part]:.1f}"
        for part, (a, b) in pairs.items()
        if abs(math.dist(points[a], points[b]) - LENGTH[part]) > 0.01
    ]
