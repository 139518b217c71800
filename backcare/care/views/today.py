from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from backcare.care.access import access_active_plan
from backcare.care.actions import recent_applications
from backcare.care.models import CheckIn, ProgressionStep
from backcare.care.queries import day_number, plan_today
from backcare.domain import catalogue, content
from backcare.domain.catalogue import Dose, Exercise
from backcare.domain.dosing import describe
from backcare.domain.figures.describe import describe as describe_figure
from backcare.domain.figures.poses import pose_sets
from backcare.domain.firstaid import Application, first_aid_for, may_apply
from backcare.domain.plan import REASSESS_AFTER_DAYS, PlanState, Prescription
from backcare.domain.stopping import stop_rules_for
from backcare.domain.triage import Level
from backcare.lib.timezones import local_now


@dataclass(frozen=True)
class ExerciseToday:
    exercise: Exercise
    dose: Dose
    dose_text: str
    why: str
    source: str
    figure_alt: str
    stop_rules: tuple[str, ...]


@login_required
@require_GET
def today(request: HttpRequest) -> HttpResponse:
    try:
        plan = access_active_plan(request.user)
    except Http404:
        messages.info(request, "Take the check first: your plan comes from your answers.")
        return redirect("check_start")
    now = timezone.now()
    day = plan_today(plan, request.user, now)
    local = local_now(request.user, now)
    state = PlanState.model_validate_json(json.dumps(plan.state))
    level = Level(plan.level)
    days_in = (day - plan.created_on).days
    aid = first_aid_for(state.assessment, days_in, level.value)
    applied = recent_applications(request.user, now)  # type: ignore[arg-type]
    earlier = [Application(a.kind, a.started_at, a.ended_at) for a in applied]  # type: ignore[arg-type]
    running = next((a for a in applied if a.stopped_at is None and a.ends_at > now), None)
    latest_step = (
        ProgressionStep.objects.filter(plan=plan).order_by("-created_at").only("result").first()
    )
    context: dict[str, Any] = {
        "plan": plan,
        "state": state,
        "level": level,
        "triage": plan.assessment.triage,
        "phase": catalogue.phases()[state.phase] if state.phase else None,
        "first_aid": aid,
        "thermal": [
            (t, content.cite(t.content.sources), may_apply(t.kind, now=local, earlier=earlier))
            for t in aid.thermal
        ]
        if aid
        else [],
        "running": running,
        "exercises": [_exercise(p, state) for p in state.prescriptions],
        "checked_in_today": CheckIn.objects.filter(user=request.user, date=day).exists(),
        "latest": latest_step.result if latest_step else None,
        "reassess": days_in >= REASSESS_AFTER_DAYS,
        "day": day,
        "day_number": day_number(plan, day),
    }
    return render(request, "care/today.html", context)


def _exercise(p: Prescription, state: PlanState) -> ExerciseToday:
    e = catalogue.exercises()[p.exercise]
    pose = pose_sets().get(p.exercise)
    alt = describe_figure(pose) if pose else ""
    rules = stop_rules_for(state, p.exercise)
    return ExerciseToday(e, p.dose, describe(p.dose), p.why, content.cite(e.sources), alt, rules)
