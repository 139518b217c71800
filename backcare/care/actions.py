"""Writes that matter clinically. Each converts records to domain values, calls one pure function,
and saves the result plus an audit row in one transaction.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any, NamedTuple

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.db.models import Max, Q, QuerySet

from backcare.accounts.demo import CANNOT_DELETE
from backcare.accounts.models import User
from backcare.care.models import (
    Action,
    AssessmentRecord,
    AuditEvent,
    CheckIn,
    Patient,
    Plan,
    ProgrammeChange,
    ProgressionStep,
    QuestionnaireResponse,
    ThermalApplication,
)
from backcare.care.resume import Resume, read_resume
from backcare.care.signals import warning_sign_reported
from backcare.care.weeks import fill_weeks, refresh_week
from backcare.domain.assessment import Assessment
from backcare.domain.catalogue import Dose
from backcare.domain.changes import Change, ClinicianChange, check_change
from backcare.domain.checkin import CheckIn as CheckInValue
from backcare.domain.episode import Use, use_of_check
from backcare.domain.firstaid import Application, Kind, ThermalCheck, may_apply
from backcare.domain.plan import PLAN_VERSION, PlanState, plan
from backcare.domain.progress import SNAPSHOT_TAIL, Progression, progress
from backcare.domain.serialize import triage_json
from backcare.domain.serialize_plan import progression_json
from backcare.domain.triage import triage
from backcare.lib import rows
from backcare.lib.timezones import local_now


def _audit(
    actor: User | None,
    patient: Patient | None,
    action: Action,
    obj: Any,
    now: datetime,
    **details: Any,
) -> None:
    rows.insert(
        AuditEvent(
            actor=actor if actor is not None and actor.is_authenticated else None,
            patient=patient,
            action=action,
            object_type=type(obj).__name__,
            object_id=obj.pk,
            details=details,
            at=now,
        )
    )


@transaction.atomic
def do_sign_up(user: User, *, timezone: str, now: datetime) -> Patient:
    """A person who signs up gets their patient record, in their own time zone."""
    patient = Patient.objects.create(
        user=user,
        name=user.get_full_name() or user.username,
        email=user.email,
        timezone=timezone,
        created_at=now,
    )
    _audit(user, patient, Action.PATIENT_CREATED, patient, now)
    return patient


@transaction.atomic
def do_save_assessment(
    actor: User | None, patient: Patient | None, answers: Assessment, *, now: datetime
) -> AssessmentRecord:
    """Store a check with its triage. During a plan, the check is a re-check: "not getting better
    after two weeks" is judged against the plan's own starting answers."""
    active = (
        Plan.objects.filter(patient=patient, is_active=True).only("pk", "base_state").first()
        if patient is not None
        else None
    )
    result = triage(answers, baseline=base_state(active).assessment if active else None)
    record = AssessmentRecord.objects.create(
        patient=patient,
        against_plan=active,
        answers=answers.model_dump(mode="json"),
        level=result.level.value,
        triage=triage_json(result),
        policy_version=result.policy_version,
        created_at=now,
    )
    _audit(actor, patient, Action.ASSESSMENT_SAVED, record, now, level=record.level)
    urgent = [r.code for r in result.reasons if r.level.value in ("emergency", "urgent")]
    if patient is not None and urgent:
        warning_sign_reported.send(Patient, patient=patient, signs=urgent, source="check", at=now)
    return record


@transaction.atomic
def do_claim_assessment(
    actor: User, patient: Patient, record: AssessmentRecord, *, now: datetime
) -> None:
    """A person who checked before signing up keeps that check as theirs."""
    AssessmentRecord.objects.filter(pk=record.pk, patient__isnull=True).update(patient=patient)
    record.refresh_from_db()
    _audit(actor, patient, Action.ASSESSMENT_CLAIMED, record, now)


def record_baseline(record: AssessmentRecord) -> Assessment | None:
    """The starting answers a re-check was judged against (None for a first check)."""
    if record.against_plan_id is None:
        return None
    against = Plan.objects.filter(pk=record.against_plan_id).only("pk", "base_state").first()
    return base_state(against).assessment if against is not None else None


def check_use(patient: Patient, record: AssessmentRecord, *, today: date) -> Use:
    """What using this check would do to the person's active plan (shown before they choose)."""
    active = (
        Plan.objects.filter(patient=patient, is_active=True).only("level", "created_on").first()
    )
    return use_of_check(
        plan_level=active.level if active else None,
        plan_created_on=active.created_on if active else None,
        level=record.level,
        checked_on=today,
        onset_days=int(record.answers["onset_days"]),
    )


