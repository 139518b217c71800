"""The patient's own care: `/api/v1/me/...`, for the login's own patient record only.

`me()` finds the caller's own record (staff have none: a 404, as for the pages); every write is
a `do_*` action, as the pages call it.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime
from typing import Any

from django.core.cache import caches
from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from ninja import Header, Path, Query, Router, Status
from pydantic import Field

from backcare.api import booking, idempotency, openapi, shapes
from backcare.api.body import json_body
from backcare.api.problems import Problem
from backcare.api.responses import ERRORS, MAX_ID
from backcare.api.schemas import (
    AppointmentOut,
    CheckInOut,
    CheckInResultOut,
    CheckOut,
    MessageOut,
    PlanOut,
    ProgressOut,
    SentMessageOut,
    SlotOut,
    Strict,
    TodayOut,
)
from backcare.care.access import access_active_plan, access_check_in, me
from backcare.care.actions import do_check_in
from backcare.care.models import AssessmentRecord, CheckIn, Patient, ProgrammeChange
from backcare.care.progress_data import episode_checks, episode_data
from backcare.care.queries import (
    day_number,
    exercise_today,
    latest_result,
    plan_recheck,
    plan_state,
    plan_today,
    today_version,
)
from backcare.clinic.booking_actions import do_cancel, do_move
from backcare.clinic.booking_queries import appointments_for
from backcare.clinic.messages import check_body, do_send_message, mark_read, thread
from backcare.clinic.models.messages import BODY_MAX
from backcare.domain.checkin import CheckIn as CheckInValue
from backcare.domain.triage import Level
from backcare.domain.validation import parse_obj
from backcare.lib.timezones import local_today

router = Router(tags=["me"])


@router.get("/triage", response={200: list[CheckOut], **ERRORS}, summary="My checks")
def my_triage(request: HttpRequest) -> list[dict[str, object]]:
    """Every check the person has taken, newest first, with the level and reasons as shown."""
    patient = me(request)
    rows = AssessmentRecord.objects.filter(patient=patient).order_by("-created_at", "-pk")
    return [shapes.check(r) for r in rows]


@router.get("/plan", response={200: PlanOut, **ERRORS}, summary="My plan")
def my_plan(request: HttpRequest) -> dict[str, object]:
    patient = me(request)
    plan = access_active_plan(patient)
    day = plan_today(plan, patient, timezone.now())
    state = plan_state(plan)
    return {
        "id": plan.pk,
        "level": plan.level,
        "phase": state.phase,
        "created_on": plan.created_on,
        "day": day,
        "day_number": day_number(plan, day),
        "recheck_due_on": plan_recheck(plan, day).due_on,
        "exercises": [shapes.exercise(exercise_today(p, state), p) for p in state.prescriptions],
        "plan_version": plan.plan_version,
    }


@router.get("/today", response={200: TodayOut, **ERRORS}, summary="Today")
def my_today(request: HttpRequest) -> HttpResponse:
    """The day's checklist: whether to exercise, which exercises at which dose, whether the
    person has checked in, and the latest change their physiotherapist made.

    Kept, as the JSON sent, under the version of what it is made from and the person's date
    (today_version): a repeated read costs one statement, rather than the plan's state and
    five more reads, and the checklist is checked against its schema once, when it is made.
    """
    patient = me(request)
    now = timezone.now()
    version = today_version(patient)
    if version is None:
        raise Http404("no plan")
    made_of = f"{patient.pk}:{local_today(patient, now).isoformat()}:{version!r}"
    key = hashlib.blake2b(made_of.encode(), digest_size=20).hexdigest()
    body = caches["today"].get(key)
    if body is None:
        shown = TodayOut.model_validate(_today(patient, now)).model_dump(mode="json")
        body = json.dumps(shown, separators=(",", ":")).encode()
        caches["today"].set(key, body)
    return HttpResponse(body, content_type="application/json; charset=utf-8")


def _today(patient: Patient, now: datetime) -> dict[str, object]:
    plan = access_active_plan(patient)
    day = plan_today(plan, patient, now)
    state = plan_state(plan)
    latest = latest_result(plan)
    stopped = bool(latest and latest.get("status") == "stop")
    exercising = Level(plan.level).allows_exercise and not stopped
    change = ProgrammeChange.objects.filter(plan=plan).order_by("-created_at").first()
    return {
        "day": day,
        "day_number": day_number(plan, day),
        "level": plan.level,
        "phase": state.phase if exercising else None,
        "exercising": exercising,
        "stopped": stopped,
        "checked_in_today": CheckIn.objects.filter(patient=patient, date=day).exists(),
        "exercises": [shapes.exercise(exercise_today(p, state), p) for p in state.prescriptions]
        if exercising
        else [],
        "latest_result": latest,
        "physio_change": None
        if change is None
        else {
            "kind": change.kind,
            "exercise": change.exercise,
            "note": change.note,
            "on": change.on,
            "by": change.actor_name,
        },
    }


@router.get("/check-ins", response={200: list[CheckInOut], **ERRORS}, summary="My check-ins")
def my_check_ins(
    request: HttpRequest, since: date | None = None, limit: int = Query(100, ge=1, le=1000)
) -> list[dict[str, object]]:
    """Newest first; `since` (a date) and `limit` narrow it."""
    rows = CheckIn.objects.filter(patient=me(request)).order_by("-date")
    if since is not None:
        rows = rows.filter(date__gte=since)
    return [shapes.check_in(c) for c in rows[:limit]]


@router.get(
    "/check-ins/{check_in_id}", response={200: CheckInResultOut, **ERRORS}, summary="A check-in"
)
def my_check_in(
    request: HttpRequest, check_in_id: int = Path(..., ge=1, le=MAX_ID)
) -> dict[str, object]:
    record = access_check_in(me(request), check_in_id)
    step = record.steps.order_by("-created_at", "-pk").first()
    return {"check_in": shapes.check_in(record), "result": step.result if step else None}


@router.post(
    "/check-ins",
    response={201: CheckInResultOut, **ERRORS},
    openapi_extra=openapi.body(CheckInValue, name="CheckInBody", without=("date",)),
    summary="Check in for today",
)
def create_check_in(
    request: HttpRequest,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key", max_length=255),
) -> Status[Any]:
    """Today's check-in (a second one today replaces the first), then the programme's
    response to it. With an `Idempotency-Key` header, sending the same body again with the
    same key returns the first answer; the same key with another body is a 422."""
    body = json_body(request)
    if isinstance(body, dict) and "date" in body:
        raise Problem(
            422,
            "date: is today, in your own time zone; it is not sent",
            errors=[{"field": "date", "message": "not allowed: the check-in is for today"}],
        )
    patient = me(request)
    plan = access_active_plan(patient)
    if idempotency_key is not None:
        earlier = idempotency.earlier(request.user, "check-in", idempotency_key, body)
        if earlier is not None:
            return Status(*earlier)
    now = timezone.now()
    day = plan_today(plan, patient, now)
    payload = {**body, "date": day.isoformat()} if isinstance(body, dict) else body
    value = parse_obj(CheckInValue, payload)
    try:
        with transaction.atomic():
            record, step, _ = do_check_in(request.user, patient, value, now=now, plan=plan)  # type: ignore[arg-type]
            answer = {"check_in": shapes.check_in(record), "result": step.result}
            if idempotency_key is not None:
                idempotency.remember(
                    request.user, "check-in", idempotency_key, body, 201, answer, now=now
                )
    except IntegrityError:
        # The same key raced in from another request at this moment: that one's answer stands.
        again = idempotency.earlier(request.user, "check-in", idempotency_key or "", body)
        if again is None:
            raise
        return Status(*again)
    return Status(201, answer)


@router.get("/progress", response={200: ProgressOut, **ERRORS}, summary="My progress")
def my_progress(request: HttpRequest) -> dict[str, object]:
    """The numbers behind the Progress page: each checked-in day's pain and spasms since the
    episode began (from the weekly summaries), exercise days per week, and the STarT Back score
    at each check."""
    patient = me(request)
    plan = access_active_plan(patient)
    today = plan_today(plan, patient, timezone.now())
    data = episode_data(plan, today)
    spasms = dict(zip(*data.daily("spasms"), strict=True))
    checks = [c for c in episode_checks(patient, plan) if c.startback]
    trend = latest_result(plan) or {}
    return {
        "episode_started_on": data.start,
        "today": today,
        "day_number": day_number(plan, today),
        "baseline_pain": data.baseline_pain,
        "baseline_spasms": data.baseline_episodes,
        "days": [
            {"date": d, "pain_now": p, "spasm_episodes": spasms.get(d, 0)}
            for d, p in zip(*data.daily("pains"), strict=True)
        ],
        "exercise_days_per_week": data.exercise_days,
        "startback": [
            {"on": c.on, "total": int(c.startback["total"]), "risk": str(c.startback["risk"])}
            for c in checks
            if c.startback
        ],
        "summary": (
            list((trend.get("trend") or {}).get("summary") or []) if data.has_check_ins else []
        ),
    }


class MessageIn(Strict):
    body: str = Field(min_length=1, max_length=BODY_MAX)


@router.get("/messages", response={200: list[MessageOut], **ERRORS}, summary="My messages")
def my_messages(request: HttpRequest) -> list[dict[str, object]]:
    """The thread with the clinic, oldest first (reading it marks the clinic's as read)."""
    patient = me(request)
    _has_clinic(patient)
    rows = thread(patient)
    mark_read(patient, by_clinic=False, now=timezone.now())
    return [shapes.message(m) for m in rows]


@router.post("/messages", response={201: SentMessageOut, **ERRORS}, summary="Write to my clinic")
def send_message(request: HttpRequest, payload: MessageIn) -> Status[Any]:
    patient = me(request)
    _has_clinic(patient)
    body, problems = check_body(payload.body)
    if problems:
        raise Problem(422, "; ".join(problems), errors=[{"field": "body", "message": problems[0]}])
    link = request.build_absolute_uri(reverse("clinic_messages", args=[patient.pk]))
    sent = do_send_message(
        request.user, patient, body, from_clinic=False, now=timezone.now(), link=link
    )
    from backcare.domain.triage import questions

    noticed = [questions()[s].noticed for s in sent.mentions if s in questions()]
    return Status(201, {"message": shapes.message(sent), "mentioned_warning_signs": noticed})


def _has_clinic(patient: object) -> None:
    if getattr(patient, "clinic_id", None) is None:
        raise Problem(404, "You have no clinic to write to yet.")


@router.get(
    "/appointments", response={200: list[AppointmentOut], **ERRORS}, summary="My appointments"
)
def my_appointments(request: HttpRequest) -> list[dict[str, object]]:
    now = timezone.now()
    return [shapes.appointment(a, now) for a in appointments_for(me(request))]


@router.get("/availability", response={200: list[SlotOut], **ERRORS}, summary="Free times to book")
def my_availability(
    request: HttpRequest,
    location: int = Query(..., ge=1, le=MAX_ID),
    appointment_type: int = Query(..., ge=1, le=MAX_ID),
    first_day: date | None = None,
    days: int = Query(7, ge=1, le=14),
    practitioner: int | None = Query(None, ge=1, le=MAX_ID),
) -> list[dict[str, object]]:
    """Free slots at any location (as the public booking pages show them)."""
    me(request)
    place, kind = booking.place_and_kind(location, appointment_type)
    return booking.slots(
        place, kind, first=first_day, days=days, practitioner=practitioner, now=timezone.now()
    )


@router.post(
    "/appointments", response={201: AppointmentOut, **ERRORS}, summary="Book an appointment"
)
def book(request: HttpRequest, payload: booking.BookIn) -> Status[Any]:
    """Book a free slot (see /me/availability). A time taken a moment ago is a 409 with the
    next free slots."""
    return Status(201, booking.book(request.user, me(request), payload, now=timezone.now()))


def _mine(request: HttpRequest, appointment_id: int) -> object:
    found = booking.with_relations(appointment_id, patient=me(request))
    if found is None:
        raise Problem(404, "Not found (or not yours to see).")
    return found


@router.post(
    "/appointments/{appointment_id}/move",
    response={200: AppointmentOut, **ERRORS},
    summary="Move my appointment",
)
def move(
    request: HttpRequest,
    payload: booking.MoveIn,
    appointment_id: int = Path(..., ge=1, le=MAX_ID),
) -> dict[str, object]:
    a = _mine(request, appointment_id)
    now = timezone.now()
    do_move(request.user, a, start=payload.start, now=now, by_patient=True)
    return shapes.appointment(_mine(request, appointment_id), now)  # type: ignore[arg-type]


@router.post(
    "/appointments/{appointment_id}/cancel",
    response={200: AppointmentOut, **ERRORS},
    summary="Cancel my appointment",
)
def cancel(
    request: HttpRequest, appointment_id: int = Path(..., ge=1, le=MAX_ID)
) -> dict[str, object]:
    a = _mine(request, appointment_id)
    now = timezone.now()
    do_cancel(request.user, a, now=now, by_patient=True)
    return shapes.appointment(_mine(request, appointment_id), now)  # type: ignore[arg-type]
