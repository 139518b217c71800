"""A patient's record as FHIR: Patient, QuestionnaireResponse, Observation, CarePlan, Procedure
and Flag, each built from one row (or one check-in) as plain FHIR JSON."""

from __future__ import annotations

from datetime import date, datetime
from functools import cache, lru_cache
from typing import Any, NamedTuple

from backcare.care.models import AssessmentRecord, CheckIn, Patient, Plan, QuestionnaireResponse
from backcare.clinic.models import TreatmentNote
from backcare.domain import catalogue, content
from backcare.domain.catalogue import Dose
from backcare.domain.dosing import describe
from backcare.domain.treatments import kinds, parse_treatment, summary
from backcare.domain.validation import InputError
from backcare.fhir.booking import instant
from backcare.fhir.codes import (
    EXERCISE_CODES,
    FLAG_CATEGORY,
    LOINC,
    OBSERVATION_CATEGORY,
    OBSERVATION_CODES,
    PAIN_DISPLAY,
    PAIN_LOINC,
    PATIENT_ID,
    TAKEN_ON,
    TREATMENT_CODES,
    TREATMENT_SETTINGS,
    WARNING_SIGN_CODES,
    Resource,
    coding,
    concept,
    fhir_id,
    meta,
)
from backcare.fhir.questionnaires import ODI_SECTIONS, url

SURVEY = [concept(OBSERVATION_CATEGORY, "survey", "Survey")]
ACTIVITY = [concept(OBSERVATION_CATEGORY, "activity", "Activity")]
PAIN_CODE = {"coding": [coding(LOINC, PAIN_LOINC, PAIN_DISPLAY)], "text": "Pain now (0-10)"}
SPASM_CODE = concept(
    OBSERVATION_CODES, "spasm-episodes", "Back muscle spasm episodes in the day", "Spasm episodes"
)
ADHERENCE_CODE = concept(
    OBSERVATION_CODES,
    "exercise-adherence",
    "Programme exercises done in the day",
    "Exercises done",
)
PAIN_DURING = concept(OBSERVATION_CODES, "pain-during-exercise", "Pain during exercise (0-10)")
PAIN_MORNING = concept(OBSERVATION_CODES, "pain-next-morning", "Pain the next morning (0-10)")
BODY_SITE_FIELDS = ("site", "area", "level", "electrode_sites", "muscles")
NOTE_FIELDS = ("notes", "response")


def ref(resource_type: str, pk: Any) -> Resource:
    return {"reference": f"{resource_type}/{pk}"}


@lru_cache(maxsize=1024)
def patient_ref(pk: int) -> Resource:
    """Shared by the many Observations of one record (built resources are never changed)."""
    return ref("Patient", pk)


@cache
def exercise_name(exercise_id: str) -> str:
    found = catalogue.exercises().get(exercise_id)
    return found.name if found else exercise_id


@cache
def sign_label(sign: str) -> str:
    question = content.read("triage")["questions"].get(sign, {})
    return str(question.get("noticed") or sign.replace("_", " ").capitalize())


def patient_resource(p: Patient) -> Resource:
    out: Resource = {
        "resourceType": "Patient",
        "id": str(p.pk),
        "meta": meta("Patient"),
        "identifier": [{"system": PATIENT_ID, "value": str(p.pk)}],
        "active": p.erased_at is None,
    }
    if p.name:
        out["name"] = [{"text": p.name}]
    telecom = []
    if p.email:
        telecom.append({"system": "email", "value": p.email})
    if p.phone:
        telecom.append({"system": "phone", "value": p.phone})
    if telecom:
        out["telecom"] = telecom
    if p.date_of_birth:
        out["birthDate"] = p.date_of_birth.isoformat()
    if p.lead_physio_id:
        out["generalPractitioner"] = [ref("Practitioner", p.lead_physio_id)]
    if p.clinic_id:
        out["managingOrganization"] = ref("Organization", p.clinic_id)
    return out


def _observation(
    oid: str, patient_id: int, on: str, code: Resource, category: list[Resource]
) -> Resource:
    return {
        "resourceType": "Observation",
        "id": oid,
        "status": "final",
        "category": category,
        "code": code,
        "subject": patient_ref(patient_id),
        "effectiveDateTime": on,
    }


class Day(NamedTuple):
    """The columns of a check-in the Observations need (read without building model rows)."""

    pk: int
    patient_id: int
    date: date
    pain_now: int
    spasm_episodes: int
    exercises_done: Any
    pain_during_exercise: int | None
    pain_next_morning: int | None
    created_at: datetime


DAY_COLUMNS = Day._fields


@cache
def exercise_concept(exercise_id: str) -> Resource:
    """Shared between resources: builders and callers never change a built resource."""
    return concept(EXERCISE_CODES, exercise_id, exercise_name(exercise_id))


