"""Progression: every rule of the pain-monitoring model, and stop-and-re-triage."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backcare.domain.assessment import WARNING_SIGNS
from backcare.domain.checkin import CheckIn
from backcare.domain.plan import PlanState, plan
from backcare.domain.progress import Action, progress
from backcare.domain.triage import EMERGENCY_SIGNS, Level
from backcare.domain.validation import InputError
from tests.domain.people import assessment

START = date(2026, 11, 1)


def phase_2(**overrides: Any) -> PlanState:
    """Sam's plan: four days into a spasm, pain 4/10, phase 2 (activate), bridge at 2 x 8."""
    state = plan(assessment(onset_days=4, pain_now=4, **overrides), today=START).state
    assert state.phase == 2
    return state


def day(
    n: int,
    *,
    pain: int = 3,
    during: int | None = None,
    morning: int | None = None,
    done: Sequence[str] = ("bridge",),
    signs: Sequence[str] = (),
    episodes: int = 2,
) -> CheckIn:
    return CheckIn.model_validate(
        {
            "date": START + timedelta(days=n),
            "pain_now": pain,
            "spasm_episodes": episodes,
            "exercises_done": [{"exercise": e, "sets": 2} for e in done]
            if during is not None
            else [],
            "pain_during_exercise": during,
            "pain_next_morning": morning,
            "new_warning_signs": list(signs),
        }
    )


def run(
    ins: list[CheckIn],
    state: PlanState | None = None,
    today_n: int | None = None,
    changes: Any = (),
) -> Any:
    last = today_n if today_n is not None else (max(c.date for c in ins) - START).days
    return progress(state or phase_2(), ins, today=START + timedelta(days=last), changes=changes)


def bridge(result: Any) -> Any:
    return next(d for d in result.decisions if d.exercise == "bridge")


def dose(result: Any, exercise: str) -> Any:
    return next(p.dose for p in result.state.prescriptions if p.exercise == exercise)


def test_two_comfortable_sessions_that_settle_progress_the_dose() -> None:
    result = run([day(0, during=2), day(1, during=2, morning=3), day(2, morning=3)])
    decision = bridge(result)
    assert decision.action is Action.PROGRESS
    assert dose(result, "bridge").reps == 9  # 8 -> 9: at most about a fifth more a step
    assert "2 of your last 2 sessions" in decision.reason


def test_one_comfortable_session_is_not_enough() -> None:
    result = run([day(0, during=2), day(1, morning=3)])
    assert bridge(result).action is Action.HOLD
    assert dose(result, "bridge").reps == 8


def test_two_of_the_last_three_is_enough() -> None:
    ins = [
        day(0, during=2),
        day(1, during=4, morning=3),
        day(2, during=2, morning=3),
        day(3, morning=3),
    ]
    assert bridge(run(ins)).action is Action.PROGRESS


@pytest.mark.parametrize("pain", [4, 5])
def test_pain_of_4_or_5_during_exercise_holds(pain: int) -> None:
    decision = bridge(run([day(0, during=pain)]))
    assert decision.action is Action.HOLD
    assert f"{pain}/10" in decision.reason


def test_pain_above_5_during_exercise_regresses_one_step() -> None:
    ins = [day(0, during=2), day(1, during=2, morning=3), day(2, during=6, morning=3)]
    result = run(ins)
    assert bridge(result).action is Action.REGRESS
    assert dose(result, "bridge").reps == 8
    assert "6/10, above your limit of 5/10" in bridge(result).reason


def test_at_the_starting_dose_a_regression_swaps_to_the_easier_exercise() -> None:
    result = run([day(0, during=7)])
    decision = bridge(result)
    assert decision.action is Action.REGRESS
    assert decision.swapped_to == "pelvic_tilt"
    assert [p.exercise for p in result.state.prescriptions].count("pelvic_tilt") == 1
    assert "bridge" not in [p.exercise for p in result.state.prescriptions]


def test_pain_not_settled_by_the_next_morning_regresses() -> None:
    ins = [
        day(0, during=2),
        day(1, during=2, morning=3),
        day(2, during=2, morning=3),
        day(3, pain=3, during=2, morning=3),
        day(4, morning=5),
    ]
    result = run(ins)
    decision = bridge(result)
    assert decision.action is Action.REGRESS
    assert "had not settled by the next morning (5/10, against 3/10" in decision.reason


