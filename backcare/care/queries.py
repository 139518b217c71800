"""Reads of a person's care that several pages share, so each rule is worked out once."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from backcare.care.models import Plan, ProgressionStep, ThermalApplication
from backcare.domain import catalogue, content
from backcare.domain.catalogue import Dose, Exercise
from backcare.domain.dosing import describe
from backcare.domain.episode import Recheck, recheck
from backcare.domain.figures.describe import describe as describe_figure
from backcare.domain.figures.poses import pose_sets
from backcare.domain.plan import PlanState, Prescription
from backcare.domain.stopping import stop_rules_for
from backcare.lib.timezones import local_today


def plan_today(plan: Plan, person: Any, now: datetime) -> date:
    """The day it is in `plan` for `person`: their own date, never earlier than a day the plan
    already has.

    A person who moves their time zone west (or travels) can find their local date behind the
    day the plan began or the day of their last check-in. Time in a plan never runs backwards:
    the plan keeps its latest day until the local date catches up, so no check-in moves to
    another day or disappears, and the day count never reads "day 0".
    """
    local = local_today(person, now)
    return max(local, plan.created_on, plan.last_check_in_on or local)


def day_number(plan: Plan, today: date) -> int:
    """Day 1 is the day the plan began."""
    return max(1, (today - plan.created_on).days + 1)


def plan_recheck(plan: Plan, today: date) -> Recheck:
    """When the next check is due: two weeks after the latest check behind the plan."""
    return recheck(plan.checked_on, today)


def plan_state(plan: Plan) -> PlanState:
    return PlanState.model_validate_json(json.dumps(plan.state))


def latest_result(plan: Plan) -> dict[str, Any] | None:
    """What the person was shown after their latest check-in in this plan."""
    step = (
        ProgressionStep.objects.filter(plan=plan).order_by("-created_at", "-pk").only("result")
    ).first()
    return step.result if step else None


@dataclass(frozen=True)
class ExerciseToday:
    exercise: Exercise
    dose: Dose
    dose_text: str
    why: str
    source: str
    figure_alt: str
    stop_rules: tuple[str, ...]


def exercise_today(p: Prescription, state: PlanState) -> ExerciseToday:
    e = catalogue.exercises()[p.exercise]
    pose = pose_sets().get(p.exercise)
    alt = describe_figure(pose) if pose else ""
    rules = stop_rules_for(state, p.exercise)
    return ExerciseToday(e, p.dose, describe(p.dose), p.why, content.cite(e.sources), alt, rules)


def running_thermal(person: Any, now: datetime) -> ThermalApplication | None:
    return ThermalApplication.objects.filter(
        patient=person, stopped_at__isnull=True, ends_at__gt=now
    ).first()