@transaction.atomic
def do_use_check(
    actor: User, patient: Patient, record: AssessmentRecord, *, today: date, now: datetime
) -> Plan:
    """Make a check the person's plan: a re-check at the same level continues the active plan
    (history, phase and doses kept); otherwise a new plan begins, within the same episode when
    the pain began before the active plan did."""
    active = Plan.objects.select_for_update().filter(patient=patient, is_active=True).first()
    use = check_use(patient, record, today=today)
    if active is not None and use is Use.CONTINUE:
        active.assessment = record
        active.checked_on = max(today, active.checked_on)
        active.updated_at = now
        active.save(update_fields=["assessment", "checked_on", "updated_at"])
        _audit(
            actor, patient, Action.PLAN_CONTINUED, active, now, level=active.level,
            assessment=record.pk,
        )  # fmt: skip
        return active
    return do_start_plan(
        actor,
        patient,
        record,
        today=today,
        now=now,
        episode=active if use is Use.REPLACE else None,
    )


@transaction.atomic
def do_start_plan(
    actor: User,
    patient: Patient,
    record: AssessmentRecord,
    *,
    today: date,
    now: datetime,
    episode: Plan | None = None,
) -> Plan:
    """A new plan from an assessment; the previous plan, if any, is kept but no longer active.
    `episode` is the plan whose episode this one carries on (None: a new episode)."""
    answers = Assessment.model_validate_json(_json(record.answers))
    made = plan(answers, today=today, baseline=record_baseline(record))
    state = made.state.model_dump(mode="json")
    Plan.objects.filter(patient=patient, is_active=True).update(is_active=False, updated_at=now)
    latest = CheckIn.objects.filter(patient=patient).aggregate(day=Max("date"))["day"]
    new = Plan.objects.create(
        last_check_in_on=latest,
        patient=patient,
        assessment=record,
        created_on=today,
        checked_on=today,
        episode_started_on=episode.episode_started_on if episode else today,
        episode_pain=episode.episode_pain if episode else answers.pain_now,
        episode_spasms=episode.episode_spasms if episode else answers.spasm_episodes_per_day,
        base_state=state,
        state=state,
        level=made.triage.level.value,
        phase=made.state.phase,
        plan_version=PLAN_VERSION,
        updated_at=now,
    )
    fill_weeks(new)
    _audit(actor, patient, Action.PLAN_STARTED, new, now, level=new.level, phase=new.phase)
    return new


def check_in_fields(value: CheckInValue) -> dict[str, Any]:
    data = value.model_dump(mode="json")
    data.pop("date")
    data["sleep"] = data["sleep"] or ""  # the column keeps "" for not answered
    return data


def do_check_in(
    actor: User,
    patient: Patient,
    value: CheckInValue,
    *,
    now: datetime,
    plan: Plan | None = None,
    resume: Resume | None = None,
) -> tuple[CheckIn, ProgressionStep, Progression]:
    """Record the day's check-in (a second one for the same day updates it) and run progression.

    The replay is computed before the write transaction, from the stored check-ins plus this
    one, so the database's write lock is held only for the few writes: with SQLite a waiting
    writer sleeps rather than queues, and holding the lock through the replay cut throughput to
    a third. The plan is then updated only if it is still the version the replay started from;
    if another check-in landed in between, the replay runs again under the lock.

    `resume`, read with the plan (access_active_plan_to_check_in), saves a query when it is for
    this check-in's day; otherwise it is read again.
    """
    seen = plan if plan is not None else Plan.objects.get(patient=patient, is_active=True)
    reported = list(value.new_warning_signs)  # what the person says now (the replay adds kept ones)
    value, result, read = _replay(seen, today=value.date, adding=value, resume=resume)
    with transaction.atomic():
        shown, state = step_json(result), result.state.model_dump(mode="json")
        fields = {
            "state": state,
            "level": result.state.level,
            "phase": result.phase,
            "last_check_in_on": max(value.date, seen.last_check_in_on or value.date),
            **_stop_fields(result),
        }
        unchanged = {"id": seen.pk, "is_active": True, "updated_at": seen.updated_at}
        if not rows.update(Plan, unchanged, {**fields, "updated_at": now}):
            seen = Plan.objects.select_for_update().get(pk=seen.pk, is_active=True)
            value, result, read = _replay(seen, today=value.date, adding=value)
            shown, state = step_json(result), result.state.model_dump(mode="json")
            Plan.objects.filter(pk=seen.pk).update(
                state=state,
                level=result.state.level,
                phase=result.phase,
                last_check_in_on=max(value.date, seen.last_check_in_on or value.date),
                updated_at=now,
                **_stop_fields(result),
            )
        if seen.last_check_in_on is not None and value.date <= seen.last_check_in_on:
            # A late or edited check-in: snapshots from its day on no longer hold.
            ProgressionStep.objects.filter(plan_id=seen.pk, snapshot_on__gte=value.date).update(
                engine_state=None, snapshot_on=None
            )
        check_in = _save_check_in(patient, value, now)
        refresh_week(seen, value.date, read=read)
        snap = snapshot_json(result)
        step = rows.insert(
            ProgressionStep(
                plan_id=seen.pk,
                check_in=check_in,
                status=result.status,
                level=result.state.level,
                phase=result.phase,
                result=shown,
                engine_version=result.version,
                created_at=now,
                engine_state=snap,
                snapshot_on=result.snapshot.on if result.snapshot else None,
            )
        )
        _audit(
            actor,
            patient,
            Action.CHECK_IN_SAVED,
            check_in,
            now,
            status=result.status,
            level=result.state.level,
        )
        if reported:
            warning_sign_reported.send(
                Patient,
                patient=patient,
                signs=reported,
                source="check_in",
                at=now,
            )
    return check_in, step, result


