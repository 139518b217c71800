"""Questionnaire scoring against published worked examples and thresholds."""

from __future__ import annotations

from typing import Any

import pytest

from backcare.domain.assessment import StartBackAnswers
from backcare.domain.questionnaires import (
    NotScorable,
    OdiBand,
    OdiSections,
    PsfsAnswers,
    Risk,
    nprs_change,
    odi_band,
    odi_change,
    psfs_change,
    score_odi,
    score_psfs,
    score_startback,
)
from tests.domain.people import startback

SECTION_NAMES = list(OdiSections.model_fields)


def odi(*scores: int | None) -> OdiSections:
    return OdiSections.model_validate(dict(zip(SECTION_NAMES, scores, strict=True)))


@pytest.mark.parametrize(
    ("agree", "distress", "q9", "total", "subscale", "risk"),
    [
        (0, 0, "not_at_all", 0, 0, Risk.LOW),
        (3, 0, "moderately", 3, 0, Risk.LOW),
        (2, 0, "extremely", 3, 1, Risk.LOW),  # total <= 3 is low whatever the subscale
        (4, 0, "slightly", 4, 0, Risk.MEDIUM),
        (1, 3, "moderately", 4, 3, Risk.MEDIUM),  # subscale 3 is not high
        (0, 3, "very_much", 4, 4, Risk.HIGH),  # item 9 "very much" scores 1
        (0, 4, "slightly", 4, 4, Risk.HIGH),
        (4, 4, "extremely", 9, 5, Risk.HIGH),
    ],
)
def test_startback(
    agree: int, distress: int, q9: str, total: int, subscale: int, risk: Risk
) -> None:
    result = score_startback(StartBackAnswers.model_validate(startback(agree, distress, q9)))
    assert (result.total, result.distress, result.risk) == (total, subscale, risk)


def test_odi_worked_example_all_sections() -> None:
    result = score_odi(odi(2, 1, 2, 2, 2, 2, 1, 2, 1, 1))
    assert (result.raw, result.answered, result.percent) == (16, 10, 32.0)


def test_odi_worked_example_one_section_missing() -> None:
    result = score_odi(odi(2, 1, 2, 2, 2, 2, 1, None, 2, 2))
    assert (result.raw, result.answered, result.percent) == (16, 9, 35.6)


def test_odi_scores_with_two_sections_missing() -> None:
    assert score_odi(odi(5, 5, 5, 5, 5, 5, 5, None, None, 5)).percent == 100.0


def test_odi_refuses_to_score_with_three_sections_missing() -> None:
    with pytest.raises(NotScorable, match="at least 8 of 10"):
        score_odi(odi(1, 1, 1, 1, 1, 1, 1, None, None, None))


@pytest.mark.parametrize(
    ("percent", "band"),
    [
        (0, OdiBand.MINIMAL),
        (20, OdiBand.MINIMAL),
        (22, OdiBand.MODERATE),
        (40, OdiBand.MODERATE),
        (42, OdiBand.SEVERE),
        (60, OdiBand.SEVERE),
        (62, OdiBand.VERY_SEVERE),
        (80, OdiBand.VERY_SEVERE),
        (82, OdiBand.EXTREME),
        (100, OdiBand.EXTREME),
    ],
)
def test_odi_fairbank_bands(percent: float, band: OdiBand) -> None:
    assert odi_band(percent) is band


@pytest.mark.parametrize(
    ("before", "after", "meaningful", "improved"),
    [
        (6, 4, True, True),  # 2 points
        (6, 5, False, True),  # 1 point, 17%
        (3, 2, True, True),  # 1 point but 33%
        (10, 8, True, True),
        (4, 6, True, False),  # a meaningful worsening
        (5, 5, False, False),
        (0, 1, False, False),  # no percentage from a zero baseline
    ],
)
def test_nprs_minimal_important_change(
    before: int, after: int, meaningful: bool, improved: bool
) -> None:
    change = nprs_change(before, after)
    assert (change.meaningful, change.improved) == (meaningful, improved)


@pytest.mark.parametrize(
    ("before", "after", "meaningful"),
    [(40, 30, True), (40, 31, False), (20, 14, True), (20, 15, False), (10, 9, False)],
)
def test_odi_minimal_important_change(before: float, after: float, meaningful: bool) -> None:
    assert odi_change(before, after).meaningful is meaningful


def test_psfs_is_the_mean_of_the_activity_ratings() -> None:
    answers: dict[str, Any] = {
        "activities": [
            {"name": "Putting on socks", "rating": 3},
            {"name": "Lifting my toddler", "rating": 2},
            {"name": "Sitting through a meeting", "rating": 6},
        ]
    }
    assert score_psfs(PsfsAnswers.model_validate(answers)) == pytest.approx(3.7)


@pytest.mark.parametrize(
    ("before", "after", "meaningful"), [(3.0, 5.0, True), (3.0, 4.7, False), (6.0, 4.0, True)]
)
def test_psfs_change_of_two_points_is_meaningful(
    before: float, after: float, meaningful: bool
) -> None:
    assert psfs_change(before, after).meaningful is meaningful
