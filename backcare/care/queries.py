"""Reads of a person's care that several pages share, so each rule is worked out once."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from typing import Any

from django.db import connection

from backcare.care.models import (
    CheckIn,
    Patient,
    Plan,
    ProgrammeChange,
    ProgressionStep,
    ThermalApplication,
)
from backcare.domain import catalogue, content
from backcare.domain.catalogue import Dose, Exercise
from backcare.domain.dosing import describe
from backcare.domain.episode import Recheck, recheck
from backcare.domain.figures.describe import describe as describe_figure
from backcare.domain.figures.poses import pose_sets
from backcare.domain.plan import PlanState, Prescription
from backcare.domain.stopping import stop_rules_for
from backcare.lib.timezones import local_today


@cache
def _today_version_sql(vendor: str) -> str:
    """Made once per process and database (Today asks for it on every request)."""
    q = connection.ops.quote_name
    plan, step, change, check_in = (
        q(m._meta.db_table) for m in (Plan, ProgressionStep, ProgrammeChange, CheckIn)
    )
    return (
        f"SELECT p.id, p.updated_at, p.level, p.phase, p.created_on, p.last_check_in_on, "  # noqa: S608
        f"p.checked_on, p.stopped_on, p.assessment_id, "
        f"(SELECT s.id FROM {step} s WHERE s.plan_id = p.id "
        f"ORDER BY s.created_at DESC, s.id DESC LIMIT 1), "
        f"(SELECT COUNT(*) FROM {step} s WHERE s.plan_id = p.id), "
        f"(SELECT c.id FROM {change} c WHERE c.plan_id = p.id "
        f"ORDER BY c.created_at DESC, c.id DESC LIMIT 1), "
        f"(SELECT MAX(k.date) FROM {check_in} k WHERE k.patient_id = p.patient_id) "
        f"FROM {plan} p WHERE p.patient_id = %s AND p.is_active"
    )


def today_version(patient: Patient) -> tuple[Any, ...] | None:
    """Everything the day's checklist is made from, in one statement: the active plan's row
    (its state changes only with a check-in's step, a physiotherapist's change or a new plan),
    its latest step and step count, its latest programme change and the person's latest
    check-in day. None when they have no active plan.

    Two reads with the same version (on the same local date) give the same checklist, so the
    checklist can be kept under this version as its key in any process: a kept copy is checked
    against the shared database on every request, and can never outlive a change.
    """
    with connection.cursor() as cursor:
        cursor.execute(_today_version_sql(connection.vendor), [patient.pk])
        row = cursor.fetchone()
    return None if row is None else tuple(row)


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
    rules = stop_rules_for(state, p.exercise)
    return ExerciseToday(
        e, p.dose, describe(p.dose), p.why, content.cite(e.sources), figure_alt(p.exercise), rules
    )


@cache
def figure_alt(exercise_id: str) -> str:
    """The words for an exercise's figure: made from its poses, which are code, so once a
    process (a tenth of the Today page's time when made for every exercise on every visit)."""
    pose = pose_sets().get(exercise_id)
    return describe_figure(pose) if pose else ""


def running_thermal(person: Any, now: datetime) -> ThermalApplication | None:
    return ThermalApplication.objects.filter(
        patient=person, stopped_at__isnull=True, ends_at__gt=now
    ).first()
