"""One step up or down an exercise's dose, within its ceilings.

Doses are frozen, hashable values and everyone climbs the same ladders, so the steps are memoised.

Step sizes follow CLINICAL reference 4.3 ("about one more rep or set, or 2-5 seconds more hold"):
+2 reps, +5 s hold, +2 minutes, then one more set. They are backcare product rules.
"""

from __future__ import annotations

from functools import cache

from backcare.domain.catalogue import Dose

REP_STEP = 2
HOLD_STEP = 5
MINUTES_STEP = 2


def _up(value: int | None, ceiling: int | None, step: int) -> int | None:
    if value is None or ceiling is None or value >= ceiling:
        return None
    return min(value + step, ceiling)


@cache
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


@cache
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


@cache
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