def _stop_fields(result: Progression) -> dict[str, Any]:
    """Whether a warning sign has stopped the programme, kept on the plan for the clinic's queue."""
    if result.status != "stop":
        return {"stopped_on": None, "stop_signs": []}
    first = result.decisions[0] if result.decisions else None
    values = dict(first.values or {}) if first is not None else {}
    return {
        "stopped_on": first.on if first is not None else None,
        "stop_signs": list(values.get("sign_codes", [])),
    }


def _save_check_in(patient: Patient, value: CheckInValue, now: datetime) -> CheckIn:
    """Insert the day's check-in or update it, in one statement: the unique constraint on
    (person, day) makes a double tap or a retry one row. The statement returns the row's id
    either way (RETURNING: SQLite 3.35 and later, PostgreSQL)."""
    fields = check_in_fields(value)
    return rows.insert(
        CheckIn(patient=patient, date=value.date, created_at=now, **fields),
        unique=("patient", "date"),
        update=tuple(fields),
    )


def step_json(result: Progression) -> dict[str, Any]:
    """What the person was shown after this check-in. The full history, the weekly summaries and
    the new state are left out: the plan keeps the state, and the rest can always be worked out
    again from the check-ins."""
    return progression_json(result, full=False)


class Read(NamedTuple):
    """The check-ins a replay read: every one on or after `since`, in date order."""

    since: date
    rows: list[Any]


class Done(NamedTuple):
    exercise: str
    sets: int = 1
    reps: int | None = None


class Stored(NamedTuple):
    """A stored check-in as the engine reads it. It was validated on its way in; re-validating a
    hundred of them on every new check-in was most of a check-in's cost."""

    date: date
    pain_now: int
    spasm_episodes: int
    exercises_done: list[Done]
    pain_during_exercise: int | None
    pain_next_morning: int | None
    new_warning_signs: list[str]
    sleep: str | None


def _replay(
    active: Plan, *, today: date, adding: CheckInValue, resume: Resume | None = None
) -> tuple[CheckInValue, Progression, Read]:
    """Progression from the plan's start through the stored check-ins, with `adding` in place
    of any stored check-in for its day; also the check-ins it read (`adding` among them), for
    the week's summary.

    A warning sign, once reported, stands until the person takes the check again: a changed
    check-in for the same day keeps the signs it had (so the replay stops where it stopped).
    """
    if resume is None or resume.before != adding.date:
        resume = read_resume(active, before=adding.date)
    _, snap, changed = resume
    stored = _stored_check_ins(active, after=snap.on if snap else None)
    same_day = next((c for c in stored if c.date == adding.date), None)
    if same_day is not None and same_day.new_warning_signs:
        kept = [s for s in same_day.new_warning_signs if s not in adding.new_warning_signs]
        if kept:
            adding = adding.model_copy(
                update={"new_warning_signs": [*kept, *adding.new_warning_signs]}
            )
    days: list[Stored | CheckInValue] = [c for c in stored if c.date != adding.date]
    days.append(adding)
    days.sort(key=lambda c: c.date)
    changes = plan_changes(active) if changed else []
    result = progress(base_state(active), days, today=today, changes=changes, resume=snap)
    # Every stored check-in from `since` on was read: from the plan's first day without a
    # snapshot, else from the earliest row of the tail (_TAIL_SQL).
    since = stored[0].date if snap is not None and stored else active.created_on
    return adding, result, Read(since, days)


