"""Properties over every valid assessment: warning signs always win."""

from __future__ import annotations

from typing import Any, get_args

from hypothesis import given
from hypothesis import strategies as st

from backcare.domain.assessment import WARNING_SIGNS, Assessment, Bothersome, Mechanism
from backcare.domain.triage import EMERGENCY_SIGNS, Level, triage

_BOTHER = get_args(Bothersome)
_MECH = get_args(Mechanism)

startbacks = st.one_of(
    st.none(),
    st.fixed_dictionaries(
        {**{f"q{i}": st.booleans() for i in range(1, 9)}, "q9": st.sampled_from(_BOTHER)}
    ),
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
        "startback": startbacks,
    }
).map(Assessment.model_validate)

TIER_1_TO_3_SIGNS = [s for s in WARNING_SIGNS if s != "morning_stiffness_over_30min"]


@given(assessments)
def test_any_emergency_sign_gives_emergency(a: Assessment) -> None:
    if any(getattr(a, sign) for sign in EMERGENCY_SIGNS) or (
        a.fever and a.iv_drug_use_or_immunosuppressed
    ):
        assert triage(a).level is Level.EMERGENCY


@given(assessments)
def test_never_self_care_when_any_flag_is_set(a: Assessment) -> None:
    flagged = (
        any(getattr(a, sign) for sign in TIER_1_TO_3_SIGNS)
        or a.age < 16
        or a.pain_now >= 8
        or a.onset_days > 14
        or (a.morning_stiffness_over_30min and a.onset_days > 90 and a.age < 45)
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
