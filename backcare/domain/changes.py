"""A physiotherapist's changes to a programme: what they may change, and the check that keeps
every change inside the catalogue and the safety rules.

Changes are replayed with the check-ins (progress.py), so they survive later check-ins; a warning
sign still stops a changed programme, and nothing is added while the level allows no exercise.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from backcare.domain import catalogue
from backcare.domain.catalogue import Dose
from backcare.domain.plan import PlanState, phase_cap
from backcare.domain.triage import Level


class Change(StrEnum):
    ADD = "add"
    REMOVE = "remove"
    SWAP = "swap"
    DOSE = "dose"
    LOCK = "lock"
    UNLOCK = "unlock"
    NOTE = "note"


@dataclass(frozen=True, slots=True)
class ClinicianChange:
    """A physiotherapist's change to the programme, part of the replayed history from the day it
    was made (after that day's check-in), so it survives every later check-in.

    `exercise` is "*" for a lock or unlock of the whole programme. Warning signs still win: a
    stop stops a changed programme too, and nothing is added to a plan with no exercises.
    """

    on: date
    kind: Change
    exercise: str = "*"
    to: str | None = None
    dose: Dose | None = None
    note: str = ""


DOSE_FIELDS = (
    ("sets", "max_sets"),
    ("reps", "max_reps"),
    ("hold_seconds", "max_hold_seconds"),
    ("duration_minutes", "max_duration_minutes"),
)


def check_change(state: PlanState, change: ClinicianChange, *, current: list[str]) -> list[str]:
    """Problems with a change, one line each naming the field; [] when it may be made.

    `current` is the programme's exercises now (after progression). The level and phase rules
    win over any change: no exercise at an emergency or urgent level (or after a stop), and
    only exercises the person's phase cap allows.
    """
    problems: list[str] = []
    known = catalogue.exercises()
    level = Level(state.level)
    adds = change.kind in (Change.ADD, Change.SWAP, Change.DOSE)
    if adds and (not level.allows_exercise or state.phase is None):
        return [
            f"exercise: no exercises while the patient is at the {level.value.replace('_', ' ')} "
            "level: they need to be seen first"
        ]
    target = change.to if change.kind is Change.SWAP else change.exercise
    if change.exercise != "*" and change.exercise not in known:
        return [f"exercise: {change.exercise!r} is not in the exercise catalogue"]
    if change.kind is Change.SWAP and (change.to is None or change.to not in known):
        return [f"to: {change.to!r} is not in the exercise catalogue"]
    if change.kind is Change.ADD and change.exercise in current:
        problems.append(f"exercise: {known[change.exercise].name} is already in the programme")
    if change.kind in (Change.REMOVE, Change.SWAP, Change.DOSE) and change.exercise not in current:
        problems.append(f"exercise: {change.exercise!r} is not in the programme now")
    if change.kind is Change.SWAP and change.to in current:
        problems.append(f"to: {known[str(change.to)].name} is already in the programme")
    if adds and target is not None and target in known:
        cap = phase_cap(state.assessment)
        if min(known[target].phases) > cap:
            problems.append(
                f"{'to' if change.kind is Change.SWAP else 'exercise'}: {known[target].name} "
                f"starts in phase {min(known[target].phases)}; this patient's plan goes up to "
                f"phase {cap} until they are assessed"
            )
        if (
            state.assessment.pregnant_or_recent_birth
            and target not in catalogue.pregnancy_set().exercises
        ):
            problems.append(
                f"exercise: {known[target].name} is not in the set adapted for pregnancy"
            )
    if change.dose is not None and target is not None and target in known:
        problems += _dose_problems(change.dose, known[target].dose)
    if change.kind is Change.DOSE and change.dose is None:
        problems.append("dose: give the new dose")
    return problems


def _dose_problems(dose: Dose, usual: Dose) -> list[str]:
    """A dose is within the exercise's range: no more than its ceilings, and the same kind of
    dose (sets of reps, holds, or minutes) as the exercise itself."""
    problems = []
    for name, ceiling_name in DOSE_FIELDS:
        value, usual_value = getattr(dose, name), getattr(usual, name)
        ceiling = getattr(usual, ceiling_name) or usual_value
        if (value is None) != (usual_value is None):
            kind = "has" if usual_value is not None else "has no"
            problems.append(f"{name}: this exercise {kind} {name.replace('_', ' ')}")
        elif value is not None and ceiling is not None and value > ceiling:
            problems.append(f"{name}: must be at most {ceiling} for this exercise, not {value}")
    if dose.per_side != usual.per_side:
        problems.append("per_side: must match the exercise (each side, or not)")
    return problems