def plan_changes(active: Plan) -> list[ClinicianChange]:
    """The physiotherapist's changes to this plan, as the engine replays them."""
    return [
        ClinicianChange(
            on=c.on,
            kind=Change(c.kind),
            exercise=c.exercise,
            to=c.to or None,
            dose=Dose.model_validate(c.dose) if c.dose else None,
            note=c.note,
        )
        for c in ProgrammeChange.objects.filter(plan=active)
    ]


def replay_today(active: Plan, *, today: date) -> Progression:
    """Progression through every stored check-in and change, as of `today` (carrying on from
    the newest snapshot: a change is dated today, after every snapshot's day)."""
    _, snap, changed = read_resume(active, before=today + timedelta(days=1))
    stored: list[Stored] = _stored_check_ins(active, after=snap.on if snap else None)
    changes = plan_changes(active) if changed else []
    return progress(base_state(active), stored, today=today, changes=changes, resume=snap)


def snapshot_json(result: Progression) -> dict[str, Any] | None:
    snap = result.snapshot
    if snap is None:
        return None
    return {"on": snap.on.isoformat(), "first": snap.first.isoformat(), "data": snap.data}


@transaction.atomic
def do_change_programme(
    actor: User, patient: Patient, change: ClinicianChange, *, today: date, now: datetime
) -> tuple[ProgrammeChange | None, list[str]]:
    """A physiotherapist's change to the active plan, checked against the catalogue and the
    safety rules (refused with one line per problem, nothing saved), then replayed with the
    check-ins so the plan's state shows it at once."""
    active = Plan.objects.select_for_update().filter(patient=patient, is_active=True).first()
    if active is None:
        return None, ["plan: this patient has no plan to change"]
    state = PlanState.model_validate_json(_json(active.state))
    problems = check_change(state, change, current=[p.exercise for p in state.prescriptions])
    if problems:
        return None, problems
    made = ProgrammeChange.objects.create(
        plan=active,
        actor=actor,
        actor_name=actor.get_full_name() or actor.get_username(),
        kind=change.kind.value,
        exercise=change.exercise,
        to=change.to or "",
        dose=change.dose.model_dump(mode="json") if change.dose else None,
        note=change.note,
        on=change.on,
        created_at=now,
    )
    result = replay_today(active, today=today)
    Plan.objects.filter(pk=active.pk).update(
        state=result.state.model_dump(mode="json"),
        level=result.state.level,
        phase=result.phase,
        updated_at=now,
        **_stop_fields(result),
    )
    _audit(
        actor, patient, Action.PROGRAMME_CHANGED, made, now,
        kind=change.kind.value, exercise=change.exercise, to=change.to or "",
    )  # fmt: skip
    return made, []


@transaction.atomic
def do_record_questionnaire(
    actor: User,
    patient: Patient,
    kind: str,
    answers: dict[str, Any],
    score: dict[str, Any],
    *,
    taken_on: date,
    now: datetime,
    source: str = "clinic",
) -> QuestionnaireResponse:
    """A scored questionnaire on the patient's record (the caller validated and scored it with
    the domain's own questionnaire code)."""
    response = QuestionnaireResponse.objects.create(
        patient=patient,
        kind=kind,
        answers=answers,
        score=score,
        taken_on=taken_on,
        recorded_by=actor if actor.is_authenticated else None,
        source=source,
        created_at=now,
    )
    _audit(actor, patient, Action.QUESTIONNAIRE_RECORDED, response, now, kind=kind)
    return response


_STORED_SQL = (
    "SELECT date, pain_now, spasm_episodes, exercises_done, pain_during_exercise, "
    "pain_next_morning, new_warning_signs, sleep FROM {table} "
    "WHERE patient_id = %s AND date >= %s ORDER BY date"
)


