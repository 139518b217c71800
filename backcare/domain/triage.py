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
from backcare.domain.improvement import improving
from backcare.domain.questionnaires import Risk, StartBackResult, score_startback

POLICY_VERSION = "triage-2026.12.1"

SEVERE_PAIN = 8  # product threshold, not a guideline number
LONG_EPISODE_DAYS = 14  # product threshold: "not getting better after two weeks"
MIN_ADULT_AGE = 16  # NICE NG59 covers people aged 16 and over
NEW_ONSET_AGE = 50  # CKS red flags: a first episode of back pain over 50
FALL_FRACTURE_AGE = 65  # CKS, RCEM: a fall at 65 or over can break a bone in the spine
INFLAMMATORY_ONSET_DAYS = 90  # NICE NG65: back pain lasting more than 3 months
INFLAMMATORY_AGE_LIMIT = 45  # NICE NG65: started before the age of 45
INFLAMMATORY_EARLY_ONSET = 35  # NICE NG65 feature: started before the age of 35
INFLAMMATORY_FEATURES = 3  # NICE NG65: 3 features call for a blood test, 4 for a referral


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
    note: str = ""  # e.g. that a threshold is backcare's own, not a guideline number

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
    startback_skipped: bool = False

    @property
    def codes(self) -> frozenset[str]:
        return frozenset(r.code for r in self.reasons)


EMERGENCY_SIGNS = (
    "saddle_anaesthesia",
    "bladder_or_bowel_change",
    "difficulty_passing_urine",
    "new_sexual_dysfunction",
    "bilateral_leg_symptoms",
    "progressive_leg_weakness",
    "chest_pain",
    "significant_trauma",
)
URGENT_SIGNS = (
    "fever",
    "recent_infection",
    "history_of_cancer",
    "unexplained_weight_loss",
    "night_pain_unrelenting",
    "osteoporosis_or_long_term_steroids",
    "iv_drug_use_or_immunosuppressed",
    "back_lump_or_changed_shape",
    "pain_worse_coughing_sneezing",
    "upper_back_pain",
)
SEE_DOCTOR_SIGNS = (
    "pregnant_or_recent_birth",
    "recent_spinal_surgery_or_injection",
    "pain_radiates_below_knee",
    "leg_numbness_or_tingling",
    "worsening",
)
# Nerve signs: a see-a-doctor plan with one of these stays gentle (phase 1) until assessed.
NERVE_SIGNS = ("pain_radiates_below_knee", "leg_numbness_or_tingling")


def matched_flags(
    a: Assessment, startback: StartBackResult | None, baseline: Assessment | None = None
) -> list[str]:
    """Every flag the answers raise, most serious tier first."""
    codes = [sign for sign in EMERGENCY_SIGNS if getattr(a, sign)]
    if a.mechanism == "road_collision":
        codes.append("road_collision")
    if a.fever and a.iv_drug_use_or_immunosuppressed:
        codes.append("possible_spinal_infection")
    codes += [sign for sign in URGENT_SIGNS if getattr(a, sign)]
    if a.mechanism == "fall" and (
        a.age >= FALL_FRACTURE_AGE or a.osteoporosis_or_long_term_steroids
    ):
        codes.append("fall_possible_fracture")
    codes += _see_doctor_flags(a, startback, baseline)
    return codes


def _see_doctor_flags(
    a: Assessment, startback: StartBackResult | None, baseline: Assessment | None
) -> list[str]:
    checks = (
        ("under_16", a.age < MIN_ADULT_AGE),
        ("first_episode_over_50", a.age >= NEW_ONSET_AGE and not _previous_episodes(a)),
        *((sign, getattr(a, sign)) for sign in SEE_DOCTOR_SIGNS),
        ("severe_pain", a.pain_now >= SEVERE_PAIN),
        ("long_episode", a.onset_days > LONG_EPISODE_DAYS and not _better_than(a, baseline)),
        ("recurring_same_place", a.recurring_same_place),
        ("possible_inflammatory_back_pain", possible_inflammatory(a)),
        ("startback_medium", startback is not None and startback.risk is Risk.MEDIUM),
        ("startback_high", startback is not None and startback.risk is Risk.HIGH),
    )
    return [code for code, matched in checks if matched]


def _previous_episodes(a: Assessment) -> int:
    """Earlier episodes of back pain; not answered counts as none (a first episode)."""
    life = a.lifestyle
    return 0 if life is None or life.previous_episodes is None else life.previous_episodes


def _better_than(a: Assessment, baseline: Assessment | None) -> bool:
    """Whether, against the plan's starting check, pain or spasm episodes fell meaningfully.

    More than 14 days means "not getting better after two weeks": with no plan to compare with,
    nobody can tell it is getting better, so it counts as not.
    """
    if baseline is None:
        return False
    return improving(
        baseline.pain_now, a.pain_now, baseline.spasm_episodes_per_day, a.spasm_episodes_per_day
    )


def possible_inflammatory(a: Assessment) -> bool:
    """NICE NG65: back pain that began before 45 and has lasted over 3 months, with 3 or more of
    its features (or with the features not answered: NG65 asks for them to be assessed)."""
    if a.onset_days <= INFLAMMATORY_ONSET_DAYS or a.onset_age >= INFLAMMATORY_AGE_LIMIT:
        return False
    f = a.inflammatory
    if f is None:
        return True
    count = sum(
        (
            a.onset_age < INFLAMMATORY_EARLY_ONSET,
            f.wakes_second_half_of_night,
            f.buttock_pain,
            f.eases_with_movement,
            f.eases_with_anti_inflammatories,
            f.relative_with_spondyloarthritis,
            f.arthritis_enthesitis_or_psoriasis,
        )
    )
    return count >= INFLAMMATORY_FEATURES


def triage(a: Assessment, *, baseline: Assessment | None = None) -> Triage:
    """The triage of `a`. `baseline` is the starting assessment of the plan a re-check is made
    during: against it, a long episode that is getting better meaningfully is not a flag."""
    startback = score_startback(a.startback) if a.startback is not None else None
    reasons = tuple(reason(code) for code in matched_flags(a, startback, baseline))
    level = min((r.level for r in reasons), key=lambda lv: lv.rank, default=Level.SELF_CARE)
    return triage_result(level, reasons, startback, startback_skipped=a.startback_skipped)


def triage_result(
    level: Level,
    reasons: tuple[Reason, ...],
    startback: StartBackResult | None,
    *,
    startback_skipped: bool = False,
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
        startback_skipped=startback_skipped,
    )


@cache
def reason(code: str) -> Reason:
    flag = content.read("triage")["flags"][code]
    return Reason(
        code=code,
        level=Level(flag["tier"]),
        text=flag["text"],
        source_ids=tuple(flag["sources"]),
        note=flag.get("note", ""),
    )


@cache
def level_advice(level: Level) -> tuple[str, Advice]:
    entry = content.read("triage")["levels"][level.value]
    return entry["title"], Advice(text=entry["action"], source_ids=tuple(entry["sources"]))


@cache
def safety_net(level: Level) -> tuple[Advice, ...]:
    """What would change this level: the signs of every more serious tier than this one, one
    short line each, with what to do.

    An emergency result has nothing more serious to watch for, so it repeats nothing.
    """
    return tuple(
        Advice(text=item["text"], source_ids=tuple(item["sources"]))
        for item in content.read("triage")["safety_net"]
        if Level(item["level"]).rank < level.rank
    )


@cache
def emergency_signs() -> tuple[Advice, ...]:
    """The emergency tier of the safety net: shown on every page where a person might need it."""
    return safety_net(Level.URGENT)


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
