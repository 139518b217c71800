"""The care plan: phase choice, what each triage level allows, and determinism."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from hypothesis import given

from backcare.domain import catalogue
from backcare.domain.plan import entry_phase, plan
from backcare.domain.questionnaires import Risk
from backcare.domain.triage import Level
from tests.domain.people import assessment, startback
from tests.domain.test_triage_properties import assessments

TODAY = date(2026, 11, 21)


@pytest.mark.parametrize(
    ("level", "onset_days", "pain", "risk", "phase"),
    [
        (Level.EMERGENCY, 1, 3, None, None),
        (Level.URGENT, 5, 3, None, None),
        (Level.SEE_DOCTOR, 10, 2, None, 1),  # see a doctor: gentle phase 1 only
        (Level.SELF_CARE, 0, 3, None, 1),  # the first day
        (Level.SELF_CARE, 1, 2, None, 1),  # still inside 48 hours
        (Level.SELF_CARE, 2, 6, None, 1),  # high pain
        (Level.SELF_CARE, 2, 5, None, 2),
        (Level.SELF_CARE, 6, 2, None, 2),  # first week
        (Level.SELF_CARE, 7, 3, None, 2),  # moderate pain
        (Level.SELF_CARE, 7, 2, None, 3),
        (Level.SELF_CARE, 14, 0, Risk.LOW, 3),
        (Level.SELF_CARE, 10, 1, Risk.HIGH, 1),  # high risk starts gently whatever else
    ],
)
def test_entry_phase(
    level: Level, onset_days: int, pain: int, risk: Risk | None, phase: int | None
) -> None:
    assert entry_phase(level, onset_days, pain, risk) == phase


@pytest.mark.parametrize(
    "overrides", [{"saddle_anaesthesia": True}, {"significant_trauma": True}, {"chest_pain": True}]
)
def test_emergency_plans_have_no_exercises_and_no_first_aid_only_what_to_do_now(
    overrides: dict[str, Any],
) -> None:
    p = plan(assessment(**overrides), today=TODAY)
    assert p.state.prescriptions == [] and p.state.phase is None
    assert p.first_aid is None
    assert p.triage.action.text
    assert p.education == ("when_to_get_help",)


@pytest.mark.parametrize(
    "overrides", [{"fever": True}, {"history_of_cancer": True}, {"upper_back_pain": True}]
)
def test_urgent_plans_give_comfort_while_waiting_but_no_exercises(
    overrides: dict[str, Any],
) -> None:
    p = plan(assessment(**overrides), today=TODAY)
    assert p.state.prescriptions == [] and p.state.phase is None
    assert p.first_aid is not None and p.first_aid.comfort_only
    assert p.first_aid.positions and p.first_aid.thermal
    assert p.first_aid.advice == ()  # nothing about walks or getting back to activity
    assert p.education == ("when_to_get_help",)


def test_under_16_gets_first_aid_and_see_a_doctor_but_no_programme() -> None:
    p = plan(assessment(age=14), today=TODAY)
    assert p.triage.level is Level.SEE_DOCTOR
    assert p.state.phase is None and p.state.prescriptions == []
    assert p.first_aid is not None and not p.first_aid.comfort_only
    assert p.education == ("tell_your_doctor", "when_to_get_help")


def test_pregnancy_gets_the_adapted_set_and_first_aid_without_lying_flat_or_heat_on_the_belly() -> (
    None
):
    p = plan(assessment(pregnant_or_recent_birth=True, onset_days=8, pain_now=2), today=TODAY)
    assert p.triage.level is Level.SEE_DOCTOR
    ids = [x.exercise for x in p.state.prescriptions]
    assert ids == list(catalogue.pregnancy_set().exercises)
    assert "back_lying" not in [pos.id for pos in p.first_aid.positions]  # type: ignore[union-attr]
    heat = next(t for t in p.first_aid.thermal if t.kind == "heat")  # type: ignore[union-attr]
    assert any("belly" in line for line in heat.content.how)


def test_without_pregnancy_heat_says_nothing_about_the_belly() -> None:
    p = plan(assessment(), today=TODAY)
    heat = next(t for t in p.first_aid.thermal if t.kind == "heat")  # type: ignore[union-attr]
    assert not any("belly" in line for line in heat.content.how)
    assert "back_lying" in [pos.id for pos in p.first_aid.positions]  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("overrides", "cap"),
    [
        ({"pain_radiates_below_knee": True}, 1),
        ({"leg_numbness_or_tingling": True}, 1),
        ({"recent_spinal_surgery_or_injection": True}, 1),
        ({"pregnant_or_recent_birth": True}, 1),
        ({"onset_days": 20}, 4),  # a long episode may progress
        ({"pain_now": 8}, 4),  # so may severe pain
        ({"startback": startback(agree=4)}, 4),  # and STarT Back medium
        ({"startback": startback(distress_agree=4)}, 4),  # and high
        ({}, 4),
    ],
)
def test_only_nerve_signs_surgery_and_pregnancy_cap_the_phase(
    overrides: dict[str, Any], cap: int
) -> None:
    from backcare.domain.plan import phase_cap

    assert phase_cap(assessment(**overrides)) == cap


def test_see_doctor_plans_have_first_aid_and_gentle_phase_1_movement_only() -> None:
    p = plan(assessment(pain_radiates_below_knee=True, onset_days=8, pain_now=2), today=TODAY)
    assert p.triage.level is Level.SEE_DOCTOR
    assert p.state.phase == 1
    assert p.first_aid is not None
    exercises = catalogue.exercises()
    assert all(1 in exercises[x.exercise].phases for x in p.state.prescriptions)
    assert "tell_your_doctor" in p.education[:3]


def test_self_care_plan_for_a_typical_spasm() -> None:
    p = plan(assessment(onset_days=4, pain_now=4), today=TODAY)
    assert p.state.phase == 2
    ids = [x.exercise for x in p.state.prescriptions]
    assert "drawing_in" in ids and "walking" in ids
    assert p.review_on == date(2026, 11, 28)
    assert p.reassess_on == date(2026, 12, 5)


def test_first_48_hours_put_ice_first_then_heat() -> None:
    early = plan(assessment(onset_days=1), today=TODAY).first_aid
    later = plan(assessment(onset_days=3), today=TODAY).first_aid
    assert early is not None and later is not None
    assert [t.kind for t in early.thermal] == ["cold", "heat"]
    assert [t.kind for t in later.thermal] == ["heat", "cold"]


def test_high_startback_risk_gets_a_graded_start_and_reassurance_first() -> None:
    p = plan(assessment(startback=startback(distress_agree=4, q9="extremely")), today=TODAY)
    assert p.state.graded
    assert p.education[:3] == ("hurt_not_harm", "stress_and_pain", "graded_activity")
    walking = next(x for x in p.state.prescriptions if x.exercise == "walking")
    usual = catalogue.exercises()["walking"].dose
    assert walking.dose.duration_minutes is not None and usual.duration_minutes is not None
    assert walking.dose.duration_minutes < usual.duration_minutes


def test_exercises_matching_a_cause_are_added_when_they_fit_the_phase() -> None:
    tight = plan(assessment(lifestyle={"hamstrings_feel_tight": True}), today=TODAY)
    added = next(x for x in tight.state.prescriptions if x.exercise == "hamstring_stretch")
    assert "the backs of your thighs feel tight" in added.why


def test_the_same_answers_and_day_give_the_same_plan() -> None:
    a = assessment(lifestyle={"desk_hours_per_day": 9, "stress": 8})
    assert plan(a, today=TODAY) == plan(a, today=TODAY)


@given(assessments)
def test_no_answer_set_with_an_emergency_or_urgent_sign_ever_yields_an_exercise(a: Any) -> None:
    from tests.domain.test_triage_properties import emergency_sign, urgent_sign

    p = plan(a, today=TODAY)
    if emergency_sign(a) or urgent_sign(a):
        assert p.state.prescriptions == [] and p.state.phase is None
        assert p.first_aid is None or p.first_aid.comfort_only
    elif a.age >= 16:
        assert p.state.prescriptions
    else:
        assert p.state.prescriptions == []


def test_the_plan_records_its_version_and_the_policy_version() -> None:
    p = plan(assessment(), today=TODAY)
    assert p.version.startswith("plan-")
    assert p.triage.policy_version.startswith("triage-")


@pytest.mark.parametrize("sign", ["pain_radiates_below_knee", "leg_numbness_or_tingling"])
def test_leg_symptoms_take_the_sciatica_track(sign: str) -> None:
    p = plan(assessment(lifestyle={"hamstrings_feel_tight": True}, **{sign: True}), today=TODAY)
    assert p.education[:2] == ("sciatica", "cauda_equina_card")
    assert "hamstring_stretch" not in [x.exercise for x in p.state.prescriptions]
    from backcare.domain.stopping import stop_rules_for

    rules = stop_rules_for(p.state, "walking")
    assert "pain starts in, or spreads further down, a leg" in rules


def test_every_plan_teaches_what_to_expect_flare_ups_work_and_sleep() -> None:
    p = plan(assessment(), today=TODAY)
    for topic in ("what_to_expect", "flare_up_plan", "back_to_work", "sleep_and_rest"):
        assert topic in p.education


def test_reviews_are_planned_at_two_and_six_weeks() -> None:
    p = plan(assessment(), today=TODAY)
    assert (p.reassess_on - TODAY).days == 14
    assert (p.follow_up_on - TODAY).days == 42