# With a snapshot: the check-ins after its day, and the last SNAPSHOT_TAIL up to it (the rules'
# look back), so the rows read stay the same however long the plan has run.
_TAIL_SQL = (
    "SELECT date, pain_now, spasm_episodes, exercises_done, pain_during_exercise, "
    "pain_next_morning, new_warning_signs, sleep FROM {table} "
    "WHERE patient_id = %s AND date >= COALESCE(("
    "SELECT date FROM {table} WHERE patient_id = %s AND date >= %s AND date <= %s "
    "ORDER BY date DESC LIMIT 1 OFFSET %s), %s) ORDER BY date"
)


def _stored_check_ins(active: Plan, *, after: date | None = None) -> list[Stored]:
    """The plan's check-ins in one plain query (the ORM's per-row work was a quarter of a
    check-in's cost); with `after`, a snapshot's day, only those a resumed replay reads."""
    table = CheckIn._meta.db_table
    if after is None:
        sql, params = _STORED_SQL.format(table=table), [active.patient_id, active.created_on]
    else:
        sql = _TAIL_SQL.format(table=table)
        params = [
            active.patient_id,
            active.patient_id,
            active.created_on,
            after,
            SNAPSHOT_TAIL - 1,
            active.created_on,
        ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = cursor.fetchall()
    return [
        Stored(
            _as_date(on),
            pain,
            episodes,
            _done(done),
            during,
            morning,
            _as_json(signs),
            sleep or None,
        )
        for on, pain, episodes, done, during, morning, signs, sleep in found
    ]


def _done(value: Any) -> list[Done]:
    if isinstance(value, str):
        return list(_done_from_text(value))
    return [Done(e["exercise"], e.get("sets", 1), e.get("reps")) for e in value]


@lru_cache(maxsize=8192)
def _done_from_text(text: str) -> tuple[Done, ...]:
    """A day's exercises as stored by SQLite. The same programme is done day after day (and by
    many people), so the same texts come back again and again: parse each once."""
    return tuple(Done(e["exercise"], e.get("sets", 1), e.get("reps")) for e in json.loads(text))


def _as_date(value: date | str) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


def _as_json(value: Any) -> Any:
    """SQLite returns JSON columns as text; PostgreSQL's driver has already decoded them."""
    if value == "[]":
        return []  # most days have no new warning sign
    return json.loads(value) if isinstance(value, str | bytes) else value


def base_state(active: Plan) -> PlanState:
    """A plan's starting state.

    Parsed once per process for each distinct text: keyed by the stored JSON itself, never by
    the plan's id, because ids can come round again (SQLite hands out a rolled-back id once
    more) and a cache keyed by them would give one person another's starting answers.
    """
    return _parse_state(_json(active.base_state))


@lru_cache(maxsize=4096)
def _parse_state(text: str) -> PlanState:
    return PlanState.model_validate_json(text)


def _json(data: Any) -> str:
    import json

    return json.dumps(data)


@transaction.atomic
def do_delete_account(user: User, *, now: datetime) -> None:
    """Delete the login, the person's patient record and everything of theirs, their audit rows
    too (the details name levels and statuses: health data). One row stays, saying an account was
    deleted and when: nothing in it identifies the person."""
    if user.is_demo:
        raise PermissionDenied(CANNOT_DELETE)
    patient = Patient.objects.filter(user=user).first()
    # The audit rows of kept notes stay with them (who wrote, signed and amended each).
    _own_audit_rows(user, patient).exclude(
        object_type="TreatmentNote", action__in=(Action.NOTE_SAVED, Action.NOTE_SIGNED,
                                                 Action.NOTE_AMENDED), actor__isnull=False,
    ).exclude(actor=user).delete()  # fmt: skip
    AuditEvent.objects.filter(actor=user).delete()
    AccessLog.objects.filter(username=user.username).delete()
    AccessAttempt.objects.filter(username=user.username).delete()
    AccessFailureLog.objects.filter(username=user.username).delete()
    AuditEvent.objects.create(
        actor=None,
        action=Action.ACCOUNT_DELETED,
        object_type="User",
        object_id=None,
        at=now,
    )
    if patient is not None:
        _erase_patient(patient, now=now)
    user.delete()


def _erase_patient(patient: Patient, *, now: datetime) -> None:
    """Delete the record, unless the clinic must keep signed treatment notes (Victoria's Health
    Records Act, backcare.clinic.retention): then keep only the name, date of birth and clinic
    that identify the notes, and delete everything of self-care. Drafts always go."""
    from backcare.clinic.models import Appointment, Message, TreatmentNote, WaitlistEntry

    notes = TreatmentNote.objects.filter(patient=patient)
    notes.exclude(status=TreatmentNote.SIGNED).delete()
    if not notes.exists():
        patient.delete()
        return
    Plan.objects.filter(patient=patient).delete()
    AssessmentRecord.objects.filter(patient=patient).delete()
    CheckIn.objects.filter(patient=patient).delete()
    ThermalApplication.objects.filter(patient=patient).delete()
    QuestionnaireResponse.objects.filter(patient=patient).delete()
    # Messages, waiting-list wishes and appointments still to come go; past appointments stay
    # with the notes as the record of the visits (the keeping period runs from the last one).
    Message.objects.filter(patient=patient).delete()
    WaitlistEntry.objects.filter(patient=patient).delete()
    Appointment.objects.filter(patient=patient, start__gte=now).delete()
    Patient.objects.filter(pk=patient.pk).update(
        user=None, email="", phone="", region="", lead_physio=None, erased_at=now
    )


def _own_audit_rows(user: User, patient: Patient | None) -> QuerySet[AuditEvent]:
    """The person's audit rows: what they did, what was done to their record, and the rows about
    a check they took before signing up (saved with no patient, claimed later)."""
    mine = Q(actor=user)
    if patient is not None:
        mine |= Q(patient=patient)
        ids = AssessmentRecord.objects.filter(patient=patient).values("pk")
        mine |= Q(object_type=AssessmentRecord.__name__, object_id__in=ids)
    return AuditEvent.objects.filter(mine)


ANONYMOUS_CHECK_HOURS = 24


class Purged(NamedTuple):
    checks: int
    audit_rows: int
    before: datetime


@transaction.atomic
def do_purge_anonymous_checks(*, now: datetime) -> Purged:
    """Delete the checks taken without an account and not claimed within 24 hours, with their
    audit rows (which name the level). Safe to run twice: the second run finds nothing."""
    before = now - timedelta(hours=ANONYMOUS_CHECK_HOURS)
    stale = AssessmentRecord.objects.filter(patient__isnull=True, created_at__lt=before)
    audit_rows, _ = AuditEvent.objects.filter(
        patient__isnull=True,
        object_type=AssessmentRecord.__name__,
        object_id__in=stale.values("pk"),
    ).delete()
    _, deleted = stale.delete()
    checks = deleted.get(AssessmentRecord._meta.label, 0)
    if checks:
        AuditEvent.objects.create(
            actor=None,
            action=Action.ASSESSMENT_PURGED,
            object_type=AssessmentRecord.__name__,
            object_id=None,
            details={"count": checks, "unclaimed_for_hours": ANONYMOUS_CHECK_HOURS},
            at=now,
        )
    return Purged(checks, audit_rows, before)


def recent_applications(patient: Patient, now: datetime) -> list[ThermalApplication]:
    """Ice and heat in the last day: enough for the skin rule and the daily limit."""
    since = now - timedelta(days=1)
    return list(ThermalApplication.objects.filter(patient=patient, started_at__gte=since))


@transaction.atomic
def do_start_thermal(actor: User, patient: Patient, kind: Kind, *, now: datetime) -> ThermalCheck:
    """Start ice or heat if the skin has recovered and the day's limit allows; say why not."""
    # Lock the person's row so two taps cannot both pass the check.
    Patient.objects.select_for_update().filter(pk=patient.pk).first()
    earlier = [
        Application(a.kind, a.started_at, a.ended_at)  # type: ignore[arg-type]
        for a in recent_applications(patient, now)
    ]
    check = may_apply(kind, now=local_now(patient, now), earlier=earlier)
    if check.allowed:
        application = ThermalApplication.objects.create(
            patient=patient,
            kind=kind,
            started_at=now,
            ends_at=now + timedelta(minutes=check.max_minutes),
        )
        _audit(actor, patient, Action.THERMAL_STARTED, application, now, kind=kind)
    return check


@transaction.atomic
def do_stop_thermal(actor: User, patient: Patient, *, now: datetime) -> None:
    running = ThermalApplication.objects.filter(
        patient=patient, stopped_at__isnull=True, ends_at__gt=now
    ).first()
    if running is not None:
        running.stopped_at = now
        running.save(update_fields=["stopped_at"])
        _audit(actor, patient, Action.THERMAL_STOPPED, running, now)
