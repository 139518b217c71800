"""A patient's record, for their clinic's staff.

A physiotherapist sees everything: triage history with its reasons, the plan and every change
with its reason, check-ins and charts, questionnaires over time, and the other features' parts
(treatment notes, messages, appointments). A receptionist sees who the patient is and how to
reach them. Every clinical look is audited (care.access.access_patient with `now`).
"""

from __future__ import annotations

from typing import Any

from csp.decorators import csp_update
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from backcare.care.access import access_patient
from backcare.care.actions import plan_changes
from backcare.care.models import (
    AssessmentRecord,
    CheckIn,
    Plan,
    ProgrammeChange,
    ProgressionStep,
    QuestionnaireResponse,
)
from backcare.care.queries import day_number, exercise_today, plan_recheck, plan_state, plan_today
from backcare.care.views.progress import CHARTS, progress_context, wants_every_week
from backcare.clinic.booking_queries import appointments_for
from backcare.clinic.guards import staff_required
from backcare.clinic.messages import latest_messages
from backcare.clinic.notes import notes_for
from backcare.domain import catalogue
from backcare.domain.changes import Change
from backcare.domain.episode import recheck_words
from backcare.domain.questionnaires import OdiSections
from backcare.domain.triage import Level
from backcare.lib.timezones import local_now


@require_GET
@never_cache
@staff_required
def patient_record(request: HttpRequest, patient_id: int) -> HttpResponse:
    staff = request.staff  # type: ignore[attr-defined]
    if not staff.clinical:
        patient = access_patient(request.user, patient_id, clinical=False)
        context = {"patient": patient, "appointments": appointments_for(patient)}
        return render(request, "clinic/patient_contact.html", context)
    now = timezone.now()
    patient = access_patient(request.user, patient_id, now=now)
    context = record_context(patient, now=now, every_week=wants_every_week(request))
    return render(request, "clinic/patient_record.html", context)


def record_context(
    patient: Any, *, now: Any, every_week: bool = False, **extra: Any
) -> dict[str, Any]:
    """Everything the record page shows (the caller has passed the guard); `every_week` gives
    the Progress tables every week's row rather than the latest weeks'."""
    plan = Plan.objects.filter(patient=patient, is_active=True).select_related("assessment").first()
    context: dict[str, Any] = {
        "patient": patient,
        "plan": plan,
        "checks": _checks(patient),
        "questionnaires": _questionnaires(patient),
        "catalogue": sorted(catalogue.exercises().values(), key=lambda e: e.name),
        "change_kinds": [k.value for k in Change],
        "odi_sections": [(s, s.replace("_", " ").capitalize()) for s in OdiSections.model_fields],
        "psfs_rows": range(1, 6),
        "notes": notes_for(patient),
        "messages_latest": latest_messages(patient),
        "appointments": appointments_for(patient),
        "now": now,
        **extra,
    }
    if plan is not None:
        today = plan_today(plan, patient, now)
        state = plan_state(plan)
        recheck = plan_recheck(plan, today)

        def chart_url(slug: str) -> str:
            return reverse("clinic_patient_chart", args=[patient.pk, slug])

        context.update(
            {
                "today": today,
                "day_number": day_number(plan, today),
                "state": state,
                "level": Level(plan.level),
                "exercises": [exercise_today(p, state) for p in state.prescriptions],
                "locked": _locks(plan),
                "history": _history(plan),
                "check_ins": _check_ins(patient, plan),
                "recheck_words": recheck_words(recheck),
                "progress": progress_context(
                    patient, plan, today, chart_url=chart_url, every_week=every_week
                ),
                "local_now": local_now(patient, now),
            }
        )
    return context


def _checks(patient: Any) -> list[dict[str, Any]]:
    """Every check, newest first, with its level and reasons as they were shown."""
    rows = AssessmentRecord.objects.filter(patient=patient).order_by("-created_at")
    return [
        {
            "record": r,
            "title": r.triage.get("title", ""),
            "reasons": r.triage.get("reasons", []),
            "startback": r.triage.get("startback"),
            "startback_skipped": r.triage.get("startback_skipped", False),
        }
        for r in rows
    ]


def _questionnaires(patient: Any) -> list[QuestionnaireResponse]:
    return list(QuestionnaireResponse.objects.filter(patient=patient).order_by("-taken_on", "-pk"))


def _locks(plan: Plan) -> set[str]:
    locked: set[str] = set()
    for c in plan_changes(plan):
        if c.kind is Change.LOCK:
            locked.add(c.exercise)
        elif c.kind is Change.UNLOCK:
            locked.discard(c.exercise)
    return locked


def _history(plan: Plan) -> list[dict[str, Any]]:
    """The plan's story, newest first: every change the programme made after a check-in (with
    its reason) and every change a physiotherapist made (with their note)."""
    names = catalogue.exercises()
    events: list[dict[str, Any]] = []
    for step in ProgressionStep.objects.filter(plan=plan).select_related("check_in"):
        for d in step.result.get("decisions", []):
            if d.get("action") == "hold":
                continue
            events.append(
                {
                    "on": step.check_in.date,
                    "who": "Progression",
                    "what": names[d["exercise"]].name if d["exercise"] in names else "Programme",
                    "action": d.get("action"),
                    "code": d.get("code", ""),
                    "reason": d.get("reason", ""),
                }
            )
    for c in ProgrammeChange.objects.filter(plan=plan):
        target = names[c.exercise].name if c.exercise in names else "The whole programme"
        events.append(
            {
                "on": c.on,
                "who": c.actor_name,
                "what": target,
                "action": c.get_kind_display(),
                "code": c.kind,
                "reason": c.note,
            }
        )
    # One decision can repeat across steps that re-showed it; list each once.
    seen = set()
    unique = []
    for e in sorted(events, key=lambda e: e["on"], reverse=True):
        key = (e["on"], e["what"], e["action"], e["reason"])
        if key not in seen:
            seen.add(key)
            unique.append(e)
    return unique


def _check_ins(patient: Any, plan: Plan) -> list[CheckIn]:
    return list(
        CheckIn.objects.filter(patient=patient, date__gte=plan.episode_started_on).order_by("-date")
    )


@require_GET
@never_cache
@csp_update({"style-src": ["'unsafe-inline'"]})  # pygal's <style>; this response only
@staff_required(clinical=True)
def patient_chart(request: HttpRequest, patient_id: int, chart: str) -> HttpResponse:
    build = CHARTS.get(chart)
    if build is None:
        raise Http404("no such chart")
    patient = access_patient(request.user, patient_id)
    plan = Plan.objects.filter(patient=patient, is_active=True).first()
    if plan is None:
        raise Http404("no plan")
    svg = build(patient, plan, plan_today(plan, patient, timezone.now()))
    return HttpResponse(svg, content_type="image/svg+xml")
