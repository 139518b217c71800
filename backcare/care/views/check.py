"""The check (no account needed) and its result.

Answers live in the session under `check_answers`, one JSON slice of the Assessment per step, so
Back and Continue keep them. Nothing is stored until the last step validates the whole Assessment.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods
from pydantic import ValidationError

from backcare.care.access import access_assessment, patient_for
from backcare.care.actions import (
    check_use,
    do_claim_assessment,
    do_save_assessment,
    do_use_check,
    record_baseline,
)
from backcare.care.forms_check import STEPS, CheckStep, StartBackForm
from backcare.care.models import LEVELS, AssessmentRecord
from backcare.domain.assessment import Assessment
from backcare.domain.episode import Use
from backcare.domain.plan import Plan, plan
from backcare.domain.questionnaires import STARTBACK_ATTRIBUTION
from backcare.domain.serialize_plan import first_aid_json, plan_json
from backcare.domain.triage import triage
from backcare.domain.validation import InputError, parse_obj
from backcare.lib.timezones import local_today, zone

ANSWERS_KEY = "check_answers"
IDS_KEY = "assessment_ids"
KEEP_IDS = 20
STEP_BY_SLUG = {step.slug: step for step in STEPS}
EXERCISE_LEVELS = ("see_doctor", "self_care")


@require_GET
def check_start(request: HttpRequest) -> HttpResponse:
    if request.GET.get("restart"):
        request.session.pop(ANSWERS_KEY, None)
    return redirect("check_step", step=STEPS[0].slug)


@require_http_methods(["GET", "POST"])
def check_step(request: HttpRequest, step: str) -> HttpResponse:
    form_class = STEP_BY_SLUG.get(step)
    if form_class is None:
        raise Http404("no such step")
    answers = _saved_answers(request)
    reachable = _first_incomplete(answers)
    if STEPS.index(form_class) > reachable:
        if not answers:
            return redirect("check_start")
        return redirect("check_step", step=STEPS[reachable].slug)
    earlier = _merged({k: v for k, v in answers.items() if k != step})
    if request.method == "GET":
        initial = form_class.initial_from(answers.get(step, {}))
        return _render_step(request, form_class(initial=initial, earlier=earlier), answers)
    if form_class is StartBackForm and request.POST.get("skip"):
        return _next(request, form_class, {**answers, step: dict(StartBackForm.SKIPPED)})
    form = form_class(request.POST, earlier=earlier)
    if not form.is_valid():
        return _render_step(request, form, answers)
    return _next(request, form_class, {**answers, step: form.fragment()})


@require_http_methods(["GET", "POST"])
def result(request: HttpRequest, assessment_id: int) -> HttpResponse:
    record = access_assessment(request.user, assessment_id, session_ids=_session_ids(request))
    if request.method == "POST":
        return _use_as_plan(request, record)
    return render(request, "care/result.html", _result_context(request, record))


def _saved_answers(request: HttpRequest) -> dict[str, dict[str, Any]]:
    raw = request.session.get(ANSWERS_KEY)
    if not isinstance(raw, dict):
        return {}
    return {
        slug: part for slug, part in raw.items() if slug in STEP_BY_SLUG and isinstance(part, dict)
    }


def _first_incomplete(answers: dict[str, dict[str, Any]]) -> int:
    """The index of the first step not yet answered (len(STEPS) when all are)."""
    for index, step in enumerate(STEPS):
        if step.slug not in answers:
            return index
    return len(STEPS)


def _session_ids(request: HttpRequest) -> list[int]:
    raw = request.session.get(IDS_KEY, [])
    return [i for i in raw if isinstance(i, int)] if isinstance(raw, list) else []


def _next(
    request: HttpRequest, form_class: type[CheckStep], answers: dict[str, dict[str, Any]]
) -> HttpResponse:
    request.session[ANSWERS_KEY] = answers
    index = STEPS.index(form_class)
    if index + 1 == len(STEPS) or _needs_a_doctor_first(answers):
        return _finish(request, answers)
    return redirect("check_step", step=STEPS[index + 1].slug)


def _merged(answers: dict[str, dict[str, Any]]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for step in STEPS:
        data.update(answers.get(step.slug, {}))
    return data


def _needs_a_doctor_first(answers: dict[str, dict[str, Any]]) -> bool:
    """Once the warning signs call for emergency or urgent care, the optional steps (which only
    shape exercises and causes) cannot change the advice, so it is shown without delay."""
    try:
        assessment = parse_obj(Assessment, _merged(answers))
    except InputError:
        return False
    return not triage(assessment).level.allows_exercise


def _finish(request: HttpRequest, answers: dict[str, dict[str, Any]]) -> HttpResponse:
    try:
        assessment = parse_obj(Assessment, _merged(answers))
    except InputError as exc:
        last = STEPS[-1]
        form = last(initial=last.initial_from(answers.get(last.slug, {})), earlier=_merged(answers))
        return _render_step(request, form, answers, problems=exc.problems)
    now = timezone.now()
    patient = patient_for(request, now=now)
    actor = request.user if request.user.is_authenticated else None
    record = do_save_assessment(actor, patient, assessment, now=now)
    if patient is not None and record.level not in EXERCISE_LEVELS:
        # Warning signs win at once: a person in a plan who now needs a doctor must not find
        # yesterday's exercises on Today while they decide what to do.
        do_use_check(request.user, patient, record, today=local_today(patient, now), now=now)
    request.session[IDS_KEY] = [*_session_ids(request), record.pk][-KEEP_IDS:]
    request.session.pop(ANSWERS_KEY, None)
    return redirect("result", assessment_id=record.pk)


def _render_step(
    request: HttpRequest,
    form: CheckStep,
    answers: dict[str, dict[str, Any]],
    *,
    problems: list[str] | None = None,
) -> HttpResponse:
    index = STEPS.index(type(form))
    reachable = _first_incomplete(answers)
    steps = [
        {
            "slug": step.slug,
            "name": step.short,
            "current": i == index,
            "link": i != index and i <= reachable,
        }
        for i, step in enumerate(STEPS)
    ]
    back = reverse("check_step", args=[STEPS[index - 1].slug]) if index else reverse("home")
    context = {
        "form": form,
        "steps": steps,
        "number": index + 1,
        "total": len(STEPS),
        "back_url": back,
        "last": index == len(STEPS) - 1,
        "error_links": _error_links(form),
        "problems": problems or [],
        "is_startback": isinstance(form, StartBackForm),
        "startback_attribution": STARTBACK_ATTRIBUTION,
    }
    return render(request, "care/check_step.html", context)


def _error_links(form: CheckStep) -> list[dict[str, str]]:
    """One line per field error for the summary, linking to the field (a group's first option)."""
    links = []
    for _heading, fields in form.grouped():
        for field in fields:
            grouped = field.widget_type in ("radioselect", "checkboxselectmultiple")
            anchor = f"{field.auto_id}_0" if grouped else field.auto_id
            links += [{"anchor": anchor, "label": field.label, "error": e} for e in field.errors]
    return links


def _result_context(request: HttpRequest, record: AssessmentRecord) -> dict[str, Any]:
    triage = record.triage
    level = triage.get("level")
    patient = getattr(request, "patient", None)
    is_owner = patient is not None and record.patient_id in (None, patient.pk)
    can_plan = is_owner and level in EXERCISE_LEVELS
    return {
        "record": record,
        "triage": triage,
        "level": level,
        "level_label": dict(LEVELS).get(level, level),
        "preview": _preview(request, record) if level in EXERCISE_LEVELS else None,
        "comfort": _comfort(request, record) if level == "urgent" else None,
        "startback_skipped": bool(triage.get("startback_skipped")),
        "until_appointment": level == "see_doctor",
        "can_plan": can_plan,
        "stopped_plan": is_owner
        and level not in EXERCISE_LEVELS
        and record.plan_set.filter(is_active=True).exists(),
        "use": check_use(patient, record, today=_today(request)).value if can_plan else "",
        "startback_attribution": STARTBACK_ATTRIBUTION,
    }


def _current_plan(request: HttpRequest, record: AssessmentRecord) -> Plan | None:
    """The plan these answers give today, while it agrees with the stored level (answers saved
    under an older policy may no longer be valid, or may triage differently now)."""
    try:
        assessment = Assessment.model_validate_json(json.dumps(record.answers))
    except ValidationError:
        return None
    made = plan(assessment, today=_today(request), baseline=record_baseline(record))
    return made if made.triage.level.value == record.triage.get("level") else None


def _preview(request: HttpRequest, record: AssessmentRecord) -> dict[str, Any] | None:
    made = _current_plan(request, record)
    if made is None or made.first_aid is None:
        return None
    return plan_json(made)


def _comfort(request: HttpRequest, record: AssessmentRecord) -> dict[str, Any] | None:
    """Positions and ice or heat while the person waits to be seen urgently; no exercises."""
    made = _current_plan(request, record)
    if made is None or made.first_aid is None:
        return None
    return first_aid_json(made.first_aid)


def _today(request: HttpRequest) -> date:
    """The person's date; before sign-up, the deployment's own zone's."""
    now = timezone.now()
    patient = getattr(request, "patient", None)
    if patient is not None:
        return local_today(patient, now)
    return now.astimezone(zone(settings.BACKCARE_DEFAULT_TIMEZONE)).date()


def _use_as_plan(request: HttpRequest, record: AssessmentRecord) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect("signup")
    patient = patient_for(request, now=timezone.now())
    if record.level not in EXERCISE_LEVELS or patient is None:
        return redirect("result", assessment_id=record.pk)
    if record.patient_id not in (None, patient.pk):
        raise Http404("no assessment")  # staff read a patient's result; only the patient uses it
    if _current_plan(request, record) is None:
        messages.info(request, "The check has changed since these answers: please take it again.")
        return redirect("result", assessment_id=record.pk)
    now = timezone.now()
    today = local_today(patient, now)
    if record.patient_id is None:
        do_claim_assessment(request.user, patient, record, now=now)
    use = check_use(patient, record, today=today)
    do_use_check(request.user, patient, record, today=today, now=now)
    messages.success(request, USE_MESSAGES[use])
    return redirect("today")


USE_MESSAGES = {
    Use.CONTINUE: "Your plan carries on: your progress, phase and doses are kept.",
    Use.REPLACE: "Your new plan starts today. Progress still shows your whole episode.",
    Use.NEW_EPISODE: "This result is now your plan.",
}
