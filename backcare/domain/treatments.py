"""Structured treatments in a treatment note: typed parameters checked against sane ranges.

backcare records what a physiotherapist did; it never prescribes a treatment dose. The ranges
(content/treatments.toml, each with its sources) only refuse values that cannot be right, such
as 300 Hz TENS or ultrasound at 5 W/cm2, naming the field and what is allowed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, ValidationError

from backcare.domain import catalogue, content
from backcare.domain.validation import STRICT, InputError, describe_errors

Text = Annotated[str, Field(min_length=1, max_length=200)]
Note = Annotated[str, Field(max_length=1000)]
LEVEL = re.compile(r"^([CTLS])(\d{1,2})(?:/([CTLS])?(\d{1,2}))?$")
SEGMENTS = {"C": 7, "T": 12, "L": 5, "S": 5}


def spinal_level(text: str) -> bool:
    """L4, L4/5, L5/S1, T12/L1, C7/T1: one level, or two neighbouring ones."""
    found = LEVEL.match(text.strip().upper())
    if found is None:
        return False
    region, number, region2, number2 = found.groups()
    if not 1 <= int(number) <= SEGMENTS[region]:
        return False
    if number2 is None:
        return True
    return 1 <= int(number2) <= SEGMENTS[region2 or region]


class Tens(BaseModel):
    model_config = STRICT

    kind: Literal["tens"]
    mode: Literal["conventional", "acupuncture_like"]
    frequency_hz: float
    pulse_width_us: float
    minutes: int
    intensity: Literal["sensory", "strong_but_comfortable"]
    electrode_sites: Text
    device: Text
    notes: Note = ""


class Ultrasound(BaseModel):
    model_config = STRICT

    kind: Literal["ultrasound"]
    frequency_mhz: Literal[1, 3]
    intensity_w_cm2: float
    duty_cycle_percent: int
    minutes: int
    head_era_cm2: float
    area_cm2: float
    site: Text
    device: Text
    notes: Note = ""


class HeatCold(BaseModel):
    model_config = STRICT

    kind: Literal["heat_cold"]
    agent: Literal["hot_pack", "wheat_bag", "infrared", "cold_pack", "ice"]
    site: Text
    minutes: int
    layers: int
    skin_checked: bool
    notes: Note = ""


class Mobilisation(BaseModel):
    model_config = STRICT

    kind: Literal["mobilisation"]
    technique: Literal["central_pa", "unilateral_pa", "rotation", "sidelying_rotation", "other"]
    level: Annotated[str, Field(min_length=2, max_length=7)]
    grade: Literal["I", "II", "III", "IV", "V"]
    sets: int
    seconds_per_set: int
    response: Note = ""


class SoftTissue(BaseModel):
    model_config = STRICT

    kind: Literal["soft_tissue"]
    area: Text
    technique: Literal["massage", "myofascial_release", "trigger_point", "other"]
    minutes: int
    notes: Note = ""


class DryNeedling(BaseModel):
    model_config = STRICT

    kind: Literal["dry_needling"]
    consent: bool
    muscles: Text
    needles_in: int
    needles_out: int
    retention_minutes: int
    notes: Note = ""


class ExercisesTaught(BaseModel):
    model_config = STRICT

    kind: Literal["exercises_taught"]
    exercises: Annotated[list[str], Field(min_length=1, max_length=20)]
    notes: Note = ""


Treatment = Annotated[
    Tens | Ultrasound | HeatCold | Mobilisation | SoftTissue | DryNeedling | ExercisesTaught,
    Field(discriminator="kind"),
]
MODELS: Mapping[str, type[BaseModel]] = {
    "tens": Tens,
    "ultrasound": Ultrasound,
    "heat_cold": HeatCold,
    "mobilisation": Mobilisation,
    "soft_tissue": SoftTissue,
    "dry_needling": DryNeedling,
    "exercises_taught": ExercisesTaught,
}
KINDS = tuple(MODELS)


@dataclass(frozen=True, slots=True)
class KindInfo:
    kind: str
    name: str
    nice: str
    source_ids: tuple[str, ...]

    @property
    def source(self) -> str:
        return content.cite(self.source_ids)


@cache
def kinds() -> Mapping[str, KindInfo]:
    raw = content.read("treatments")
    return {
        k: KindInfo(k, raw[k]["name"], raw[k].get("nice", ""), tuple(raw[k]["sources"]))
        for k in KINDS
    }


def parse_treatment(data: Mapping[str, Any]) -> Treatment:
    """A validated treatment, or InputError with one line per problem, each naming the field."""
    kind = data.get("kind")
    model = MODELS.get(kind) if isinstance(kind, str) else None
    if model is None:
        raise InputError([f"kind: must be one of {', '.join(KINDS)}"])
    try:
        treatment: Treatment = model.model_validate(dict(data))  # type: ignore[assignment]
    except ValidationError as exc:
        raise InputError(describe_errors(model, exc)) from None
    problems = _out_of_range(treatment)
    if problems:
        raise InputError(problems)
    return treatment


def _between(
    name: str, value: float, low: float, high: float, unit: str, why: str = ""
) -> list[str]:
    if low <= value <= high:
        return []
    suffix = f" {why}" if why else ""
    return [f"{name}: must be from {low:g} to {high:g} {unit}{suffix}, not {value:g}".strip()]


def _ranges(kind: str) -> dict[str, list[float]]:
    return dict(content.read("treatments")[kind].get("ranges", {}))


UNITS = {
    "minutes": "minutes",
    "frequency_hz": "Hz",
    "pulse_width_us": "microseconds",
    "intensity_w_cm2": "W/cm2",
    "duty_cycle_percent": "%",
    "head_era_cm2": "cm2",
    "area_cm2": "cm2",
    "layers": "layers",
    "sets": "sets",
    "seconds_per_set": "seconds",
    "needles_in": "needles",
    "needles_out": "needles",
    "retention_minutes": "minutes",
}


def _out_of_range(t: Treatment) -> list[str]:
    problems: list[str] = []
    for name, (low, high) in _ranges(t.kind).items():
        value = getattr(t, name, None)
        if isinstance(value, int | float) and not isinstance(value, bool):
            problems += _between(name, value, low, high, UNITS.get(name, ""))
    if isinstance(t, Tens):
        mode = content.read("treatments")["tens"]["modes"][t.mode]
        label = "for conventional TENS" if t.mode == "conventional" else "for acupuncture-like TENS"
        for name in ("frequency_hz", "pulse_width_us"):
            low, high = mode[name]
            problems += _between(name, getattr(t, name), low, high, UNITS[name], label)
    elif isinstance(t, Ultrasound):
        limit = content.read("treatments")["ultrasound"]["area_per_era"] * t.head_era_cm2
        if t.area_cm2 > limit:
            problems.append(
                f"area_cm2: must be at most twice the head's effective radiating area "
                f"({limit:g} cm2 for a {t.head_era_cm2:g} cm2 head), not {t.area_cm2:g}"
            )
    elif isinstance(t, HeatCold):
        if not t.skin_checked:
            problems.append("skin_checked: the skin must be checked before and after heat or cold")
    elif isinstance(t, Mobilisation):
        if not spinal_level(t.level):
            problems.append(
                f"level: must be a spinal level such as L4 or L4/5, L5/S1, T12/L1, not {t.level!r}"
            )
    elif isinstance(t, DryNeedling):
        if not t.consent:
            problems.append("consent: dry needling needs the patient's consent, recorded first")
        if t.needles_out != t.needles_in:
            problems.append(
                f"needles_out: must equal needles_in ({t.needles_in}): every needle put in "
                f"must be accounted for, not {t.needles_out}"
            )
    elif isinstance(t, ExercisesTaught):
        known = catalogue.exercises()
        problems += [
            f"exercises[{i}]: must be an exercise id from the catalogue, not {e!r}"
            for i, e in enumerate(t.exercises)
            if e not in known
        ]
    return problems


def summary(t: Treatment) -> str:
    """One line for the note and the record, e.g. 'TENS, conventional 100 Hz 200 us, 20 min'."""
    if isinstance(t, Tens):
        mode = t.mode.replace("_", "-")
        return (
            f"TENS, {mode} {t.frequency_hz:g} Hz {t.pulse_width_us:g} us, {t.minutes} min, "
            f"{t.electrode_sites}"
        )
    if isinstance(t, Ultrasound):
        return (
            f"Ultrasound {t.frequency_mhz} MHz {t.intensity_w_cm2:g} W/cm2 "
            f"{t.duty_cycle_percent}% duty, {t.minutes} min, {t.site} ({t.area_cm2:g} cm2)"
        )
    if isinstance(t, HeatCold):
        return f"{t.agent.replace('_', ' ').capitalize()}, {t.site}, {t.minutes} min"
    if isinstance(t, Mobilisation):
        what = "Manipulation" if t.grade == "V" else "Mobilisation"
        technique = t.technique.replace("_", " ")
        if t.grade == "V":
            return f"{what} {t.level}, grade V ({technique})"
        return f"{what} {t.level}, grade {t.grade} ({technique}), {t.sets} x {t.seconds_per_set} s"
    if isinstance(t, SoftTissue):
        return f"{t.technique.replace('_', ' ').capitalize()}, {t.area}, {t.minutes} min"
    if isinstance(t, DryNeedling):
        return f"Dry needling, {t.muscles}, {t.needles_in} needles, {t.retention_minutes} min"
    names = catalogue.exercises()
    return "Exercises taught: " + ", ".join(names[e].name for e in t.exercises)
