"""The triage policy as a table a clinician can review: answers -> level and reasons."""

from __future__ import annotations

from typing import Any

import pytest

from backcare.domain.triage import Level, triage
from tests.domain.people import assessment, startback

E, U, D, S = Level.EMERGENCY, Level.URGENT, Level.SEE_DOCTOR, Level.SELF_CARE

CASES: list[tuple[str, dict[str, Any], Level, list[str]]] = [
    ("typical spasm", {}, S, []),
    # Tier 1: emergency
    ("saddle numbness", {"saddle_anaesthesia": True}, E, ["saddle_anaesthesia"]),
    ("bladder or bowel", {"bladder_or_bowel_change": True}, E, ["bladder_or_bowel_change"]),
    ("both legs", {"bilateral_leg_symptoms": True}, E, ["bilateral_leg_symptoms"]),
    ("weakness worsening", {"progressive_leg_weakness": True}, E, ["progressive_leg_weakness"]),
    ("major trauma", {"significant_trauma": True}, E, ["significant_trauma"]),
    (
        "fever with immunosuppression",
        {"fever": True, "iv_drug_use_or_immunosuppressed": True},
        E,
        ["possible_spinal_infection", "fever", "iv_drug_use_or_immunosuppressed"],
    ),
    # Tier 2: urgent
    ("fever alone", {"fever": True}, U, ["fever"]),
    ("cancer history", {"history_of_cancer": True}, U, ["history_of_cancer"]),
    ("weight loss", {"unexplained_weight_loss": True}, U, ["unexplained_weight_loss"]),
    ("night pain", {"night_pain_unrelenting": True}, U, ["night_pain_unrelenting"]),
    (
        "osteoporosis or steroids",
        {"osteoporosis_or_long_term_steroids": True},
        U,
        ["osteoporosis_or_long_term_steroids"],
    ),
    (
        "immunosuppressed alone",
        {"iv_drug_use_or_immunosuppressed": True},
        U,
        ["iv_drug_use_or_immunosuppressed"],
    ),
    # Tier 3: see a doctor, with every boundary
    ("age 15", {"age": 15}, D, ["under_16"]),
    ("age 16", {"age": 16}, S, []),
    ("age 0", {"age": 0}, D, ["under_16"]),
    ("below the knee", {"pain_radiates_below_knee": True}, D, ["pain_radiates_below_knee"]),
    ("leg tingling", {"leg_numbness_or_tingling": True}, D, ["leg_numbness_or_tingling"]),
    ("worsening", {"worsening": True}, D, ["worsening"]),
    ("pain 7", {"pain_now": 7}, S, []),
    ("pain 8", {"pain_now": 8}, D, ["severe_pain"]),
    ("pain 10", {"pain_now": 10}, D, ["severe_pain"]),
    ("14 days", {"onset_days": 14}, S, []),
    ("15 days", {"onset_days": 15}, D, ["long_episode"]),
    ("recurring", {"recurring_same_place": True}, D, ["recurring_same_place"]),
    (
        "inflammatory pattern",
        {"morning_stiffness_over_30min": True, "onset_days": 91, "age": 44},
        D,
        ["long_episode", "possible_inflammatory_back_pain"],
    ),
    (
        "stiffness at 90 days is not inflammatory yet",
        {"morning_stiffness_over_30min": True, "onset_days": 90, "age": 30},
        D,
        ["long_episode"],
    ),
    (
        "stiffness starting at 45 is not the NG65 pattern",
        {"morning_stiffness_over_30min": True, "onset_days": 200, "age": 45},
        D,
        ["long_episode"],
    ),
    ("short morning stiffness alone", {"morning_stiffness_over_30min": True}, S, []),
    ("STarT Back low", {"startback": startback(agree=3)}, S, []),
    ("STarT Back medium", {"startback": startback(agree=4)}, D, ["startback_medium"]),
    (
        "STarT Back high",
        {"startback": startback(agree=0, distress_agree=4)},
        D,
        ["startback_high"],
    ),
    # A higher tier always wins, and every matched flag is still a reason.
    (
        "emergency beats urgent and see-doctor",
        {"saddle_anaesthesia": True, "fever": True, "pain_now": 9},
        E,
        ["saddle_anaesthesia", "fever", "severe_pain"],
    ),
    (
        "urgent beats see-doctor",
        {"history_of_cancer": True, "onset_days": 30, "worsening": True},
        U,
        ["history_of_cancer", "worsening", "long_episode"],
    ),
    (
        "trauma with leg symptoms",
        {"significant_trauma": True, "leg_numbness_or_tingling": True},
        E,
        ["significant_trauma", "leg_numbness_or_tingling"],
    ),
]


@pytest.mark.parametrize(
    ("overrides", "level", "codes"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_policy_table(overrides: dict[str, Any], level: Level, codes: list[str]) -> None:
    result = triage(assessment(**overrides))
    assert result.level is level
    assert [r.code for r in result.reasons] == codes


def test_reasons_come_most_serious_first() -> None:
    result = triage(assessment(pain_now=9, fever=True, bilateral_leg_symptoms=True))
    ranks = [r.level.rank for r in result.reasons]
    assert ranks == sorted(ranks)


def test_every_reason_has_text_and_a_source() -> None:
    result = triage(
        assessment(saddle_anaesthesia=True, fever=True, pain_now=8, startback=startback(agree=4))
    )
    for reason in result.reasons:
        assert reason.text and reason.source


@pytest.mark.parametrize("code", ["severe_pain", "long_episode"])
def test_product_thresholds_say_they_are_not_guideline_numbers(code: str) -> None:
    overrides = {"severe_pain": {"pain_now": 8}, "long_episode": {"onset_days": 30}}[code]
    (reason,) = triage(assessment(**overrides)).reasons
    assert "not a guideline number" in reason.text
    assert "backcare-product" in reason.source_ids


def test_self_care_always_carries_a_safety_net_for_every_higher_tier() -> None:
    result = triage(assessment())
    assert len(result.safety_net) == 3
    assert "emergency" in result.safety_net[0].text


def test_the_result_records_the_policy_version() -> None:
    assert triage(assessment()).policy_version.startswith("triage-")


def test_startback_result_is_reported_with_the_triage() -> None:
    result = triage(assessment(startback=startback(agree=2, distress_agree=2, q9="very_much")))
    assert result.startback is not None
    assert (result.startback.total, result.startback.distress) == (5, 3)
