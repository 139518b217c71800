"""A FHIR Bundle back into plain data: parsed (and so validated) by fhir.resources' R4B models,
then read into frozen values that compare with what the database holds."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from fhir.resources.R4B.bundle import Bundle

from backcare.fhir.codes import EXERCISE_CODES, LOINC, PAIN_LOINC, WARNING_SIGN_CODES
from backcare.fhir.questionnaires import kind_of


@dataclass(frozen=True, slots=True)
class PainScore:
    on: date
    score: int


@dataclass(frozen=True, slots=True)
class Exercise:
    """A programme activity: the exercise id, its sets and times a day, and the plan's status."""

    exercise: str
    sets: int | None
    times_per_day: int | None
    status: str


@dataclass(frozen=True, slots=True)
class Visit:
    id: str
    start: datetime
    end: datetime
    status: str
    location_id: str | None
    practitioner_role_id: str | None


@dataclass(frozen=True, slots=True)
class Answered:
    kind: str
    authored: datetime | None
    answers: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Loaded:
    patient_id: str | None
    pain: tuple[PainScore, ...]
    spasms: tuple[PainScore, ...]
    exercises: tuple[Exercise, ...]
    appointments: tuple[Visit, ...]
    questionnaires: tuple[Answered, ...]
    treatments: tuple[str, ...]
    warning_signs: tuple[str, ...]


def _code(concept: Any, system: str) -> str | None:
    for c in (concept.coding or []) if concept is not None else []:
        if c.system == system:
            return str(c.code)
    return None


def _day(value: Any) -> date:
    return value if isinstance(value, date) and not isinstance(value, datetime) else value.date()


def _target(reference: Any, kind: str) -> str | None:
    text = getattr(reference, "reference", None) or ""
    head, _, tail = text.rpartition("/")
    return tail if head.endswith(kind) else None


VALUE_KEYS = (
    "valueBoolean",
    "valueInteger",
    "valueDecimal",
    "valueString",
    "valueCoding",
    "valueDate",
)


def _answers(items: list[Any]) -> dict[str, Any]:
    """linkId -> the answer's value (a list of them for repeated groups such as PSFS's)."""
    out: dict[str, Any] = {}
    for item in items or []:
        if item.item:
            out.setdefault(item.linkId, []).append(_answers(item.item))
            continue
        for a in item.answer or []:
            for key in VALUE_KEYS:
                value = getattr(a, key, None)
                if value is not None:
                    out[item.linkId] = value.code if key == "valueCoding" else value
                    break
    return out


def load_bundle(data: str | bytes | dict[str, Any]) -> Loaded:
    """The pain scores, spasm episodes, programme exercises, appointments, questionnaires,
    treatments and warning signs in a Bundle. Raises pydantic's ValidationError when
    fhir.resources refuses it."""
    raw = json.loads(data) if isinstance(data, str | bytes) else data
    parsed = Bundle.model_validate(raw)
    pain, spasms, exercises, visits, answered, treatments, signs = [], [], [], [], [], [], []
    patient_id = None
    for entry in parsed.entry or []:
        r: Any = entry.resource  # each type's own model; an entry may carry none
        if r is None:
            continue
        kind = r.get_resource_type()
        if kind == "Patient":
            patient_id = r.id
        elif kind == "Observation":
            on = _day(r.effectiveDateTime)
            if _code(r.code, LOINC) == PAIN_LOINC and r.valueInteger is not None:
                pain.append(PainScore(on, int(r.valueInteger)))
            elif str(r.id).startswith("spasms-") and r.valueInteger is not None:
                spasms.append(PainScore(on, int(r.valueInteger)))
        elif kind == "CarePlan":
            for activity in r.activity or []:
                d = activity.detail
                repeat = d.scheduledTiming.repeat if d.scheduledTiming else None
                exercises.append(
                    Exercise(
                        exercise=_code(d.code, EXERCISE_CODES) or "",
                        sets=int(d.quantity.value) if d.quantity else None,
                        times_per_day=int(repeat.frequency)
                        if repeat and repeat.frequency
                        else None,
                        status=str(r.status),
                    )
                )
        elif kind == "Appointment":
            roles = [_target(p.actor, "PractitionerRole") for p in r.participant]
            places = [_target(p.actor, "Location") for p in r.participant]
            visits.append(
                Visit(
                    id=str(r.id),
                    start=r.start,
                    end=r.end,
                    status=str(r.status),
                    location_id=next((x for x in places if x), None),
                    practitioner_role_id=next((x for x in roles if x), None),
                )
            )
        elif kind == "QuestionnaireResponse":
            answered.append(
                Answered(kind_of(str(r.questionnaire)) or "", r.authored, _answers(r.item))
            )
        elif kind == "Procedure":
            treatments.append(str(r.code.coding[0].code) if r.code and r.code.coding else "")
        elif kind == "Flag" and r.status == "active":
            signs.append(_code(r.code, WARNING_SIGN_CODES) or "")
    return Loaded(
        patient_id,
        tuple(pain),
        tuple(spasms),
        tuple(exercises),
        tuple(visits),
        tuple(answered),
        tuple(treatments),
        tuple(signs),
    )
