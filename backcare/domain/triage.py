"""The safety triage: the first tier whose warning signs match wins.

The policy is stated in docs/triage-policy.md; the words and sources shown for every flag are in
content/triage.toml. Bump POLICY_VERSION whenever a rule or threshold here changes: it is
stored with every result so that "why was this person flagged?" has the answer that applied then.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import cache

from backcare.domain import content
from backcare.domain.assessment import WARNING_SIGNS, Assessment
from backcare.domain.questionnaires import Risk, StartBackResult, score_startback

POLICY_VERSION = "triage-2026.11.1"

SEVERE_PAIN = 8  # product threshold, not a guideline number
LONG_EPISODE_DAYS = 14  # product threshold after seed-002's "1-2 weeks"
MIN_ADULT_AGE = 16  # NICE NG59 covers people aged 16 and over
INFLAMMATORY_ONSET_DAYS = 90  # NICE NG65: back pain lasting more than 3 months
INFLAMMATORY_AGE_LIMIT = 45  # NICE NG65: started before the age of 45


class Level(StrEnum):
    EMERGENCY = "emergency"
    URGENT = "urgent"
    SEE_DOCTOR = "see_doctor"
    SELF_CARE = "self_care"

    @property
    def rank(self) -> int:
        """0 is the most serious."""
        return _ORDER.index(self)

    @property
    def allows_exercise(self) -> bool:
        return self in (Level.SEE_DOCTOR, Level.SELF_CARE)


_ORDER = (Level.EMERGENCY, Level.URGENT, Level.SEE_DOCTOR, Level.SELF_CARE)


@dataclass(frozen=True, slots=True)
class Reason:
    code: str
    level: Level
    text: str
    source_ids: tuple[str, ...]

    @property
    def source(self) -> str:
        return content.cite(self.source_ids)


@dataclass(frozen=True, slots=True)
class Advice:
    text: str
    source_ids: tuple[str, ...]

    @property
    def source(self) -> str:
        return content.cite(self.source_ids)


@dataclass(frozen=True, slots=True)
class Triage:
    level: Level
    title: str
    action: Advice
    reasons: tuple[Reason, ...]
    safety_net: tuple[Advice, ...]
    startback: StartBackResult | None
    policy_version: str = POLICY_VERSION


EMERGENCY_SIGNS = (
    "saddle_anaesthesia",
    "bladder_or_bowel_change",
    "bilateral_leg_symptoms",
    "progressive_leg_weakness",
    "significant_trauma",
)
URGENT_SIGNS = (
    "fever",
    "history_of_cancer",
    "unexplained_weight_loss",
    "night_pain_unrelenting",
    "osteoporosis_or_long_term_steroids",
    "iv_drug_use_or_immunosuppressed",
)


def matched_flags(a: Assessment, startback: StartBackResult | None) -> list[str]:
    """Every flag the answers raise, most serious tier first."""
    codes = [sign for sign in EMERGENCY_SIGNS if getattr(a, sign)]
    if a.fever and a.iv_drug_use_or_immunosuppressed:
        codes.append("possible_spinal_infection")
    codes += [sign for sign in URGENT_SIGNS if getattr(a, sign)]
    codes += _see_doctor_flags(a, startback)
    return codes


def _see_doctor_flags(a: Assessment, startback: StartBackResult | None) -> list[str]:
    checks = (
        ("under_16", a.age < MIN_ADULT_AGE),
        ("pain_radiates_below_knee", a.pain_radiates_below_knee),
        ("leg_numbness_or_tingling", a.leg_numbness_or_tingling),
        ("worsening", a.worsening),
        ("severe_pain", a.pain_now >= SEVERE_PAIN),
        ("long_episode", a.onset_days > LONG_EPISODE_DAYS),
        ("recurring_same_place", a.recurring_same_place),
        (
            "possible_inflammatory_back_pain",
            a.morning_stiffness_over_30min
            and a.onset_days > INFLAMMATORY_ONSET_DAYS
            and a.age < INFLAMMATORY_AGE_LIMIT,
        ),
        ("startback_medium", startback is not None and startback.risk is Risk.MEDIUM),
        ("startback_high", startback is not None and startback.risk is Risk.HIGH),
    )
    return [code for code, matched in checks if matched]


def triage(a: Assessment) -> Triage:
    startback = score_startback(a.startback) if a.startback is not None else None
    reasons = tuple(reason(code) for code in matched_flags(a, startback))
    level = min((r.level for r in reasons), key=lambda lv: lv.rank, default=Level.SELF_CARE)
    return triage_result(level, reasons, startback)


def triage_result(
    level: Level, reasons: tuple[Reason, ...], startback: StartBackResult | None
) -> Triage:
    """The result for a level, with the action and safety net the content gives it."""
    title, action = level_advice(level)
    return Triage(
        level=level,
        title=title,
        action=action,
        reasons=reasons,
        safety_net=safety_net(level),
        startback=startback,
    )


@cache
def reason(code: str) -> Reason:
    flag = content.read("triage")["flags"][code]
    return Reason(
        code=code, level=Level(flag["tier"]), text=flag["text"], source_ids=tuple(flag["sources"])
    )


@cache
def level_advice(level: Level) -> tuple[str, Advice]:
    entry = content.read("triage")["levels"][level.value]
    return entry["title"], Advice(text=entry["action"], source_ids=tuple(entry["sources"]))


@cache
def safety_net(level: Level) -> tuple[Advice, ...]:
    """What would change this level: the advice for every more serious tier than this one.

    An emergency result has nothing more serious to watch for, so it repeats nothing.
    """
    return tuple(
        Advice(text=item["text"], source_ids=tuple(item["sources"]))
        for item in content.read("triage")["safety_net"]
        if Level(item["level"]).rank < level.rank
    )


@dataclass(frozen=True, slots=True)
class Question:
    """How a warning sign is asked: in the check, and in the daily check-in."""

    ask: str
    hint: str
    noticed: str


@cache
def questions() -> dict[str, Question]:
    """Every warning sign's wording, in the assessment's order."""
    table = content.read("triage")["questions"]
    return {
        sign: Question(table[sign]["ask"], table[sign].get("hint", ""), table[sign]["noticed"])
        for sign in WARNING_SIGNS
    }
