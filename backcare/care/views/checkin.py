from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from backcare.care.access import access_active_plan_to_check_in, access_check_in, me
from backcare.care.actions import do_check_in
from backcare.care.forms_checkin import NONE, CheckInForm
from backcare.care.models import CheckIn, Patient
from backcare.care.queries import latest_result, plan_today
from backcare.domain import catalogue
from backcare.domain.checkin import CheckIn as CheckInValue
from backcare.domain.validation import InputError, parse_obj
from backcare.lib.timezones import local_today


@login_required
@require_http_methods(["GET", "POST"])
def check_in(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    try:
        patient = me(request)
        # With where today's check-in carries on from: the day is the person's own date, unless
        # the plan is already ahead of it (plan_today), when the action reads it again.
        plan, resume = access_active_plan_to_check_in(patient, on=local_today(patient, now))
    except Http404:
        messages.info(request, "Take the check first: your check-ins follow your plan.")
        return redirect("check_start")
    day = plan_today(plan, patient, now)
    prescribed = [p["exercise"] for p in plan.state["prescriptions"]]
    # A GET shows today's earlier answers, if any; a POST brings its own.
    posted = request.method == "POST"
    existing = None if posted else CheckIn.objects.filter(patient=patient, date=day).first()
    form = CheckInForm(request.POST or None, prescribed=prescribed, initial=_initial(existing))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        value = _value(day.isoformat(), data)
        if isinstance(value, list):
            for problem in value:
                form.add_error(None, problem)
        else:
            record, _, _ = do_check_in(
                request.user,  # type: ignore[arg-type]
                patient,
                value,
                now=now,
                plan=plan,
                resume=resume,
            )
            return redirect("check_in_result", check_in_id=record.pk)
    latest = latest_result(plan)
    return render(
        request,
        "care/check_in.html",
        {
            "form": form,
            "day": day,
            "updating": existing is not None or _has_check_in(request, patient, day),
            "stopped": latest if latest and latest.get("status") == "stop" else None,
        },
    )


def _has_check_in(request: HttpRequest, patient: Patient, day: date) -> bool:
    return request.method == "POST" and CheckIn.objects.filter(patient=patient, date=day).exists()


def _value(day: str, data: dict[str, Any]) -> CheckInValue | list[str]:
    payload: dict[str, Any] = {
        "date": day,
        "pain_now": data["pain_now"],
        "spasm_episodes": data["spasm_episodes"],
        "exercises_done": [{"exercise": e, "sets": 1} for e in data["exercises_done"]],
        "new_warning_signs": data["new_warning_signs"],
    }
    for optional in ("pain_during_exercise", "pain_next_morning", "sleep"):
        if data.get(optional) is not None:
            payload[optional] = data[optional]
    try:
        return parse_obj(CheckInValue, payload)
    except InputError as exc:
        return exc.problems


def _initial(existing: CheckIn | None) -> dict[str, Any]:
    if existing is None:
        return {}
    return {
        "pain_now": existing.pain_now,
        "spasm_episodes": existing.spasm_episodes,
        "exercises_done": [e["exercise"] for e in existing.exercises_done],
        "pain_during_exercise": existing.pain_during_exercise,
        "pain_next_morning": existing.pain_next_morning,
        "sleep": existing.sleep,
        "new_warning_signs": existing.new_warning_signs or [NONE],
    }


@login_required
@require_GET
def check_in_result(request: HttpRequest, check_in_id: int) -> HttpResponse:
    record = access_check_in(me(request), check_in_id)
    step = record.steps.order_by("-created_at").first()
    if step is None:
        raise Http404("no result")
    result = step.result
    names = catalogue.exercises()
    decisions = [
        {**d, "name": names[d["exercise"]].name if d["exercise"] in names else "Your programme"}
        for d in result["decisions"]
    ]
    changed = [d for d in decisions if d["action"] != "hold"]
    return render(
        request,
        "care/check_in_result.html",
        {
            "check_in": record,
            "result": result,
            "changed": changed,
            "held": [d for d in decisions if d["action"] == "hold"],
        },
    )
