"""The API's shapes out (and the few in that are the API's own). Every response goes through one
of these: nothing is a model's __dict__."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from ninja import Schema
from pydantic import ConfigDict, Field


class Strict(Schema):
    """Input: unknown fields are refused, naming them."""

    model_config = ConfigDict(extra="forbid")


class FieldError(Schema):
    field: str = Field(description="The field, dotted for nested ones; empty for the request.")
    message: str = Field(description="What is wrong, and what is allowed.")


class ProblemOut(Schema):
    """RFC 9457 problem details, served as application/problem+json."""

    type: str
    title: str
    status: int
    detail: str
    errors: list[FieldError] = Field(default_factory=list)
    next_slots: list[SlotOut] | None = None


class Source(Schema):
    text: str
    source: str


class Reason(Schema):
    code: str
    text: str
    source: str
    note: str | None = None


class StartBack(Schema):
    total: int
    distress: int
    risk: str


class TriageOut(Schema):
    level: str = Field(description="emergency, urgent, see_doctor or self_care")
    title: str
    action: Source
    reasons: list[Reason]
    safety_net: list[Source]
    policy_version: str
    startback: StartBack | None = None
    startback_skipped: bool | None = None


class EmergencyNumber(Schema):
    region: str
    name: str
    emergency: str
    advice_line: str
    advice_number: str


class PublicTriageOut(Schema):
    triage: TriageOut
    emergency: EmergencyNumber


class CheckOut(Schema):
    id: int
    created_at: datetime
    level: str
    title: str
    reasons: list[dict[str, Any]]
    policy_version: str
    startback: dict[str, Any] | None = None


class ExerciseOut(Schema):
    exercise: str
    name: str
    dose: dict[str, Any]
    dose_text: str
    why: str
    source: str
    stop_rules: list[str]


class PlanOut(Schema):
    id: int
    level: str
    phase: int | None
    created_on: date
    day: date
    day_number: int
    recheck_due_on: date | None
    exercises: list[ExerciseOut]
    plan_version: str


class PhysioChangeOut(Schema):
    kind: str
    exercise: str
    note: str
    on: date
    by: str


class TodayOut(Schema):
    day: date
    day_number: int
    level: str
    phase: int | None
    exercising: bool
    stopped: bool
    checked_in_today: bool
    exercises: list[ExerciseOut]
    latest_result: dict[str, Any] | None
    physio_change: PhysioChangeOut | None


class CheckInOut(Schema):
    id: int
    date: date
    pain_now: int
    spasm_episodes: int
    exercises_done: list[dict[str, Any]]
    pain_during_exercise: int | None
    pain_next_morning: int | None
    new_warning_signs: list[str]
    sleep: str | None
    created_at: datetime


class CheckInResultOut(Schema):
    check_in: CheckInOut
    result: dict[str, Any] | None = Field(description="The progression step shown after it.")


class ProgressDay(Schema):
    date: date
    pain_now: int
    spasm_episodes: int


class ProgressCheck(Schema):
    on: date
    total: int
    risk: str


class ProgressOut(Schema):
    episode_started_on: date
    today: date
    day_number: int
    baseline_pain: int | None
    baseline_spasms: int | None
    days: list[ProgressDay]
    exercise_days_per_week: list[int]
    startback: list[ProgressCheck]
    summary: list[Any]


class MessageOut(Schema):
    id: int
    from_clinic: bool
    body: str
    sent_at: datetime
    read_at: datetime | None
    mentions: list[str]


class SentMessageOut(Schema):
    message: MessageOut
    mentioned_warning_signs: list[str] = Field(
        description="Warning signs the message mentions: act on them now, do not wait."
    )


class SlotOut(Schema):
    start: datetime
    end: datetime
    practitioner_ids: list[int]


class AppointmentOut(Schema):
    id: int
    patient_id: int
    status: str
    start: datetime
    end: datetime
    location_id: int
    location: str
    timezone: str
    appointment_type_id: int
    appointment_type: str
    practitioner_id: int
    practitioner: str
    reason: str
    may_change_online: bool


class LocationOut(Schema):
    id: int
    name: str
    slug: str
    address: str
    suburb: str
    postcode: str
    phone: str
    timezone: str
    appointment_types: list[AppointmentTypeOut]


class AppointmentTypeOut(Schema):
    id: int
    name: str
    kind: str
    duration_minutes: int
    price_cents: int


ProblemOut.model_rebuild()
LocationOut.model_rebuild()


class FlagOut(Schema):
    code: str
    tier: str
    words: str
    since: date | None


class QueueEntryOut(Schema):
    patient_id: int
    name: str
    tier: str | None
    reason: str
    flags: list[FlagOut]


class ContactOut(Schema):
    id: int
    name: str
    email: str
    phone: str
    location_id: int | None
    lead_physio_id: int | None


class ChangeOut(Schema):
    id: int
    kind: str
    exercise: str
    to: str
    dose: dict[str, Any] | None
    note: str
    on: date
    by: str
    created_at: datetime


class NoteOut(Schema):
    id: int
    status: str
    seen_on: date
    pain_now: int | None
    subjective: str
    range_of_movement: str
    tests: str
    outcome_measures: str
    assessment: str
    plan: str
    treatments: list[dict[str, Any]]
    treatment_lines: list[str]
    author: str
    signed_at: datetime | None
    signed_by: str
    amends_id: int | None
    created_at: datetime
    updated_at: datetime


class QuestionnaireOut(Schema):
    id: int
    kind: str
    taken_on: date
    score: dict[str, Any]


class RecordOut(Schema):
    """The patient's record: who they are for every staff member of their clinic; the
    clinical parts (null for a receptionist) for its physiotherapists."""

    patient: ContactOut
    clinical: bool
    checks: list[CheckOut] | None = None
    plan: PlanOut | None = None
    check_ins: list[CheckInOut] | None = None
    changes: list[ChangeOut] | None = None
    notes: list[NoteOut] | None = None
    questionnaires: list[QuestionnaireOut] | None = None
    appointments: list[AppointmentOut]