def test_pain_rising_week_on_week_regresses() -> None:
    ins = [day(n, pain=2) for n in range(1, 8)] + [day(n, pain=4) for n in range(8, 15)]
    result = run(ins)
    regressions = [h for h in result.history if h.action is Action.REGRESS]
    assert regressions and all(h.on == START + timedelta(days=14) for h in regressions)
    assert "average pain rose from 2.0 to 4.0" in regressions[0].reason


def test_a_steady_week_does_not_regress() -> None:
    ins = [day(n, pain=3) for n in range(1, 15)]
    assert not [h for h in run(ins).history if h.action is Action.REGRESS]


def test_at_full_dose_the_next_exercise_in_the_chain_takes_over() -> None:
    state = phase_2()
    top = state.prescriptions[[p.exercise for p in state.prescriptions].index("bridge")]
    d = top.dose
    full = d.model_copy(
        update={"reps": d.max_reps, "sets": d.max_sets, "hold_seconds": d.max_hold_seconds}
    )
    items = [
        p if p.exercise != "bridge" else p.model_copy(update={"dose": full})
        for p in state.prescriptions
    ]
    state = state.model_copy(update={"prescriptions": items})
    result = run([day(0, during=2), day(1, during=2, morning=3), day(2, morning=3)], state)
    assert bridge(result).swapped_to == "squat"


@pytest.mark.parametrize(
    ("sign", "level"),
    [
        ("bladder_or_bowel_change", Level.EMERGENCY),
        ("fever", Level.URGENT),
        ("leg_numbness_or_tingling", Level.SEE_DOCTOR),
    ],
)
def test_a_new_warning_sign_stops_everything_and_re_triages(sign: str, level: Level) -> None:
    ins = [day(0, during=2), day(1, during=2, morning=3), day(2, signs=[sign])]
    result = run(ins)
    assert result.status == "stop"
    assert result.retriage.level is level
    assert result.retriage.reasons[0].code in {sign, "possible_spinal_infection"}
    assert {d.action for d in result.decisions} == {Action.STOP}
    assert result.state.prescriptions == [] and result.state.phase is None
    assert result.state.level == level.value


def test_the_programme_moves_to_the_next_phase_after_building_up() -> None:
    everything = [p.exercise for p in phase_2().prescriptions]
    ins = [day(0, pain=2, during=2, done=everything)]
    ins += [day(n, pain=2, during=2, morning=2, done=everything) for n in range(1, 12)]
    result = run(ins)
    assert result.phase == 3
    phase_step = next(h for h in result.history if h.exercise == "*")
    assert "phase 3 (Strengthen)" in phase_step.reason
    assert "plank_knees" in [p.exercise for p in result.state.prescriptions]
    # Exercises carried over from phase 2 say they are now part of phase 3 (not "phase 2").
    labels = [p.why for p in result.state.prescriptions if p.why.startswith("Part of phase")]
    assert labels and all(w.startswith("Part of phase 3") for w in labels)


def climb(state: PlanState, days: int = 40, pain: int = 1) -> Any:
    """Every exercise done every day, comfortable and settled: as fast as a plan can climb."""
    now = list(state.prescriptions)
    ins: list[CheckIn] = []
    result = None
    for n in range(days):
        done = [p.exercise for p in now]
        ins.append(day(n, pain=pain, during=1, morning=pain if n else None, done=done))
        result = run(ins, state)
        now = result.state.prescriptions
    return result


@pytest.mark.parametrize(
    ("overrides", "highest"),
    [
        ({"pain_radiates_below_knee": True}, 1),  # nerve signs: gentle until assessed
        ({"leg_numbness_or_tingling": True}, 1),
        ({"recent_spinal_surgery_or_injection": True}, 1),
        ({"onset_days": 20}, 4),  # a long episode may climb
        ({"pain_now": 8}, 4),  # so may severe pain, once it falls meaningfully
    ],
)
def test_a_see_doctor_plan_stays_in_phase_1_only_for_nerve_signs(
    overrides: dict[str, Any], highest: int
) -> None:
    state = plan(assessment(**{"onset_days": 3, "pain_now": 3, **overrides}), today=START).state
    assert state.level == Level.SEE_DOCTOR.value and state.phase == 1
    assert climb(state).phase == highest


