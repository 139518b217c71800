"""The triage policy as a table a clinician can review: answers -> level and reasons.

Every row of the warning-sign screen is here twice: alone, and with an emergency sign, which wins.
"""

from __future__ import annotations

from typing import Any

import pytest

from backcare.domain.assessment import Assessment
from backcare.domain.triage import POLICY_VERSION, Level, triage
from tests.domain.people import assessment, startback

E, U, D, S = Level.EMERGENCY, Level.URGENT, Level.SEE_DOCTOR, Level.SELF_CARE

# (name, answers, level, reasons in order)
CASES: list[tuple[str, dict[str, Any], Level, list[str]]] = [
    ("typical spasm", {}, S, []),
    # Tier 1: emergency (cauda equina, including its early signs; chest pain; serious injury)
    ("saddle numbness", {"saddle_anaesthesia": True}, E, ["saddle_anaesthesia"]),
    ("bladder or bowel control", {"bladder_or_bowel_change": True}, E, ["bladder_or_bowel_change"]),
    ("trouble passing urine", {"difficulty_passing_urine": True}, E, ["difficulty_passing_urine"]),
    ("new sexual dysfunction", {"new_sexual_dysfunction": True}, E, ["new_sexual_dysfunction"]),
    ("both legs", {"bilateral_leg_symptoms": True}, E, ["bilateral_leg_symptoms"]),
    ("weakness worsening", {"progressive_leg_weakness": True}, E, ["progressive_leg_weakness"]),
    ("chest pain", {"chest_pain": True}, E, ["chest_pain"]),
    ("major trauma", {"significant_trauma": True}, E, ["significant_trauma"]),
    (
        "road collision, whatever the injury answer",
        {"mechanism": "road_collision"},
        E,
        ["road_collision"],
    ),
    (
        "fever with immunosuppression",
        {"fever": True, "iv_drug_use_or_immunosuppressed": True},
        E,
        ["possible_spinal_infection", "fever", "iv_drug_use_or_immunosuppressed"],
    ),
    # Tier 2: urgent
    ("fever alone", {"fever": True}, U, ["fever"]),
    ("recent infection", {"recent_infection": True}, U, ["recent_infection"]),
    (
        "fever and a recent infection",
        {"fever": True, "recent_infection": True},
        U,
        ["fever", "recent_infection"],
    ),
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
    (
        "lump or changed shape",
        {"back_lump_or_changed_shape": True},
        U,
        ["back_lump_or_changed_shape"],
    ),
    (
        "worse on coughing",
        {"pain_worse_coughing_sneezing": True},
        U,
        ["pain_worse_coughing_sneezing"],
    ),
    ("between the shoulder blades", {"upper_back_pain": True}, U, ["upper_back_pain"]),
    (
        "a fall at 65",
        {"mechanism": "fall", "age": 65, "lifestyle": {"previous_episodes": 3}},
        U,
        ["fall_possible_fracture"],
    ),
    (
        "a fall at 64 is not a fracture flag",
        {"mechanism": "fall", "age": 64, "lifestyle": {"previous_episodes": 3}},
        S,
        [],
    ),
    (
        "a fall with thin bones",
        {"mechanism": "fall", "osteoporosis_or_long_term_steroids": True},
        U,
        ["osteoporosis_or_long_term_steroids", "fall_possible_fracture"],
    ),
    ("a fall at 30", {"mechanism": "fall"}, S, []),
    # Tier 3: see a doctor, with every boundary
    ("age 15", {"age": 15}, D, ["under_16"]),
    ("age 16", {"age": 16}, S, []),
    ("age 0", {"age": 0}, D, ["under_16"]),
    (
        "first episode at 50",
        {"age": 50, "lifestyle": {"previous_episodes": 0}},
        D,
        ["first_episode_over_50"],
    ),
    ("first episode at 50, episodes not answered", {"age": 50}, D, ["first_episode_over_50"]),
    ("first episode at 49", {"age": 49}, S, []),
    ("an earlier episode at 50", {"age": 50, "lifestyle": {"previous_episodes": 1}}, S, []),
    (
        "pregnant or recent birth",
        {"pregnant_or_recent_birth": True},
        D,
        ["pregnant_or_recent_birth"],
    ),
    (
        "recent spinal surgery or injection",
        {"recent_spinal_surgery_or_injection": True},
        D,
        ["recent_spinal_surgery_or_injection"],
    ),
    ("below the knee", {"pain_radiates_below_knee": True}, D, ["pain_radiates_below_knee"]),
    ("leg tingling", {"leg_numbness_or_tingling": True}, D, ["leg_numbness_or_tingling"]),
    ("worsening", {"worsening": True}, D, ["worsening"]),
    ("pain 7", {"pain_now": 7}, S, []),
    ("pain 8", {"pain_now": 8}, D, ["severe_pain"]),
    ("pain 10", {"pain_now": 10}, D, ["severe_pain"]),
    ("14 days", {"onset_days": 14}, S, []),
    ("15 days", {"onset_days": 15}, D, ["long_episode"]),
    ("recurring", {"recurring_same_place": True}, D, ["recurring_same_place"]),
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

INFLAMMATORY_NONE = dict.fromkeys(
    (
        "wakes_second_half_of_night",
        "buttock_pain",
        "eases_with_movement",
        "eases_with_anti_inflammatories",
        "relative_with_spondyloarthritis",
        "arthritis_enthesitis_or_psoriasis",
    ),
    False,
)


def features(*names: str) -> dict[str, bool]:
    return {**INFLAMMATORY_NONE, **dict.fromkeys(names, True)}


# NICE NG65: back pain that began before 45 and has lasted over 3 months, with 3 features; the age
# that counts is the age when the pain began, and "began before 35" is itself a feature.
INFLAMMATORY: list[tuple[str, dict[str, Any], bool]] = [
    (
        "3 features, began at 40",
        {
            "age": 41,
            "onset_days": 400,
            "inflammatory": features(
                "buttock_pain", "eases_with_movement", "wakes_second_half_of_night"
            ),
        },
        True,
    ),
    (
        "2 features, began at 40",
        {
            "age": 41,
            "onset_days": 400,
            "inflammatory": features("buttock_pain", "eases_with_movement"),
        },
        False,
    ),
    (
        "2 features, began at 33 (a third)",
        {
            "age": 34,
            "onset_days": 400,
            "inflammatory": features("buttock_pain", "eases_with_movement"),
        },
        True,
    ),
    (
        "3 features, 46 today but began at 44",
        {
            "age": 46,
            "onset_days": 800,
            "inflammatory": features(
                "buttock_pain", "eases_with_movement", "relative_with_spondyloarthritis"
            ),
        },
        True,
    ),
    (
        "3 features, began at 45",
        {
            "age": 45,
            "onset_days": 100,
            "inflammatory": features(
                "buttock_pain", "eases_with_movement", "relative_with_spondyloarthritis"
            ),
        },
        False,
    ),
    (
        "3 features at 90 days is not yet long enough",
        {
            "age": 30,
            "onset_days": 90,
            "inflammatory": features(
                "buttock_pain", "eases_with_movement", "eases_with_anti_inflammatories"
            ),
        },
        False,
    ),
    ("features not answered", {"age": 30, "onset_days": 200}, True),
]


@pytest.mark.parametrize(
    ("overrides", "level", "codes"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_policy_table(overrides: dict[str, Any], level: Level, codes: list[str]) -> None:
    result = triage(assessment(**overrides))
    assert result.level is level
    assert [r.code for r in result.reasons] == codes


@pytest.mark.parametrize(
    ("overrides", "level", "codes"),
    [c[1:] for c in CASES if c[2] is not E],
    ids=[c[0] for c in CASES if c[2] is not E],
)
def test_every_row_with_an_emergency_sign_is_an_emergency(
    overrides: dict[str, Any], level: Level, codes: list[str]
) -> None:
    result = triage(assessment(**overrides, difficulty_passing_urine=True))
    assert result.level is E
    assert [r.code for r in result.reasons] == ["difficulty_passing_urine", *codes]


@pytest.mark.parametrize(
    ("overrides", "flagged"), [c[1:] for c in INFLAMMATORY], ids=[c[0] for c in INFLAMMATORY]
)
def test_inflammatory_back_pain_follows_ng65(overrides: dict[str, Any], flagged: bool) -> None:
    codes = [r.code for r in triage(assessment(**overrides)).reasons]
    assert ("possible_inflammatory_back_pain" in codes) is flagged


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


@pytest.mark.parametrize("code", ["severe_pain", "long_episode", "recurring_same_place"])
def test_product_thresholds_say_they_are_not_guideline_numbers(code: str) -> None:
    overrides = {
        "severe_pain": {"pain_now": 8},
        "long_episode": {"onset_days": 30},
        "recurring_same_place": {"recurring_same_place": True},
    }[code]
    (reason,) = triage(assessment(**overrides)).reasons
    assert "backcare's own" in reason.note and "not a guideline" in reason.note
    assert "backcare-product" in reason.source_ids


def test_self_care_carries_a_safety_net_for_every_higher_tier() -> None:
    net = triage(assessment()).safety_net
    texts = " ".join(a.text for a in net)
    assert "emergency" in net[0].text
    assert "see a doctor today" in texts and "book a doctor" in texts


def test_the_safety_net_names_the_early_cauda_equina_signs() -> None:
    texts = " ".join(a.text for a in triage(assessment()).safety_net).lower()
    for early in (
        "trouble starting to pee",
        "weak flow",
        "peeing feels different",
        "sex",
        "between your legs",
    ):
        assert early in texts


def test_the_result_records_the_policy_version() -> None:
    assert triage(assessment()).policy_version == POLICY_VERSION
    assert POLICY_VERSION != "triage-2026.11.1"  # the screen changed: a new version


def test_startback_result_is_reported_with_the_triage() -> None:
    result = triage(assessment(startback=startback(agree=2, distress_agree=2, q9="very_much")))
    assert result.startback is not None
    assert (result.startback.total, result.startback.distress) == (5, 3)
    assert not result.startback_skipped


def test_a_skipped_startback_is_kept_with_the_result() -> None:
    result = triage(assessment())
    assert result.startback is None and result.startback_skipped


# A re-check during a plan: `long_episode` means "not getting better after two weeks".
BASELINE = {"onset_days": 2, "pain_now": 6, "spasm_episodes_per_day": 4}
RECHECKS: list[tuple[str, dict[str, Any] | None, dict[str, Any], bool]] = [
    (
        "no plan to compare with",
        None,
        {"onset_days": 21, "pain_now": 1, "spasm_episodes_per_day": 0},
        True,
    ),
    (
        "pain down 5, no spasms",
        BASELINE,
        {"onset_days": 21, "pain_now": 1, "spasm_episodes_per_day": 0},
        False,
    ),
    (
        "pain down 2 only",
        BASELINE,
        {"onset_days": 21, "pain_now": 4, "spasm_episodes_per_day": 4},
        False,
    ),
    (
        "spasms down 1 a day only",
        BASELINE,
        {"onset_days": 21, "pain_now": 6, "spasm_episodes_per_day": 3},
        False,
    ),
    (
        "pain down 1, spasms the same",
        BASELINE,
        {"onset_days": 21, "pain_now": 5, "spasm_episodes_per_day": 4},
        True,
    ),
    (
        "worse than at the start",
        BASELINE,
        {"onset_days": 21, "pain_now": 7, "spasm_episodes_per_day": 5},
        True,
    ),
]


@pytest.mark.parametrize(
    ("baseline", "recheck", "long_episode"),
    [c[1:] for c in RECHECKS],
    ids=[c[0] for c in RECHECKS],
)
def test_a_recheck_compares_with_the_plans_baseline(
    baseline: dict[str, Any] | None, recheck: dict[str, Any], long_episode: bool
) -> None:
    base = assessment(**baseline) if baseline is not None else None
    codes = [r.code for r in triage(assessment(**recheck), baseline=base).reasons]
    assert ("long_episode" in codes) is long_episode


def test_a_baseline_changes_no_other_flag() -> None:
    base = assessment(pain_now=9, spasm_episodes_per_day=10)
    again = assessment(onset_days=30, pain_now=8, fever=True, recurring_same_place=True)
    with_base = [r.code for r in triage(again, baseline=base).reasons]
    without = [r.code for r in triage(again).reasons]
    assert with_base == ["fever", "severe_pain", "recurring_same_place"]
    assert without == ["fever", "severe_pain", "long_episode", "recurring_same_place"]


def test_startback_answers_and_a_skip_cannot_both_be_given() -> None:
    from backcare.domain.validation import InputError, parse_obj
    from tests.domain.people import answers

    data = answers(startback=startback(agree=1))
    data["startback_skipped"] = True
    with pytest.raises(InputError) as info:
        parse_obj(Assessment, data)
    assert info.value.problems == [
        "startback_skipped: must be false when the startback answers are given"
    ]
