"""When to stop an exercise: one list of short rules, worded the same wherever it is shown.

The common rules (content/programme.toml, [stop]) come first: the pain limit, or for a graded
plan the planned amount; a leg; a spasm. Then the exercise's own. A person who already has leg pain
or a numb leg is told to stop if it starts in, or spreads further down, a leg.
"""

from __future__ import annotations

from backcare.domain import catalogue
from backcare.domain.plan import PlanState
from backcare.domain.triage import NERVE_SIGNS


def stop_rules(
    exercise_id: str, *, graded: bool = False, leg_pain: bool = False
) -> tuple[str, ...]:
    """Each rule finishes "Stop if ..."."""
    e = catalogue.exercises()[exercise_id]
    shared = catalogue.stop_rules()
    rules: list[str] = []
    if e.common_stop:
        rules += [
            shared.graded if graded else shared.pain,
            shared.leg_already if leg_pain else shared.leg,
            shared.spasm,
        ]
    return (*rules, *e.stop_also)


def stop_rules_for(state: PlanState, exercise_id: str) -> tuple[str, ...]:
    """The stop rules for an exercise in this plan."""
    a = state.assessment
    leg_pain = any(getattr(a, sign) for sign in NERVE_SIGNS)
    return stop_rules(exercise_id, graded=state.graded, leg_pain=leg_pain)


def doses_change(state: PlanState) -> catalogue.Message:
    """How this plan's doses change: the pain-monitoring model, or the graded schedule."""
    return catalogue.messages()["graded" if state.graded else "pain_monitoring"]