def test_graded_plans_progress_on_schedule_with_pain_up_to_5() -> None:
    from tests.domain.people import startback

    state = plan(assessment(startback=startback(distress_agree=4)), today=START).state
    assert state.graded
    walk = next(p.exercise for p in state.prescriptions)
    ins = [
        day(0, during=5, done=[walk]),
        day(1, during=5, morning=3, done=[walk]),
        day(2, morning=3),
    ]
    result = run(ins, state)
    assert next(d for d in result.decisions if d.exercise == walk).action is Action.PROGRESS


def test_no_improvement_after_two_weeks_of_self_care_advises_an_assessment() -> None:
    ins = [day(n, pain=4, episodes=3) for n in range(0, 15)]
    result = run(ins, phase_2(spasm_episodes_per_day=3))
    assert result.advice is not None and "two weeks" in result.advice.text.lower()
    assert result.state.level == Level.SEE_DOCTOR.value


def test_fewer_spasms_and_less_pain_are_reported_as_improvement() -> None:
    ins = [day(n, pain=max(1, 4 - n // 4), episodes=max(0, 3 - n // 5)) for n in range(15)]
    result = run(ins, phase_2(spasm_episodes_per_day=3))
    assert result.advice is None
    assert result.trend.improving
    assert result.trend.summary[1].startswith("Spasm episodes down from 3")


def test_spasm_episodes_are_counted_per_day_and_summed_per_week() -> None:
    ins = [day(n, episodes=n) for n in range(10)]
    weeks = run(ins, today_n=13).weeks
    assert [w.spasm_episodes for w in weeks] == [0 + 1 + 2 + 3 + 4 + 5 + 6, 7 + 8 + 9]
    assert weeks[0].episodes_per_day == 3.0
    assert weeks[1].days_checked_in == 3


def test_meaningful_pain_improvement_is_said_in_words() -> None:
    ins = [day(n, pain=1) for n in range(8)]
    line = run(ins).trend.summary[0]
    assert line.startswith("Pain down 3 points") and "a meaningful improvement" in line


def test_two_check_ins_for_one_day_are_refused() -> None:
    with pytest.raises(InputError) as info:
        run([day(0), day(0)])
    assert info.value.problems[0].startswith("check_ins[1].date: 2026-11-01 already has")


def test_check_ins_outside_the_plan_window_are_ignored() -> None:
    before = CheckIn.model_validate(
        {
            "date": START - timedelta(days=1),
            "pain_now": 9,
            "spasm_episodes": 9,
            "new_warning_signs": ["fever"],
        }
    )
    result = run([before, day(0)])
    assert result.status == "continue"


@given(
    st.lists(st.integers(0, 10), min_size=1, max_size=12),
    st.sampled_from(EMERGENCY_SIGNS),
    st.data(),
)
def test_a_check_in_with_a_new_emergency_sign_always_stops_the_programme(
    pains: list[int], sign: str, data: st.DataObject
) -> None:
    at = data.draw(st.integers(0, len(pains) - 1))
    ins = [
        day(n, pain=p, during=min(p, 10), morning=p if n else None, signs=[sign] if n == at else [])
        for n, p in enumerate(pains)
    ]
    result = run(ins)
    assert result.status == "stop"
    assert result.retriage.level is Level.EMERGENCY
    assert result.state.prescriptions == []


def test_a_regression_retraces_the_step_just_climbed() -> None:
    ins = [
        day(0, during=2),
        day(1, during=2, morning=3),
        day(2, during=2, morning=3),
        day(3, during=2, morning=3),
        day(4, during=8, morning=3),
    ]
    result = run(ins)
    steps = [h for h in result.history if h.exercise == "bridge"]
    assert [h.action for h in steps] == [Action.PROGRESS, Action.PROGRESS, Action.REGRESS]
    assert steps[2].dose == steps[0].dose


def test_an_exercise_with_no_easier_option_eases_to_its_gentlest_dose_then_holds() -> None:
    leg = "side_lying_hip_abduction"
    ins = [day(0, during=8, done=[leg]), day(1, during=8, morning=3, done=[leg])]
    result = run(ins)
    steps = [h for h in result.history if h.exercise == leg]
    assert steps[0].action is Action.REGRESS and "ease off to" in steps[0].reason
    latest = next(d for d in result.decisions if d.exercise == leg)
    assert latest.action is Action.HOLD and "already the gentlest dose" in latest.reason


def test_walking_is_never_paused_for_pain_it_drops_to_the_shortest_bout_and_says_so() -> None:
    ins = [day(n, during=8, morning=3 if n else None, done=["walking"]) for n in range(4)]
    result = run(ins)
    walking = [h for h in result.history if h.exercise == "walking"]
    assert walking[0].action is Action.REGRESS
    assert "shortest bouts, 2 minutes" in walking[0].reason
    assert "never stopped for pain" in walking[0].reason
    latest = next(d for d in result.decisions if d.exercise == "walking")
    assert latest.action is Action.HOLD and "never stopped for pain" in latest.reason
    assert "walking" in [p.exercise for p in result.state.prescriptions]
    assert dose(result, "walking").duration_minutes == 2


def test_the_result_at_a_date_depends_only_on_what_was_known_then() -> None:
    ins = [day(n, during=2, morning=3 if n else None) for n in range(10)]
    early = run(ins[:5], today_n=4)
    replayed = progress(phase_2(), ins, today=START + timedelta(days=4))
    assert early.state == replayed.state


@pytest.mark.parametrize("sign", WARNING_SIGNS)
def test_a_check_in_sign_escalates_to_the_same_level_as_the_check(sign: str) -> None:
    """A sign reported in a check-in gives the level the check gives for the same sign."""
    from backcare.domain.triage import triage

    expected = triage(assessment(onset_days=4, pain_now=3, **{sign: True})).level
    ins = [day(0, during=2), day(1, pain=3, signs=[sign])]
    result = run(ins, phase_2())
    assert result.status == "stop"
    assert result.retriage.level is expected
    assert {d.action for d in result.decisions} == {Action.STOP}


def _everything(state: PlanState) -> list[str]:
    return [p.exercise for p in state.prescriptions]


def _replay_days(state: PlanState, days: int, rest: Any, during: int, morning: int) -> Any:
    """`days` check-ins doing every prescribed exercise; `rest` is the resting pain (a number, or
    a list with one a day). Spasm episodes stay as they were at the start."""
    episodes = state.assessment.spasm_episodes_per_day
    now = list(state.prescriptions)
    ins: list[CheckIn] = []
    result = None
    for n in range(days):
        pain = rest[n] if isinstance(rest, list) else rest
        done = [p.exercise for p in now]
        ins.append(
            day(
                n,
                pain=pain,
                during=during,
                morning=morning if n else None,
                done=done,
                episodes=episodes,
            )
        )
        result = run(ins, state)
        now = result.state.prescriptions
    return result


# The replays of issue 13, section 2, as a table a physiotherapist can read:
# (name, the starting answers, days, resting pain, pain during exercise, next-morning pain,
#  regressions expected, highest phase allowed, improving, "not improving" advice)
REPLAYS: list[tuple[str, dict[str, Any], int, Any, int, int, int, int, bool, bool]] = [
    (
        "rest 7, exercise 6, morning 6 for six days: within the limit, never over it",
        {"onset_days": 3, "pain_now": 7},
        6,
        7,
        6,
        6,
        0,
        1,
        False,
        False,
    ),
    (
        "resting pain stuck at 8 for 17 days: no strength phases, and told to get it checked",
        {"onset_days": 3, "pain_now": 8},
        17,
        8,
        7,
        8,
        0,
        2,
        False,
        True,
    ),
    (
        "pain 6 -> 5.9 over two weeks is not improving",
        {"onset_days": 3, "pain_now": 6, "spasm_episodes_per_day": 2},
        15,
        [6, 6, 6, 5, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 5],
        3,
        5,
        0,
        2,
        False,
        True,
    ),
    (
        "a meaningful fall to 2/10 opens the strength phases",
        {"onset_days": 3, "pain_now": 6},
        30,
        2,
        1,
        2,
        0,
        4,
        True,
        False,
    ),
]


@pytest.mark.parametrize(
    ("start", "days", "rest", "during", "morning", "regressions", "highest", "better", "advised"),
    [r[1:] for r in REPLAYS],
    ids=[r[0] for r in REPLAYS],
)
def test_replays(
    start: dict[str, Any],
    days: int,
    rest: Any,
    during: int,
    morning: int,
    regressions: int,
    highest: int,
    better: bool,
    advised: bool,
) -> None:
    state = plan(assessment(**start), today=START).state
    result = _replay_days(state, days, rest, during, morning)
    assert len([h for h in result.history if h.action is Action.REGRESS]) == regressions
    assert result.phase <= highest
    if highest >= 3:
        assert result.phase >= 3
    assert result.trend.improving is better
    assert (result.advice is not None and "two weeks" in result.advice.text.lower()) is advised
    for h in result.history:
        assert "above your limit" not in h.reason


def test_pain_within_the_resting_limit_holds_and_says_whose_limit_it_is() -> None:
    state = plan(assessment(onset_days=3, pain_now=7), today=START).state
    result = _replay_days(state, 2, 7, 6, 6)
    held = next(d for d in result.decisions if d.exercise == "walking")
    assert held.action is Action.HOLD
    assert "within your limit of 8/10 (your pain before you started, plus 1)" in held.reason


def test_pain_over_the_resting_limit_still_regresses() -> None:
    state = plan(assessment(onset_days=3, pain_now=7), today=START).state
    result = _replay_days(state, 1, 7, 9, 7)
    assert any("9/10, above your limit of 8/10" in h.reason for h in result.history)


def test_once_not_improving_has_fired_the_strength_phases_stay_closed() -> None:
    state = plan(assessment(onset_days=3, pain_now=6), today=START).state
    pains = [6] * 15 + [1] * 25  # stuck for two weeks, then much better
    result = _replay_days(state, 40, pains, 1, 1)
    assert result.trend.improving
    assert result.phase is not None and result.phase <= 2
    assert result.advice is not None  # the advice to get it checked stands


def test_a_graded_plan_stops_at_the_planned_amount_whatever_the_pain() -> None:
    from tests.domain.people import startback

    state = plan(assessment(startback=startback(distress_agree=4)), today=START).state
    assert state.graded
    result = _replay_days(state, 3, 4, 7, 4)
    assert not [h for h in result.history if h.action is Action.REGRESS]
    assert any(
        h.action is Action.PROGRESS and "done as planned" in h.reason for h in result.history
    )


@pytest.mark.parametrize(
    ("nights", "line"),
    [
        ([], None),
        (["well", "well"], "Sleep: you slept well on all 2 nights you told us about this week."),
        (
            ["well", "badly", None],
            "Sleep: your back woke you on 1 of the 2 nights you told us about.",
        ),
    ],
)
def test_the_summary_says_how_the_back_let_the_person_sleep(
    nights: list[str | None], line: str | None
) -> None:
    ins = [
        CheckIn.model_validate({**day(n).model_dump(), "sleep": s}) for n, s in enumerate(nights)
    ] or [day(0)]
    summary = run(ins).trend.summary
    sleep = [s for s in summary if s.startswith("Sleep:")]
    assert sleep == ([line] if line else [])


# Codes and values, for clinicians, the API and translation; the words come from one module.


def test_each_decision_carries_its_code_and_the_values_behind_it() -> None:
    ins = [day(0, pain=3, during=8, done=["bridge"])]
    result = run(ins)
    d = next(x for x in result.decisions if x.exercise == "bridge")
    assert (d.action, d.code) == (Action.REGRESS, "pain_during_above_limit")
    assert d.outcome == "swap_easier"  # the bridge starts at its floor: the easier exercise
    assert d.values is not None and (d.values["pain"], d.values["limit"]) == (8, 5)
    assert d.reason.startswith("Pain during exercise was 8/10, above your limit of 5/10: swap")
