"""Today: the day as a short checklist first, then each exercise one tap away."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from backcare.care.access import access_active_plan, me
from backcare.care.actions import recent_applications
from backcare.care.models import CheckIn, ProgrammeChange
from backcare.care.queries import (
    day_number,
    exercise_today,
    latest_result,
    plan_recheck,
    plan_state,
    plan_today,
)
from backcare.domain import catalogue, content
from backcare.domain.episode import recheck_words
from backcare.domain.firstaid import Application, first_aid_for, may_apply
from backcare.domain.triage import Level
from backcare.lib.timezones import local_now


@login_required
@require_GET
def today(request: HttpRequest) -> HttpResponse:
    try:
        patient = me(request)
        plan = access_active_plan(patient)
    except Http404:
        messages.info(request, "Take the check first: your plan comes from your answers.")
        return redirect("check_start")
    now = timezone.now()
    day = plan_today(plan, patient, now)
    local = local_now(patient, now)
    state = plan_state(plan)
    level = Level(plan.level)
    latest = latest_result(plan)
    stopped = bool(latest and latest.get("status") == "stop")
    exercising = level.allows_exercise and not stopped
    days_in = (day - plan.created_on).days
    aid = first_aid_for(state.assessment, days_in, level.value)
    applied = recent_applications(patient, now)
    earlier = [Application(a.kind, a.started_at, a.ended_at) for a in applied]  # type: ignore[arg-type]
    running = next((a for a in applied if a.stopped_at is None and a.ends_at > now), None)
    thermal = (
        [
            (t, content.cite(t.content.sources), may_apply(t.kind, now=local, earlier=earlier))
            for t in aid.thermal
        ]
        if aid
        else []
    )
    recheck = plan_recheck(plan, day)
    context: dict[str, Any] = {
        "plan": plan,
        "state": state,
        "level": level,
        "triage": plan.assessment.triage,
        "phase": catalogue.phases()[state.phase] if state.phase and exercising else None,
        "first_aid": aid,
        "thermal": thermal,
        "next_thermal": _next_thermal(thermal),
        "running": running,
        "exercises": [exercise_today(p, state) for p in state.prescriptions] if exercising else [],
        "physio_change": ProgrammeChange.objects.filter(plan=plan).order_by("-created_at").first(),
        "checked_in_today": CheckIn.objects.filter(patient=patient, date=day).exists(),
        "latest": latest,
        "stopped": stopped,
        "recheck": recheck,
        "recheck_words": recheck_words(recheck),
        "day": day,
        "day_number": day_number(plan, day),
    }
    return render(request, "care/today.html", context)


def _next_thermal(thermal: list[tuple[Any, str, Any]]) -> tuple[Any, Any] | None:
    """The first of ice or heat that may start now, else the one that may start soonest."""
    if not thermal:
        return None
    ready = [(t, check) for t, _, check in thermal if check.allowed]
    if ready:
        return ready[0]
    waiting = [(t, check) for t, _, check in thermal if check.next_allowed_at is not None]
    return min(waiting, key=lambda pair: pair[1].next_allowed_at) if waiting else None
