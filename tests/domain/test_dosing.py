from __future__ import annotations

from itertools import pairwise

import pytest

from backcare.domain.catalogue import Dose
from backcare.domain.dosing import describe, gentlest, step_down, step_up

START = Dose(
    sets=1,
    reps=8,
    hold_seconds=5,
    times_per_day=2,
    rest_seconds=30,
    max_sets=2,
    max_reps=10,
    max_hold_seconds=10,
)


def test_steps_up_reps_then_hold_then_sets_then_stops_at_the_ceiling() -> None:
    seen = []
    dose: Dose | None = START
    while dose is not None:
        seen.append((dose.sets, dose.reps, dose.hold_seconds))
        dose = step_up(dose)
    assert seen == [
        (1, 8, 5),
        (1, 9, 5),
        (1, 10, 5),
        (1, 10, 6),  # holds under 10 s grow by a second or two
        (1, 10, 7),
        (1, 10, 8),
        (1, 10, 9),
        (1, 10, 10),
        (2, 6, 10),  # one more set, fewer reps: 120 % of the work, not 200 %
        (2, 7, 10),
        (2, 8, 10),
        (2, 9, 10),
        (2, 10, 10),
    ]


def test_steps_down_towards_the_starting_dose_and_no_further() -> None:
    top = START.model_copy(update={"sets": 2, "reps": 10, "hold_seconds": 10})
    seen = []
    dose: Dose | None = top
    while dose is not None:
        seen.append((dose.sets, dose.reps, dose.hold_seconds))
        dose = step_down(dose, START)
    assert seen == [(2, 10, 10), (1, 10, 10), (1, 10, 8), (1, 10, 6), (1, 10, 5), (1, 8, 5)]


def test_the_gentlest_dose_halves_the_start_once() -> None:
    easier = gentlest(START)
    assert easier is not None and (easier.reps, easier.hold_seconds) == (4, 2)
    assert gentlest(START.model_copy(update={"reps": 1, "hold_seconds": 1})) is None


def test_doses_are_described_in_words() -> None:
    assert describe(START) == "1 set of 8 (hold 5 s), twice a day"
    walk = Dose(sets=1, duration_minutes=5, times_per_day=3, rest_seconds=0)
    assert describe(walk) == "5 minutes, 3 times a day"


def test_a_ladder_runs_from_the_gentlest_dose_to_the_top() -> None:
    from backcare.domain.dosing import ladder

    steps = ladder(START, START)
    assert steps.rungs[steps.entry] == START
    assert steps.floor == 1 and steps.rungs[0] == gentlest(START)
    assert steps.rungs[-1] == START.model_copy(update={"sets": 2, "reps": 10, "hold_seconds": 10})
    assert steps.texts[steps.entry] == describe(START)


def test_entering_a_ladder_above_the_usual_start_keeps_the_way_back_down() -> None:
    from backcare.domain.dosing import ladder

    higher = START.model_copy(update={"reps": 10, "hold_seconds": 10})
    steps = ladder(higher, START)
    assert steps.rungs[steps.floor] == START
    assert steps.entry > steps.floor


def test_a_graded_start_below_the_usual_dose_is_its_own_floor() -> None:
    from backcare.domain.dosing import ladder

    graded = START.model_copy(update={"reps": 5, "hold_seconds": 3})
    steps = ladder(graded, START)
    assert steps.rungs[steps.floor] == graded == steps.rungs[steps.entry]


def _every_ladder() -> list[tuple[str, list[Dose]]]:
    from backcare.domain import catalogue
    from backcare.domain.dosing import ladder
    from backcare.domain.plan import graded_start

    out = []
    for e in catalogue.exercises().values():
        for start in (e.dose, graded_start(e.dose)):
            steps = ladder(start, e.dose)
            out.append((e.id, list(steps.rungs[steps.floor :])))
    return out


@pytest.mark.parametrize(("exercise", "rungs"), _every_ladder())
def test_every_step_up_grows_the_work_by_at_most_about_a_fifth(
    exercise: str, rungs: list[Dose]
) -> None:
    from backcare.domain.dosing import work

    for low, high in pairwise(rungs):
        grown = work(high) / work(low)
        smallest = 1 + 1 / min(v for v in (low.reps, low.hold_seconds, low.duration_minutes) if v)
        assert 1 < grown <= max(1.2, smallest) + 1e-9, (exercise, low, high)
        hold_grew = low.hold_seconds is not None and high.hold_seconds != low.hold_seconds
        if hold_grew and low.hold_seconds < 10 and high.sets == low.sets:  # type: ignore[operator]
            assert 1 <= high.hold_seconds - low.hold_seconds <= 2, (exercise, low, high)