def check_in_observations(c: CheckIn | Day, timezone: str) -> list[Resource]:
    """The day's pain (LOINC 72514-3, with pain during exercise and the next morning as
    components), spasm episodes, and the programme exercises done (one component each)."""
    on = c.date.isoformat()
    issued = instant(c.created_at, timezone)
    pain = _observation(f"pain-{c.pk}", c.patient_id, on, PAIN_CODE, SURVEY)
    pain["issued"] = issued
    pain["performer"] = [patient_ref(c.patient_id)]
    pain["valueInteger"] = c.pain_now
    parts = []
    if c.pain_during_exercise is not None:
        parts.append({"code": PAIN_DURING, "valueInteger": c.pain_during_exercise})
    if c.pain_next_morning is not None:
        parts.append({"code": PAIN_MORNING, "valueInteger": c.pain_next_morning})
    if parts:
        pain["component"] = parts
    spasms = _observation(f"spasms-{c.pk}", c.patient_id, on, SPASM_CODE, SURVEY)
    spasms["issued"] = issued
    spasms["valueInteger"] = c.spasm_episodes
    done = _observation(f"adherence-{c.pk}", c.patient_id, on, ADHERENCE_CODE, ACTIVITY)
    done["issued"] = issued
    exercises = [d for d in c.exercises_done if isinstance(d, dict) and d.get("exercise")]
    done["valueInteger"] = len(exercises)
    if exercises:
        done["component"] = [
            {
                "code": exercise_concept(d["exercise"]),
                "valueInteger": int(d.get("sets") or 1),
            }
            for d in exercises
        ]
    return [pain, spasms, done]


def note_pain_observation(note: TreatmentNote) -> Resource:
    """The pain score a physiotherapist wrote in a signed note."""
    out = _observation(
        f"note-pain-{note.pk}", note.patient_id, note.seen_on.isoformat(), PAIN_CODE, SURVEY
    )
    out["performer"] = [ref("Practitioner", note.author_id)]
    out["valueInteger"] = note.pain_now
    return out


def _response(
    rid: str, kind: str, patient_id: int, authored: str, author: Resource, items: list[Resource]
) -> Resource:
    return {
        "resourceType": "QuestionnaireResponse",
        "id": rid,
        "questionnaire": url(kind),
        "status": "completed",
        "subject": ref("Patient", patient_id),
        "authored": authored,
        "author": author,
        "source": ref("Patient", patient_id),
        "item": items,
    }


def _answer(link_id: str, key: str, value: Any, text: str | None = None) -> Resource:
    item: Resource = {"linkId": link_id, "answer": [{key: value}]}
    if text:
        item["text"] = text
    return item


def startback_items(answers: dict[str, Any], score: dict[str, Any] | None) -> list[Resource]:
    from backcare.fhir.questionnaires import item_index

    index = item_index("startback")
    items = [_answer(f"q{i}", "valueBoolean", bool(answers[f"q{i}"])) for i in range(1, 9)]
    q9 = answers["q9"]
    options = {o["valueCoding"]["code"]: o["valueCoding"] for o in index["q9"]["answerOption"]}
    items.append(_answer("q9", "valueCoding", dict(options[q9])))
    if score:
        items += [
            _answer("total", "valueInteger", int(score["total"])),
            _answer("distress", "valueInteger", int(score["distress"])),
            _answer("risk", "valueString", str(score["risk"])),
        ]
    return items


def check_startback_response(record: AssessmentRecord, timezone: str) -> Resource | None:
    """The STarT Back answered inside a check, or None when it was skipped."""
    answers = (record.answers or {}).get("startback")
    if not answers or record.patient_id is None:
        return None
    items = startback_items(answers, (record.triage or {}).get("startback"))
    authored = instant(record.created_at, timezone)
    return _response(
        f"check-{record.pk}",
        "startback",
        record.patient_id,
        authored,
        ref("Patient", record.patient_id),
        items,
    )


def _items(q: QuestionnaireResponse) -> list[Resource]:
    a, s = q.answers, q.score
    if q.kind == "startback":
        return startback_items(a, s)
    if q.kind == "psfs":
        groups = [
            {
                "linkId": "activity",
                "item": [
                    _answer("activity.name", "valueString", act["name"]),
                    _answer("activity.rating", "valueInteger", int(act["rating"])),
                ],
            }
            for act in a["activities"]
        ]
        return [*groups, _answer("mean", "valueDecimal", float(s["mean"]))]
    if q.kind == "nprs":
        return [_answer("score", "valueInteger", int(a["score"]))]
    sections = [_answer(k, "valueInteger", int(a[k])) for k in ODI_SECTIONS if a.get(k) is not None]
    return [
        *sections,
        _answer("percent", "valueDecimal", float(s["percent"])),
        _answer("band", "valueString", str(s["band"])),
        _answer("answered", "valueInteger", int(s["answered"])),
    ]


def questionnaire_response(q: QuestionnaireResponse, timezone: str, author: Resource) -> Resource:
    out = _response(
        f"q-{q.pk}", q.kind, q.patient_id, instant(q.created_at, timezone), author, _items(q)
    )
    # The day it was taken, on the patient's calendar (authored is when it was recorded).
    out["extension"] = [{"url": TAKEN_ON, "valueDate": q.taken_on.isoformat()}]
    return out


