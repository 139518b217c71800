"""Typed, validated access to the reviewed content files.

Each file is checked against a strict schema the first time it is used, so a typo in a content file
fails loudly (and in the tests) instead of silently dropping a field.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Annotated, Literal

from pydantic import BaseModel, Field

from backcare.domain import content
from backcare.domain.validation import STRICT

Category = Literal[
    "mobility", "stretch", "activation", "strength", "conditioning", "relaxation", "cool_down"
]
Phase = Literal[1, 2, 3, 4]
Equipment = Literal["mat", "pillow", "towel", "wall", "chair", "step", "ball", "bench"]
TopicKind = Literal[
    "cause", "prevention", "guidance", "recovery", "treatment", "medicines", "reassurance"
]
SourceIds = Annotated[list[str], Field(min_length=1)]


class Dose(BaseModel):
    """How much of an exercise: sets of reps (with an optional hold), or minutes."""

    model_config = STRICT

    sets: Annotated[int, Field(ge=1, le=10)]
    reps: Annotated[int, Field(ge=1, le=50)] | None = None
    hold_seconds: Annotated[int, Field(ge=1, le=120)] | None = None
    duration_minutes: Annotated[int, Field(ge=1, le=120)] | None = None
    per_side: bool = False
    times_per_day: Annotated[int, Field(ge=1, le=10)]
    rest_seconds: Annotated[int, Field(ge=0, le=600)]
    max_sets: Annotated[int, Field(ge=1, le=10)] | None = None
    max_reps: Annotated[int, Field(ge=1, le=50)] | None = None
    max_hold_seconds: Annotated[int, Field(ge=1, le=120)] | None = None
    max_duration_minutes: Annotated[int, Field(ge=1, le=120)] | None = None


class Exercise(BaseModel):
    model_config = STRICT

    id: str
    name: str
    purpose: str
    category: Category
    phases: Annotated[list[Phase], Field(min_length=1)]
    start_position: str
    steps: Annotated[list[str], Field(min_length=2)]
    breathing: str | None = None
    dose: Dose
    common_stop: bool = True  # the common stop rules of programme.toml [stop] apply
    stop_also: list[str]  # this exercise's own stop rules, each finishing "Stop if ..."
    progression: str | None = None
    regression: str | None = None
    cautions: list[str]
    equipment: list[Equipment]
    pause_for_pain: bool = True  # false: never paused, only cut to its shortest (walking)
    with_leg_symptoms: bool = True  # false: stretches leg nerves, left out on the sciatica track
    sources: SourceIds


class Thermal(BaseModel):
    """Ice or heat, with its safe timing."""

    model_config = STRICT

    name: str
    min_minutes: int
    max_minutes: int
    max_per_day: int
    use_within_hours: int | None = None
    from_hours: int | None = None
    skin_recovery_hours: int
    how: list[str]
    avoid_if: list[str]
    note: str | None = None
    sources: SourceIds


class Position(BaseModel):
    model_config = STRICT

    id: str
    name: str
    steps: list[str]
    why: str
    in_pregnancy: bool = True  # false: flat on the back, not advised after the first trimester
    sources: SourceIds


class AdviceItem(BaseModel):
    model_config = STRICT

    id: str
    title: str
    text: str
    sources: SourceIds


class PregnancyFirstAid(BaseModel):
    model_config = STRICT

    heat: str
    sources: SourceIds


class FirstAidContent(BaseModel):
    model_config = STRICT

    cold: Thermal
    heat: Thermal
    position: list[Position]
    advice: list[AdviceItem]
    pregnancy: PregnancyFirstAid


class Topic(BaseModel):
    model_config = STRICT

    id: str
    kind: TopicKind
    claim: str | None = None  # the kind of claim, when not the topic's kind (sources.toml scope)
    title: str
    summary: str
    body: list[str]
    habits: list[str] = []
    evidence_note: str | None = None
    related: list[str] = []
    exercises: list[str] = []
    sources: SourceIds


class PhaseTemplate(BaseModel):
    model_config = STRICT

    name: str
    goal: str
    exercises: list[str]
    review_after_days: int
    sources: SourceIds


class Message(BaseModel):
    model_config = STRICT

    text: str
    claim: str = "programme"  # the kind of claim, which every source's scope must cover
    sources: SourceIds


class StopRules(BaseModel):
    """The stop rules every exercise shares; each finishes "Stop if ..."."""

    model_config = STRICT

    pain: str
    graded: str
    leg: str
    leg_already: str
    spasm: str
    sources: SourceIds


@cache
def stop_rules() -> StopRules:
    return StopRules.model_validate(content.read("programme")["stop"])


@cache
def messages() -> Mapping[str, Message]:
    raw = content.read("programme")["advice"]
    return {key: Message.model_validate(value) for key, value in raw.items()}


@cache
def exercises() -> Mapping[str, Exercise]:
    items = [Exercise.model_validate(e) for e in content.read("exercises")["exercise"]]
    return {e.id: e for e in items}


@cache
def first_aid() -> FirstAidContent:
    return FirstAidContent.model_validate(content.read("first_aid"))


@cache
def topics() -> Mapping[str, Topic]:
    items = [Topic.model_validate(t) for t in content.read("education")["topic"]]
    return {t.id: t for t in items}


@cache
def pregnancy_set() -> PhaseTemplate:
    """The adapted exercises for pregnancy and the months after a birth, whatever the phase."""
    return PhaseTemplate.model_validate(content.read("programme")["pregnancy"])


@cache
def phases() -> Mapping[int, PhaseTemplate]:
    raw = content.read("programme")["phase"]
    return {int(key): PhaseTemplate.model_validate(value) for key, value in raw.items()}
