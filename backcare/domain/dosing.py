"""One step up or down an exercise's dose, within its ceilings, and the ladder those steps make.

Step sizes follow CLINICAL reference 4.3 ("about one more rep or set, or 2-5 seconds more hold"):
+2 reps, +5 s hold, +2 minutes, then one more set. They are backcare product rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from backcare.domain.catalogue import Dose

REP_STEP = 2
HOLD_STEP = 5
MINUTES_STEP = 2


def _up(value: int | None, ceiling: int | None, step: int) -> int | None:
    if value is None or ceiling is None or value >= ceiling:
        return None
    return min(value + step, ceiling)


def step_up(dose: Dose) -> Dose | None:
    """The next dose, or None when every quantity is at its ceiling."""
    for field, ceiling, step in (
        ("reps", dose.max_reps, REP_STEP),
        ("hold_seconds", dose.max_hold_seconds, HOLD_STEP),
        ("duration_minutes", dose.max_duration_minutes, MINUTES_STEP),
        ("sets", dose.max_sets, 1),
    ):
        new = _up(getattr(dose, field), ceiling, step)
        if new is not None:
            return dose.model_copy(update={field: new})
    return None


def step_down(dose: Dose, floor: Dose) -> Dose | None:
    """One step back towards `floor` (the exercise's starting dose), or None when already there."""
    for field, step in (
        ("sets", 1),
        ("duration_minutes", MINUTES_STEP),
        ("hold_seconds", HOLD_STEP),
        ("reps", REP_STEP),
    ):
        value, lowest = getattr(dose, field), getattr(floor, field)
        if value is not None and lowest is not None and value > lowest:
            return dose.model_copy(update={field: max(value - step, lowest)})
    return None


def gentlest(dose: Dose) -> Dose | None:
    """Half the starting dose in one set, for an exercise with no easier alternative."""

    def half(value: int | None) -> int | None:
        return None if value is None else max(1, value // 2)

    easier = dose.model_copy(
        update={
            "sets": 1,
            "reps": half(dose.reps),
            "hold_seconds": half(dose.hold_seconds),
            "duration_minutes": half(dose.duration_minutes),
        }
    )
    return None if easier == dose else easier


def describe(dose: Dose) -> str:
    """'2 sets of 10 (hold 5 s), each side, twice a day'."""
    if dose.duration_minutes is not None:
        amount = f"{dose.duration_minutes} minutes"
    else:
        amount = f"{dose.sets} set{'s' if dose.sets != 1 else ''}"
        if dose.reps is not None:
            amount += f" of {dose.reps}"
        if dose.hold_seconds is not None:
            amount += f" (hold {dose.hold_seconds} s)"
    if dose.per_side:
        amount += " each side"
    times = {1: "once a day", 2: "twice a day"}.get(dose.times_per_day)
    return f"{amount}, {times or f'{dose.times_per_day} times a day'}"


@dataclass(frozen=True, slots=True)
class Ladder:
    """Every dose an exercise can be at, easiest first, with each rung described once.

    `floor` is the usual starting dose (regressing below it swaps to an easier exercise, or, for
    an exercise with none, drops to the gentlest rung 0); `entry` is where this ladder was entered.
    """

    rungs: tuple[Dose, ...]
    texts: tuple[str, ...]
    floor: int
    entry: int


@cache
def ladder(start: Dose, usual: Dose) -> Ladder:
    """The ladder through `start` for an exercise whose usual starting dose is `usual`.

    Doses are frozen values and everyone climbs the same ladders, so ladders are built once.
    """
    up = [start]
    while (higher := step_up(up[-1])) is not None:
        up.append(higher)
    down: list[Dose] = []
    current = start
    while (lower := step_down(current, usual)) is not None:
        down.append(lower)
        current = lower
    rungs = [*reversed(down), *up]
    softest = gentlest(rungs[0])
    floor = 0 if softest is None else 1
    if softest is not None:
        rungs.insert(0, softest)
    return Ladder(
        rungs=tuple(rungs),
        texts=tuple(describe(d) for d in rungs),
        floor=floor,
        entry=floor + len(down),
    )
