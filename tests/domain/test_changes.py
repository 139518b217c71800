"""A physiotherapist's changes: kept inside the catalogue and the safety rules, replayed with
the check-ins so they survive them, and never stronger than a warning sign."""

from __future__ import annotations

from datetime import timedelta

import pytest

from backcare.domain import catalogue
from backcare.domain.changes import Change, ClinicianChange, check_change
from backcare.domain.plan import plan
from backcare.domain.progress import Action
from tests.domain.people import assessment
from tests.domain.test_progress import START, day, phase_2, run

D = catalogue.exercises()


def change(kind: Change, exercise: str = "*", **kw: object) -> ClinicianChange:
    return ClinicianChange(
        on=START + timedelta(days=kw.pop("n", 0)), kind=kind, exercise=exercise, **kw
    )  # type: ignore[arg-type]


def current(state: object) -> list[str]:
    return [p.exercise for p in state.prescriptions]  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("made", "problem"),
    [
        (change(Change.ADD, "burpee"), "exercise: 'burpee' is not in the exercise catalogue"),
        (change(Change.ADD, "bridge"), "exercise: Bridge is already in the programme"),
        (change(Change.REMOVE, "plank"), "exercise: 'plank' is not in the programme now"),
        (change(Change.SWAP, "bridge", to="nope"), "to: 'nope' is not in the exercise catalogue"),
        (change(Change.SWAP, "bridge", to="cat_cow"), "to: Cat-cow is already in the programme"),
        (change(Change.DOSE, "bridge"), "dose: give the new dose"),
        (
            change(Change.DOSE, "bridge", dose=D["bridge"].dose.model_copy(update={"sets": 9})),
            f"sets: must be at most {D['bridge'].dose.max_sets} for this exercise, not 9",
        ),
        (
            change(Change.DOSE, "walking", dose=D["bridge"].dose),
            "reps: this exercise has no reps",
        ),
    ],
)
def test_a_change_outside_the_rules_is_refused_naming_the_field(
    made: ClinicianChange, problem: str
) -> None:
    state = phase_2()
    assert problem in check_change(state, made, current=current(state))


def test_nothing_is_added_while_the_level_allows_no_exercise() -> None:
    urgent = plan(assessment(fever=True), today=START).state
    for made in (
        change(Change.ADD, "bridge"),
        change(Change.DOSE, "walking", dose=D["walking"].dose),
    ):
        [problem] = check_change(urgent, made, current=[])
        assert problem.startswith("exercise: no exercises while the patient is at the urgent level")


def test_a_plan_capped_at_phase_1_takes_no_phase_3_exercise() -> None:
    nerve = plan(assessment(pain_radiates_below_knee=True), today=START).state
    problems = check_change(nerve, change(Change.ADD, "plank_knees"), current=current(nerve))
    assert any("goes up to phase 1" in p for p in problems)


def test_a_swap_survives_every_later_check_in() -> None:
    swap = change(Change.SWAP, "bridge", to="pelvic_tilt", note="Gentler for now", n=1)
    ins = [
        day(n, pain=2, during=2, morning=2 if n else None, done=["bridge", "pelvic_tilt"])
        for n in range(0, 8)
    ]
    result = run(ins, changes=[swap])
    names = current(result.state)
    assert "pelvic_tilt" in names and "bridge" not in names
    why = next(p.why for p in result.state.prescriptions if p.exercise == "pelvic_tilt")
    assert why == "Changed by your physiotherapist: Gentler for now"
    made = next(h for h in result.history if h.code == "clinician")
    assert (made.action, made.outcome, made.swapped_to) == (Action.CHANGE, "swapped", "pelvic_tilt")


def test_a_locked_exercise_holds_while_the_rest_build_up() -> None:
    everything = [p.exercise for p in phase_2().prescriptions]
    ins = [day(0, pain=2, during=2, done=everything)]
    ins += [day(n, pain=2, during=2, morning=2, done=everything) for n in range(1, 6)]
    free = run(ins)
    locked = run(ins, changes=[change(Change.LOCK, "bridge")])
    dose = {p.exercise: p.dose for p in phase_2().prescriptions}["bridge"]
    assert {p.exercise: p.dose for p in free.state.prescriptions}["bridge"] != dose
    assert {p.exercise: p.dose for p in locked.state.prescriptions}["bridge"] == dose
    held = next(d for d in locked.decisions if d.exercise == "bridge")
    assert held.code == "locked" and held.reason == "Held at this dose by your physiotherapist."
    assert any(
        p.dose != {q.exercise: q.dose for q in phase_2().prescriptions}[p.exercise]
        for p in locked.state.prescriptions
        if p.exercise != "bridge"
    )


def test_locking_the_whole_programme_holds_every_dose_and_the_phase() -> None:
    everything = [p.exercise for p in phase_2().prescriptions]
    ins = [day(0, pain=2, during=2, done=everything)]
    ins += [day(n, pain=2, during=2, morning=2, done=everything) for n in range(1, 12)]
    result = run(ins, changes=[change(Change.LOCK)])
    assert result.phase == 2
    start = {p.exercise: p.dose for p in phase_2().prescriptions}
    assert all(start[p.exercise] == p.dose for p in result.state.prescriptions)


def test_a_lock_never_stops_easing_off_for_pain() -> None:
    ins = [day(0, pain=3, during=8, done=["bridge"])]
    result = run(ins, changes=[change(Change.LOCK, "bridge", n=-1)])
    assert next(d for d in result.decisions if d.exercise == "bridge").action is Action.REGRESS


def test_a_warning_sign_stops_a_changed_programme_too() -> None:
    ins = [day(0, pain=2, during=2), day(1, pain=2, signs=["fever"])]
    result = run(ins, changes=[change(Change.ADD, "drawing_in_head_lift", n=0)])
    assert result.status == "stop" and result.state.prescriptions == []


def test_a_change_made_after_the_last_check_in_shows_today() -> None:
    ins = [day(0, pain=2, during=2)]
    result = run(ins, today_n=3, changes=[change(Change.REMOVE, "bridge", n=2)])
    assert "bridge" not in current(result.state)


def test_the_text_output_names_a_whole_programme_change_as_the_programme() -> None:
    """A lock of every exercise ("*") on the last day is a decision about no one exercise: the
    CLI's text says "Your programme" rather than failing to look "*" up in the catalogue."""
    from backcare.domain.text import progression_text

    everything = [p.exercise for p in phase_2().prescriptions]
    ins = [day(n, pain=2, during=2, done=everything) for n in range(3)]
    result = run(ins, changes=[change(Change.LOCK, n=2)])
    assert any(d.exercise == "*" for d in result.decisions)
    assert "Your programme: " in progression_text(result)
