"""One step up or down an exercise's dose, within its ceilings, and the ladder those steps make.

Every step up grows the work by at most about 20 % (backcare product rules, after CLINICAL
reference 4.3): reps, hold seconds or minutes grow by a fifth, and never by less than one (so a
hold under 10 seconds grows by 1-2 seconds, the smallest step a person can time). When reps, hold
and minutes are all at their ceilings, a set is added and the reps (or, without reps, the hold)
are cut so that the total grows by no more than a fifth again.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from backcare.domain.catalogue import Dose

GROWTH = 0.2  # at most about 20 % more work a step
REP_STEP = 2  # steps back down (towards the usual start) for a dose entered above it
HOLD_STEP = 2
MINUTES_STEP = 2


def growth_step(value: int) -> int:
    """How much one step up adds: a fifth, rounded down, and at least one."""
    return max(1, int(value * GROWTH))


def _up(value: int | None, ceiling: int | None) -> int | None:
    if value is None or ceiling is None or value >= ceiling:
        return None
    return min(value + growth_step(value), ceiling)


def work(dose: Dose) -> int:
    """The work in one session, to compare doses: sets x reps x hold (or minutes)."""
    per_set = (dose.reps or 1) * (dose.hold_seconds or 1) * (dose.duration_minutes or 1)
    return dose.sets * per_set


def step_up(dose: Dose) -> Dose | None:
    """The next dose, or None when every quantity is at its ceiling."""
    for field, ceiling in (
        ("reps", dose.max_reps),
        ("hold_seconds", dose.max_hold_seconds),
        ("duration_minutes", dose.max_duration_minutes),
    ):
        new = _up(getattr(dose, field), ceiling)
        if new is not None:
            return dose.model_copy(update={field: new})
    return _another_set(dose)


def _another_set(dose: Dose) -> Dose | None:
    """One more set, with fewer reps or a shorter hold, so that the work grows by at most a
    fifth: the largest such dose, or failing that the smallest that still grows."""
    if dose.max_sets is None or dose.sets >= dose.max_sets:
        return None
    sets = dose.sets + 1
    before = work(dose)

    def options(value: int | None) -> list[int | None]:
        return [None] if value is None else list(range(1, value + 1))

    candidates = [
        dose.model_copy(update={"sets": sets, "reps": r, "hold_seconds": h, "duration_minutes": m})
        for r in options(dose.reps)
        for h in options(dose.hold_seconds)
        for m in options(dose.duration_minutes)
    ]
    growing = [c for c in candidates if work(c) > before]
    within = [c for c in growing if work(c) <= before * (1 + GROWTH)]
    if within:
        return max(within, key=lambda c: (work(c), c.hold_seconds or 0, c.reps or 0))
    return min(growing, key=work)


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


def _climb(start: Dose) -> list[Dose]:
    up = [start]
    while (higher := step_up(up[-1])) is not None:
        up.append(higher)
    return up


@cache
def ladder(start: Dose, usual: Dose) -> Ladder:
    """The ladder through `start` for an exercise whose usual starting dose is `usual`.

    A dose reached by climbing from `usual` sits on that same ladder, so stepping back retraces
    the steps that led up. Doses are frozen values and everyone climbs the same ladders, so
    ladders are built once.
    """
    usual_up = _climb(usual)
    if start in usual_up:
        down = list(reversed(usual_up[: usual_up.index(start)]))
        up = usual_up[usual_up.index(start) :]
    else:
        up = _climb(start)
        down = []
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
