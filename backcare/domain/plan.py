"""The care plan: triage first, then first aid for today, a phased exercise programme, causes,
education and when to review. Same assessment and `today`, same plan.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Annotated, Literal

from pydantic import BaseModel, Field

from backcare.domain import catalogue
from backcare.domain.assessment import Assessment
from backcare.domain.catalogue import Dose
from backcare.domain.causes import Cause, contributing_causes
from backcare.domain.episode import RECHECK_AFTER_DAYS
from backcare.domain.firstaid import FirstAidToday, first_aid_for
from backcare.domain.questionnaires import Risk
from backcare.domain.triage import NERVE_SIGNS, Level, Triage, triage
from backcare.domain.validation import STRICT

PLAN_VERSION = "plan-2026.12.1"
REASSESS_AFTER_DAYS = RECHECK_AFTER_DAYS  # one rule for when the next check is due
FOLLOW_UP_AFTER_DAYS = 42  # the second planned review, at about six weeks (leg pain's usual time)
ACUTE_DAYS = 2  # the first 48 hours
HIGH_PAIN = 6
MODERATE_PAIN = 3
EARLY_DAYS = 7
GRADED_START_SHARE = (
    0.6  # graded exposure starts below the usual dose (Vlaeyen; Keele matched care)
)

PhaseNumber = Literal[1, 2, 3, 4]
# Flags whose plan is first aid and "see a doctor" only: NICE NG59 is written for people 16 and
# over, so backcare gives children and young teenagers no exercise programme of its own.
NO_PROGRAMME = frozenset({"under_16"})


class Prescription(BaseModel):
    """One exercise at its current dose: the part of a plan that progression changes."""

    model_config = STRICT

    exercise: str
    dose: Dose
    why: str = ""


class PlanState(BaseModel):
    """What progression needs to carry a plan forward; stored with every plan and step."""

    model_config = STRICT

    created_on: date
    phase: PhaseNumber | None
    phase_started_on: date
    level: Literal["emergency", "urgent", "see_doctor", "self_care"]
    graded: bool
    prescriptions: Annotated[list[Prescription], Field(max_length=40)]
    assessment: Assessment


@dataclass(frozen=True, slots=True)
class Plan:
    state: PlanState
    triage: Triage
    first_aid: FirstAidToday | None
    causes: tuple[Cause, ...]
    education: tuple[str, ...]
    review_on: date
    reassess_on: date
    follow_up_on: date
    version: str = PLAN_VERSION


def phase_cap(a: Assessment) -> int:
    """The highest phase a plan may reach before the person has been assessed.

    Nerve signs (pain below the knee, a numb or tingling leg) keep the plan to gentle phase 1, and
    so does a recent spinal operation or injection, until the surgeon has said what is safe.
    Pregnancy keeps to its own adapted set (programme.toml, [pregnancy]). Other see-a-doctor
    reasons (a long episode, STarT Back medium or high, severe pain) let the plan progress.
    """
    capped = a.pregnant_or_recent_birth or a.recent_spinal_surgery_or_injection
    return 1 if capped or any(getattr(a, sign) for sign in NERVE_SIGNS) else 4


def has_programme(result: Triage) -> bool:
    return result.level.allows_exercise and not (result.codes & NO_PROGRAMME)


def entry_phase(level: Level, onset_days: int, pain_now: int, risk: Risk | None) -> int | None:
    """Phase 1 settle, 2 activate, 3 strengthen; phase 4 is reached by progressing."""
    if not level.allows_exercise:
        return None
    if level is Level.SEE_DOCTOR or risk is Risk.HIGH:
        return 1
    if pain_now >= HIGH_PAIN or onset_days < ACUTE_DAYS:
        return 1
    if pain_now >= MODERATE_PAIN or onset_days < EARLY_DAYS:
        return 2
    return 3


def plan(a: Assessment, *, today: date, baseline: Assessment | None = None) -> Plan:
    """The plan for `a` on `today`. `baseline` is the starting assessment of the plan a re-check
    is made during; triage compares with it (see `triage`)."""
    result = triage(a, baseline=baseline)
    risk = result.startback.risk if result.startback else None
    programme = has_programme(result)
    phase = entry_phase(result.level, a.onset_days, a.pain_now, risk) if programme else None
    causes = contributing_causes(a) if programme else ()
    graded = risk is Risk.HIGH
    pregnant = a.pregnant_or_recent_birth
    prescriptions = (
        prescribe(phase, causes, graded=graded, pregnant=pregnant, leg_symptoms=leg_symptoms(a))
        if phase is not None
        else []
    )
    review_days = catalogue.phases()[phase].review_after_days if phase else 1
    return Plan(
        state=PlanState(
            created_on=today,
            phase=phase,
            phase_started_on=today,
            level=result.level.value,
            graded=graded,
            prescriptions=prescriptions,
            assessment=a,
        ),
        triage=result,
        first_aid=first_aid_for(a, 0, result.level.value),
        causes=causes,
        education=education_topics(result, causes, graded=graded),
        review_on=today + timedelta(days=review_days),
        reassess_on=today + timedelta(days=REASSESS_AFTER_DAYS),
        follow_up_on=today + timedelta(days=FOLLOW_UP_AFTER_DAYS),
    )


def leg_symptoms(a: Assessment) -> bool:
    """Pain below the knee or a numb, tingling leg: the sciatica track."""
    return any(getattr(a, sign) for sign in NERVE_SIGNS)


def prescribe(
    phase: int,
    causes: tuple[Cause, ...],
    *,
    graded: bool,
    pregnant: bool = False,
    leg_symptoms: bool = False,
) -> list[Prescription]:
    """The phase's template, plus exercises linked to the person's causes that fit the phase.

    In pregnancy, or after a birth, the adapted set replaces the phase's template, and only
    exercises in that set are added for causes. With leg symptoms, nothing that stretches the
    nerves of the leg is prescribed (no stretching into nerve symptoms).
    """
    template = catalogue.pregnancy_set() if pregnant else catalogue.phases()[phase]
    exercises = catalogue.exercises()
    chosen: list[Prescription] = []
    for exercise_id in template.exercises:
        part = template.name if pregnant else f"Part of phase {phase} ({template.name})"
        why = f"{part}: {template.goal}"
        chosen.append(_prescription(exercise_id, why, graded=graded))
    present = set(template.exercises)
    for cause in causes:
        for exercise_id in cause.exercises:
            fits = (
                exercise_id in template.exercises
                if pregnant
                else phase in exercises[exercise_id].phases
            )
            nerve_ok = exercises[exercise_id].with_leg_symptoms or not leg_symptoms
            if exercise_id not in present and fits and nerve_ok:
                why = f"Added for {cause.title.lower()}: {cause.because[0]}."
                chosen.append(_prescription(exercise_id, why, graded=graded))
                present.add(exercise_id)
    return chosen


def _prescription(exercise_id: str, why: str, *, graded: bool) -> Prescription:
    dose = catalogue.exercises()[exercise_id].dose
    if graded:
        dose = graded_start(dose)
        why += " Starting below the usual dose and building up on a set schedule."
    return Prescription(exercise=exercise_id, dose=dose, why=why)


def graded_start(dose: Dose) -> Dose:
    def part(value: int | None) -> int | None:
        return None if value is None else max(1, round(value * GRADED_START_SHARE))

    return dose.model_copy(
        update={
            "sets": 1,
            "reps": part(dose.reps),
            "hold_seconds": part(dose.hold_seconds),
            "duration_minutes": part(dose.duration_minutes),
        }
    )


GENERAL_TOPICS = (
    "what_is_a_spasm",
    "what_to_expect",
    "flare_up_plan",
    "hurt_not_harm",
    "back_to_work",
    "sleep_and_rest",
    "how_long_spasms_last",
    "medicines",
)
SCIATICA_TOPICS = ("sciatica", "cauda_equina_card")
REASSURANCE_FIRST = ("hurt_not_harm", "stress_and_pain", "graded_activity")


def education_topics(result: Triage, causes: tuple[Cause, ...], *, graded: bool) -> tuple[str, ...]:
    """Topics in reading order: reassurance first for high-risk people, then their causes."""
    if not result.level.allows_exercise:
        return ("when_to_get_help",)
    if not has_programme(result):
        return ("tell_your_doctor", "when_to_get_help")
    order: list[str] = list(REASSURANCE_FIRST) if graded else []
    if result.codes & set(NERVE_SIGNS):
        order += SCIATICA_TOPICS
    if result.level is Level.SEE_DOCTOR:
        order.append("tell_your_doctor")
    order.append("what_to_expect")
    for cause in causes:
        order.append(cause.topic)
        order += [t for t in cause.related_topics if t.startswith("prevent_")]
    order += [*GENERAL_TOPICS, "when_to_get_help", "tell_your_doctor"]
    return tuple(dict.fromkeys(order))
