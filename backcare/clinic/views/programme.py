"""A physiotherapist customises a programme and records questionnaires, from the record page.

Each form posts here; a refused change or answer comes back on the record page with one line per
problem naming the field (HTTP 400), and nothing is saved.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST
from pydantic import ValidationError

from backcare.care.access import access_patient
from backcare.care.actions import do_change_programme, do_record_questionnaire
from backcare.care.models import Plan
from backcare.care.queries import plan_state, plan_today
from backcare.clinic.guards import staff_required
from backcare.clinic.views.record import record_context
from backcare.domain import catalogue
from backcare.domain.catalogue import Dose
from backcare.domain.changes import Change, ClinicianChange
from backcare.domain.questionnaires import (
    NotScorable,
    OdiSections,
    PsfsAnswers,
    odi_change,
    psfs_change,
    score_odi,
    score_psfs,
)
from backcare.domain.validation import InputError, describe_errors, parse_obj
from backcare.lib.timezones import local_today

DOSE_NUMBERS = ("sets", "reps", "hold_seconds", "duration_minutes")
ODI_SECTIONS = tuple(OdiSections.model_fields)


def _refused(request: HttpRequest, patient: Any, problems: list[str], form: str) -> HttpResponse:
    context = record_context(patient, now=timezone.now(), problems=problems, problem_form=form)
    return render(request, "clinic/patient_record.html", context, status=400)


def _int(raw: str, name: str, problems: list[str]) -> int | None:
    raw = raw.strip()
    if not raw:
        return None
    if raw.isascii() and raw.isdigit() and len(raw) <= 4:
        return int(raw)
    problems.append(f"{name}: must be a whole number")
    return None


def _dose(exercise: str, current: Dose | None, post: Any, problems: list[str]) -> Dose | None:
    """The dose the form asks for: the exercise's current (or usual) dose, with the numbers the
    physiotherapist typed in place of its own."""
    if not any(post.get(n, "").strip() for n in DOSE_NUMBERS):
        return None
    base = current or catalogue.exercises()[exercise].dose
    update = {n: v for n in DOSE_NUMBERS if (v := _int(post.get(n, ""), n, problems)) is not None}
    try:
        return Dose.model_validate({**base.model_dump(), **update})
    except ValidationError as exc:
        problems += describe_errors(Dose, exc)
        return None


@require_POST
@staff_required(clinical=True)
def change_programme(request: HttpRequest, patient_id: int) -> HttpResponse:
    now = timezone.now()
    patient = access_patient(request.user, patient_id, write=True)
    plan = Plan.objects.filter(patient=patient, is_active=True).first()
    post = request.POST
    problems: list[str] = []
    try:
        kind = Change(post.get("kind", ""))
    except ValueError:
        return _refused(
            request,
            patient,
            [f"kind: must be one of {', '.join(c.value for c in Change)}"],
            "programme",
        )
    exercise = post.get("exercise", "*").strip() or "*"
    if kind not in (Change.LOCK, Change.UNLOCK) and exercise == "*":
        problems.append("exercise: choose an exercise")
    to = post.get("to", "").strip() or None
    note = post.get("note", "").strip()
    if len(note) > 500:
        problems.append("note: must be at most 500 characters")
    current = None
    if plan is not None:
        found = [p.dose for p in plan_state(plan).prescriptions if p.exercise == exercise]
        current = found[0] if found else None
    target = to if kind is Change.SWAP else exercise
    dose = None
    if (
        target
        and target in catalogue.exercises()
        and kind in (Change.ADD, Change.SWAP, Change.DOSE)
    ):
        dose = _dose(target, current if kind is Change.DOSE else None, post, problems)
    if problems:
        return _refused(request, patient, problems, "programme")
    today = plan_today(plan, patient, now) if plan is not None else local_today(patient, now)
    change = ClinicianChange(on=today, kind=kind, exercise=exercise, to=to, dose=dose, note=note)
    _, problems = do_change_programme(request.user, patient, change, today=today, now=now)  # type: ignore[arg-type]
    if problems:
        return _refused(request, patient, problems, "programme")
    messages.success(request, "The programme is changed. The patient sees it on Today now.")
    return redirect("clinic_patient", patient_id=patient.pk)


@require_POST
@staff_required(clinical=True)
def record_questionnaire(request: HttpRequest, patient_id: int) -> HttpResponse:
    now = timezone.now()
    patient = access_patient(request.user, patient_id, write=True)
    kind = request.POST.get("kind", "")
    problems: list[str] = []
    if kind not in ("odi", "psfs", "nprs"):
        return _refused(request, patient, ["kind: must be one of odi, psfs, nprs"], "questionnaire")
    try:
        answers, score = _score(kind, request.POST, patient, problems)
    except InputError as exc:
        problems += exc.problems
    if problems:
        return _refused(request, patient, problems, "questionnaire")
    do_record_questionnaire(
        request.user,
        patient,
        kind,
        answers,
        score,
        taken_on=local_today(patient, now),
        now=now,  # type: ignore[arg-type]
    )
    messages.success(request, "Saved on the record.")
    return redirect("clinic_patient", patient_id=patient.pk)


def _score(
    kind: str, post: Any, patient: Any, problems: list[str]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Answers and score, by the domain's own scoring (ODI from section scores only)."""
    from backcare.care.models import QuestionnaireResponse

    earlier = (
        QuestionnaireResponse.objects.filter(patient=patient, kind=kind)
        .order_by("taken_on")
        .first()
    )
    if kind == "odi":
        raw = {s: _int(post.get(s, ""), s, problems) for s in ODI_SECTIONS}
        sections = parse_obj(OdiSections, raw)
        try:
            result = score_odi(sections)
        except NotScorable as exc:
            raise InputError([str(exc)]) from None
        score: dict[str, Any] = {"percent": result.percent, "band": result.band.value,
                                 "answered": result.answered}  # fmt: skip
        if earlier is not None:
            change = odi_change(earlier.score["percent"], result.percent)
            score["meaningful_change"] = change.meaningful
        return sections.model_dump(), score
    if kind == "psfs":
        names = post.getlist("activity")
        ratings = post.getlist("rating")
        rows = [
            {"name": n.strip(), "rating": _int(r, f"rating {i + 1}", problems)}
            for i, (n, r) in enumerate(zip(names, ratings, strict=False))
            if n.strip() or r.strip()
        ]
        answers = parse_obj(PsfsAnswers, {"activities": rows})
        mean = score_psfs(answers)
        score = {"mean": mean}
        if earlier is not None:
            score["meaningful_change"] = psfs_change(earlier.score["mean"], mean).meaningful
        return answers.model_dump(), score
    if kind == "nprs":
        value = _int(post.get("score", ""), "score", problems)
        if value is None or not 0 <= value <= 10:
            raise InputError(["score: must be a whole number from 0 to 10"])
        return {"score": value}, {"score": value}
    raise InputError(["kind: must be one of odi, psfs, nprs"])
