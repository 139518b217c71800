"""Properties over every valid assessment: warning signs always win."""

from __future__ import annotations

from typing import Any, get_args

from hypothesis import given
from hypothesis import strategies as st

from backcare.domain.assessment import WARNING_SIGNS, Assessment, Bothersome, Mechanism
from backcare.domain.triage import (
    EMERGENCY_SIGNS,
    SEE_DOCTOR_SIGNS,
    URGENT_SIGNS,
    Level,
    possible_inflammatory,
    triage,
)

_BOTHER = get_args(Bothersome)
_MECH = get_args(Mechanism)

startbacks = st.one_of(
    st.none(),
    st.fixed_dictionaries(
        {**{f"q{i}": st.booleans() for i in range(1, 9)}, "q9": st.sampled_from(_BOTHER)}
    ),
)
inflammatory = st.one_of(
    st.none(),
    st.fixed_dictionaries(
        {
            name: st.booleans()
            for name in (
                "wakes_second_half_of_night",
                "buttock_pain",
                "eases_with_movement",
                "eases_with_anti_inflammatories",
                "relative_with_spondyloarthritis",
                "arthritis_enthesitis_or_psoriasis",
            )
        }
    ),
)
lifestyles = st.one_of(
    st.none(),
    st.fixed_dictionaries({"previous_episodes": st.one_of(st.none(), st.integers(0, 5))}),
)

assessments = st.fixed_dictionaries(
    {
        "age": st.integers(0, 120),
        "sex": st.sampled_from(["female", "male", "other", None]),
        "onset_days": st.integers(0, 5000),
        "mechanism": st.sampled_from(_MECH),
        "pain_now": st.integers(0, 10),
        "spasm_episodes_per_day": st.integers(0, 50),
        **{sign: st.booleans() for sign in WARNING_SIGNS},
        "inflammatory": inflammatory,
        "startback": startbacks,
        "lifestyle": lifestyles,
    }
).map(Assessment.model_validate)


def emergency_sign(a: Assessment) -> bool:
    return (
        any(getattr(a, sign) for sign in EMERGENCY_SIGNS)
        or a.mechanism == "road_collision"
        or (a.fever and a.iv_drug_use_or_immunosuppressed)
    )


def urgent_sign(a: Assessment) -> bool:
    fall = a.mechanism == "fall" and (a.age >= 65 or a.osteoporosis_or_long_term_steroids)
    return any(getattr(a, sign) for sign in URGENT_SIGNS) or fall


@given(assessments)
def test_any_emergency_sign_gives_emergency(a: Assessment) -> None:
    assert (triage(a).level is Level.EMERGENCY) is emergency_sign(a)


@given(assessments)
def test_any_urgent_sign_without_an_emergency_one_gives_urgent(a: Assessment) -> None:
    if urgent_sign(a) and not emergency_sign(a):
        assert triage(a).level is Level.URGENT


@given(assessments)
def test_never_self_care_when_any_flag_is_set(a: Assessment) -> None:
    previous = a.lifestyle.previous_episodes if a.lifestyle else None
    flagged = (
        emergency_sign(a)
        or urgent_sign(a)
        or any(getattr(a, sign) for sign in (*SEE_DOCTOR_SIGNS, "recurring_same_place"))
        or a.age < 16
        or (a.age >= 50 and not previous)
        or a.pain_now >= 8
        or a.onset_days > 14
        or possible_inflammatory(a)
    )
    result = triage(a)
    if flagged or (result.startback is not None and result.startback.risk.value != "low"):
        assert result.level is not Level.SELF_CARE
    else:
        assert result.level is Level.SELF_CARE


@given(assessments)
def test_level_is_the_most_serious_reason(a: Assessment) -> None:
    result = triage(a)
    if result.reasons:
        assert result.level is result.reasons[0].level
    else:
        assert result.level is Level.SELF_CARE


@given(assessments, st.sampled_from(WARNING_SIGNS))
def test_adding_a_warning_sign_never_lowers_the_level(a: Assessment, sign: str) -> None:
    data: dict[str, Any] = a.model_dump()
    data[sign] = True
    worse = triage(Assessment.model_validate(data))
    assert worse.level.rank <= triage(a).level.rank


@given(assessments, assessments)
def test_a_baseline_never_lowers_the_level_below_its_other_flags(
    a: Assessment, baseline: Assessment
) -> None:
    with_base = triage(a, baseline=baseline)
    others = {r.code for r in triage(a).reasons} - {"long_episode"}
    assert {r.code for r in with_base.reasons} - {"long_episode"} == others
    assert with_base.level.rank >= triage(a).level.rank
