"""Writes that matter clinically. Each converts records to domain values, calls one pure function,
and saves the result plus an audit row in one transaction.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction

from backcare.accounts.models import User
from backcare.care.models import (
    AssessmentRecord,
    AuditEvent,
    CheckIn,
    Plan,
    ProgressionStep,
    ThermalApplication,
)
from backcare.domain.assessment import Assessment
from backcare.domain.checkin import CheckIn as CheckInValue
from backcare.domain.firstaid import Application, Kind, ThermalCheck, may_apply
from backcare.domain.plan import PLAN_VERSION, PlanState, plan
from backcare.domain.progress import Progression, progress
from backcare.domain.serialize import triage_json
from backcare.domain.serialize_plan import progression_json
from backcare.domain.triage import triage


def _audit(user: User | None, action: str, obj: Any, now: datetime, **details: Any) -> None:
    AuditEvent.objects.create(
        user=user,
        action=action,
        object_type=type(obj).__name__,
        object_id=obj.pk,
        details=details,
        at=now,
    )


@transaction.atomic
def do_save_assessment(
    user: User | None, answers: Assessment, *, now: datetime
) -> AssessmentRecord:
    result = triage(answers)
    record = AssessmentRecord.objects.create(
        user=user,
        answers=answers.model_dump(mode="json"),
        level=result.level.value,
        triage=triage_json(result),
        policy_version=result.policy_version,
        created_at=now,
    )
    _audit(user, "assessment.saved", record, now, level=record.level)
    return record


@transaction.atomic
def do_claim_assessment(user: User, record: AssessmentRecord, *, now: datetime) -> None:
    """A person who checked before signing up keeps that check as theirs."""
    AssessmentRecord.objects.filter(pk=record.pk, user__isnull=True).update(user=user)
    record.refresh_from_db()
    _audit(user, "assessment.claimed", record, now)


@transaction.atomic
def do_start_plan(user: User, record: AssessmentRecord, *, today: date, now: datetime) -> Plan:
    """A new plan from an assessment; the previous plan, if any, is kept but no longer active."""
    made = plan(Assessment.model_validate_json(_json(record.answers)), today=today)
    state = made.state.model_dump(mode="json")
    Plan.objects.filter(user=user, is_active=True).update(is_active=False, updated_at=now)
    new = Plan.objects.create(
        user=user,
        assessment=record,
        created_on=today,
        base_state=state,
        state=state,
        level=made.triage.level.value,
        phase=made.state.phase,
        plan_version=PLAN_VERSION,
        updated_at=now,
    )
    _audit(user, "plan.started", new, now, level=new.level, phase=new.phase)
    return new


def check_in_fields(value: CheckInValue) -> dict[str, Any]:
    data = value.model_dump(mode="json")
    data.pop("date")
    return data


@transaction.atomic
def do_check_in(
    user: User, value: CheckInValue, *, now: datetime
) -> tuple[CheckIn, ProgressionStep, Progression]:
    """Record the day's check-in (a second one for the same day updates it) and run progression."""
    active = Plan.objects.select_for_update().get(user=user, is_active=True)
    fields = {**check_in_fields(value), "created_at": now}
    try:
        with transaction.atomic():
            check_in = CheckIn.objects.create(user=user, date=value.date, **fields)
            created = True
    except IntegrityError:
        check_in = CheckIn.objects.get(user=user, date=value.date)
        for name, field_value in fields.items():
            setattr(check_in, name, field_value)
        check_in.save()
        created = False
    result = _replay(active, today=value.date)
    step = ProgressionStep.objects.create(
        plan=active,
        check_in=check_in,
        status=result.status,
        level=result.state.level,
        phase=result.phase,
        result=step_json(result),
        engine_version=result.version,
        created_at=now,
    )
    active.state = result.state.model_dump(mode="json")
    active.level = result.state.level
    active.phase = result.phase
    active.updated_at = now
    active.save(update_fields=["state", "level", "phase", "updated_at"])
    _audit(
        user,
        "check_in.recorded" if created else "check_in.updated",
        check_in,
        now,
        status=result.status,
        level=result.state.level,
    )
    return check_in, step, result


def step_json(result: Progression) -> dict[str, Any]:
    """What the person was shown after this check-in. The full history and the new state are left
    out: the plan keeps the state, and the history can always be replayed from the check-ins."""
    shown = progression_json(result)
    del shown["history"], shown["state"]
    return shown


def _replay(active: Plan, *, today: date) -> Progression:
    base = PlanState.model_validate_json(_json(active.base_state))
    rows = CheckIn.objects.filter(user_id=active.user_id, date__gte=active.created_on)
    values = [
        CheckInValue.model_validate_json(_json({"date": row.date.isoformat(), **_row_fields(row)}))
        for row in rows
    ]
    return progress(base, values, today=today)


def _row_fields(row: CheckIn) -> dict[str, Any]:
    fields = {
        "pain_now": row.pain_now,
        "spasm_episodes": row.spasm_episodes,
        "exercises_done": row.exercises_done,
        "new_warning_signs": row.new_warning_signs,
    }
    if row.pain_during_exercise is not None:
        fields["pain_during_exercise"] = row.pain_during_exercise
    if row.pain_next_morning is not None:
        fields["pain_next_morning"] = row.pain_next_morning
    return fields


def _json(data: Any) -> str:
    import json

    return json.dumps(data)


@transaction.atomic
def do_delete_account(user: User, *, now: datetime) -> None:
    """Delete the person and everything of theirs; the audit row keeps no personal data."""
    AuditEvent.objects.create(
        user=None, action="account.deleted", object_type="User", object_id=None, at=now
    )
    user.delete()


def recent_applications(user: User, now: datetime) -> list[ThermalApplication]:
    """Ice and heat in the last day: enough for the skin rule and the daily limit."""
    since = now - timedelta(days=1)
    return list(ThermalApplication.objects.filter(user=user, started_at__gte=since))


@transaction.atomic
def do_start_thermal(user: User, kind: Kind, *, now: datetime) -> ThermalCheck:
    """Start ice or heat if the skin has recovered and the day's limit allows; say why not."""
    # Lock the person's row so two taps cannot both pass the check.
    User.objects.select_for_update().filter(pk=user.pk).first()
    earlier = [
        Application(a.kind, a.started_at, a.ended_at)  # type: ignore[arg-type]
        for a in recent_applications(user, now)
    ]
    check = may_apply(kind, now=now, earlier=earlier)
    if check.allowed:
        application = ThermalApplication.objects.create(
            user=user,
            kind=kind,
            started_at=now,
            ends_at=now + timedelta(minutes=check.max_minutes),
        )
        _audit(user, "thermal.started", application, now, kind=kind)
    return check


@transaction.atomic
def do_stop_thermal(user: User, *, now: datetime) -> None:
    running = ThermalApplication.objects.filter(
        user=user, stopped_at__isnull=True, ends_at__gt=now
    ).first()
    if running is not None:
        running.stopped_at = now
        running.save(update_fields=["stopped_at"])
        _audit(user, "thermal.stopped", running, now)