def care_plan(plan: Plan) -> Resource:
    """The programme: one activity per exercise with its dose (sets, times a day, minutes)."""
    if plan.is_active and plan.stopped_on is None:
        status, activity_status = "active", "in-progress"
    elif plan.is_active:
        status, activity_status = "on-hold", "stopped"
    else:
        status, activity_status = "completed", "completed"
    activities = [
        _activity(p, activity_status, plan.patient_id) for p in plan.state.get("prescriptions", [])
    ]
    out: Resource = {
        "resourceType": "CarePlan",
        "id": str(plan.pk),
        "status": status,
        "intent": "plan",
        "title": "Home exercise programme for back muscle spasm",
        "subject": ref("Patient", plan.patient_id),
        "period": {"start": plan.created_on.isoformat()},
        "created": plan.created_on.isoformat(),
        "description": f"Triage level {plan.level}; phase {plan.phase or '-'}",
    }
    if activities:
        out["activity"] = activities
    return out


def _activity(p: dict[str, Any], status: str, patient_id: int) -> Resource:
    dose = Dose.model_validate(p["dose"])
    repeat: Resource = {"frequency": dose.times_per_day, "period": 1, "periodUnit": "d"}
    if dose.duration_minutes is not None:
        repeat["duration"] = dose.duration_minutes
        repeat["durationUnit"] = "min"
    detail: Resource = {
        "kind": "ServiceRequest",
        "code": concept(EXERCISE_CODES, p["exercise"], exercise_name(p["exercise"])),
        "status": status,
        "scheduledTiming": {"repeat": repeat},
        "performer": [ref("Patient", patient_id)],
        "quantity": {"value": dose.sets, "unit": "set"},
        "description": describe(dose),
    }
    if p.get("why"):
        detail["reasonCode"] = [{"text": p["why"]}]
    return {"detail": detail}


def _setting(name: str, value: Any) -> list[Resource]:
    if isinstance(value, bool):
        return [{"url": name, "valueBoolean": value}]
    if isinstance(value, int):
        return [{"url": name, "valueInteger": value}]
    if isinstance(value, float):
        return [{"url": name, "valueDecimal": value}]
    if isinstance(value, list):
        return [
            {"url": name, "valueCoding": coding(EXERCISE_CODES, v, exercise_name(v))} for v in value
        ]
    return [{"url": name, "valueString": str(value)}]


def procedures(note: TreatmentNote) -> list[Resource]:
    """One Procedure per structured treatment in a signed note, with its settings."""
    out = []
    for i, t in enumerate(note.treatments):
        kind = str(t.get("kind", ""))
        try:
            text = summary(parse_treatment(t))
        except InputError:
            text = f"{kind} (as recorded)"
        name = kinds()[kind].name if kind in kinds() else kind
        settings = [
            part
            for key, value in t.items()
            if key not in ("kind", *NOTE_FIELDS, *BODY_SITE_FIELDS) and value not in (None, "")
            for part in _setting(key, value)
        ]
        proc: Resource = {
            "resourceType": "Procedure",
            "id": f"{note.pk}-{i}",
            "meta": meta("Procedure"),
            "status": "completed",
            "code": concept(TREATMENT_CODES, kind, name, text),
            "subject": ref("Patient", note.patient_id),
            "performedDateTime": note.seen_on.isoformat(),
            "recorder": ref("Practitioner", note.author_id),
            "performer": [{"actor": ref("Practitioner", note.author_id)}],
        }
        if settings:
            proc["extension"] = [{"url": TREATMENT_SETTINGS, "extension": settings}]
        sites = [{"text": str(t[f])} for f in BODY_SITE_FIELDS if t.get(f)]
        if sites:
            proc["bodySite"] = sites
        notes = [{"text": str(t[f])} for f in NOTE_FIELDS if t.get(f)]
        if notes:
            proc["note"] = notes
        out.append(proc)
    return out


def warning_flags(plan: Plan, answers: dict[str, Any], checked: datetime | None) -> list[Resource]:
    """An active Flag for each warning sign behind the active plan: those answered yes in its
    check, and those reported in a check-in that stopped the programme."""
    from backcare.domain.assessment import WARNING_SIGNS

    since: dict[str, str] = {}
    if checked is not None:
        for sign in WARNING_SIGNS:
            if answers.get(sign) is True:
                since[sign] = plan.checked_on.isoformat()
    if plan.stopped_on is not None:
        for sign in plan.stop_signs or []:
            since.setdefault(sign, plan.stopped_on.isoformat())
    return [
        {
            "resourceType": "Flag",
            "id": fhir_id(f"{plan.pk}-{sign}"),
            "status": "active",
            "category": [concept(FLAG_CATEGORY, "clinical", "Clinical")],
            "code": concept(WARNING_SIGN_CODES, sign, sign_label(sign), sign_label(sign)),
            "subject": ref("Patient", plan.patient_id),
            "period": {"start": day},
        }
        for sign, day in since.items()
    ]
