"""Scoring of the validated questionnaires: STarT Back, ODI v2.1a, NPRS and PSFS.

Thresholds and worked examples are in docs/questionnaires.md; sources in content/sources.toml.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, Field

from backcare.domain.assessment import StartBackAnswers
from backcare.domain.validation import STRICT

STARTBACK_ATTRIBUTION = (
    "STarT Back Screening Tool (c) Keele University 2007, used here in paraphrase. "
    "Free for non-commercial use; commercial use needs Keele University's permission."
)


class Risk(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


@dataclass(frozen=True, slots=True)
class StartBackResult:
    total: int
    distress: int
    risk: Risk


_BOTHERSOME_SCORES_1 = frozenset({"very_much", "extremely"})


def score_startback(answers: StartBackAnswers) -> StartBackResult:
    """Keele STarT Back: total of items 1-9, distress subscale items 5-9 (Hill 2008)."""
    q9 = 1 if answers.q9 in _BOTHERSOME_SCORES_1 else 0
    distress = answers.q5 + answers.q6 + answers.q7 + answers.q8 + q9
    total = answers.q1 + answers.q2 + answers.q3 + answers.q4 + distress
    if total <= 3:
        risk = Risk.LOW
    elif distress >= 4:
        risk = Risk.HIGH
    else:
        risk = Risk.MEDIUM
    return StartBackResult(total=int(total), distress=int(distress), risk=risk)


@dataclass(frozen=True, slots=True)
class Change:
    """A change between two scores and whether it passes the minimal important change."""

    before: float
    after: float
    difference: float
    percent: float | None
    improved: bool
    meaningful: bool
    threshold: str


def _change(
    before: float, after: float, *, points: float, ratio: float | None, higher_is_better: bool
) -> Change:
    difference = round(after - before, 1)
    gain = difference if higher_is_better else -difference
    percent = None if before == 0 else round(100 * (after - before) / before, 1)
    meaningful = abs(difference) >= points or (
        ratio is not None and before != 0 and abs(after - before) / before >= ratio
    )
    rule = f"{points:g} points" + (f" or {ratio:.0%}" if ratio is not None else "")
    return Change(
        before=before,
        after=after,
        difference=difference,
        percent=percent,
        improved=gain > 0,
        meaningful=meaningful and difference != 0,
        threshold=rule,
    )


NPRS_MIC_POINTS = 2
NPRS_MIC_RATIO = 0.30


def nprs_change(before: float, after: float) -> Change:
    """Pain 0-10: a fall of 2 points or 30% is the minimal important change (Ostelo 2008)."""
    return _change(
        before, after, points=NPRS_MIC_POINTS, ratio=NPRS_MIC_RATIO, higher_is_better=False
    )


PSFS_MEANINGFUL_POINTS = 2


def psfs_change(before: float, after: float) -> Change:
    """PSFS mean: a change of 2 points is meaningful (Stratford 1995)."""
    return _change(before, after, points=PSFS_MEANINGFUL_POINTS, ratio=None, higher_is_better=True)


ODI_MIC_POINTS = 10
ODI_MIC_RATIO = 0.30


def odi_change(before: float, after: float) -> Change:
    """ODI percent: a fall of 10 points or 30% is the minimal important change (Ostelo 2008)."""
    return _change(
        before, after, points=ODI_MIC_POINTS, ratio=ODI_MIC_RATIO, higher_is_better=False
    )


Section = Annotated[int, Field(ge=0, le=5)] | None


class OdiSections(BaseModel):
    """ODI v2.1a section scores 0-5, or null when the section was not answered.

    The item text is licensed (Mapi Research Trust) and is not shipped: a clinician scores each
    section on the licensed form and enters the number.
    """

    model_config = STRICT

    pain_intensity: Section
    personal_care: Section
    lifting: Section
    walking: Section
    sitting: Section
    standing: Section
    sleeping: Section
    sex_life: Section
    social_life: Section
    travelling: Section


ODI_MIN_ANSWERED = 8


class OdiBand(StrEnum):
    MINIMAL = "minimal"
    MODERATE = "moderate"
    SEVERE = "severe"
    VERY_SEVERE = "very_severe"
    EXTREME = "extreme"


@dataclass(frozen=True, slots=True)
class OdiResult:
    percent: float
    raw: int
    answered: int
    band: OdiBand


class NotScorable(ValueError):
    """The answers are valid but too incomplete to give a score."""


def score_odi(sections: OdiSections) -> OdiResult:
    """ODI % = sum / (5 x answered) x 100, with Fairbank's bands.

    backcare scores only when at least 8 of the 10 sections are answered: the sex-life section is
    often left blank and one more may be missed, while Fairbank notes that fewer than 8 answered
    sections is rare in practice. Below that the score would rest on too little.
    """
    answered = [v for v in sections.model_dump().values() if v is not None]
    if len(answered) < ODI_MIN_ANSWERED:
        raise NotScorable(
            f"sections: at least {ODI_MIN_ANSWERED} of 10 sections must be answered "
            f"to score the ODI; {len(answered)} were"
        )
    raw = sum(answered)
    percent = round(100 * raw / (5 * len(answered)), 1)
    return OdiResult(percent=percent, raw=raw, answered=len(answered), band=odi_band(percent))


def odi_band(percent: float) -> OdiBand:
    """Fairbank's bands; the fourth ('crippled' in the original) is relabelled 'very severe'."""
    if percent <= 20:
        return OdiBand.MINIMAL
    if percent <= 40:
        return OdiBand.MODERATE
    if percent <= 60:
        return OdiBand.SEVERE
    if percent <= 80:
        return OdiBand.VERY_SEVERE
    return OdiBand.EXTREME


class PsfsActivity(BaseModel):
    model_config = STRICT

    name: Annotated[str, Field(min_length=1, max_length=80)]
    rating: Annotated[int, Field(ge=0, le=10)]


class PsfsAnswers(BaseModel):
    """Up to five activities the person finds hard, each rated 0 (unable) to 10 (as before)."""

    model_config = STRICT

    activities: Annotated[list[PsfsActivity], Field(min_length=1, max_length=5)]


def score_psfs(answers: PsfsAnswers) -> float:
    ratings = [a.rating for a in answers.activities]
    return round(sum(ratings) / len(ratings), 1)


QuestionnaireName = Literal["startback", "odi", "psfs", "nprs"]


class NprsInput(BaseModel):
    """A pain score 0-10, with an optional earlier score to compare against."""

    model_config = STRICT

    score: Annotated[int, Field(ge=0, le=10)]
    baseline: Annotated[int, Field(ge=0, le=10)] | None = None


class OdiInput(BaseModel):
    model_config = STRICT

    sections: OdiSections
    baseline_percent: Annotated[float, Field(ge=0, le=100)] | None = None


class PsfsInput(PsfsAnswers):
    baseline: Annotated[float, Field(ge=0, le=10)] | None = None
