"""A STarT Back or PSFS filled in another system, as a FHIR QuestionnaireResponse, onto the
patient's record: parsed by fhir.resources, checked by our checks and against the
questionnaire's items, scored by the domain's own code, and stored by the same action as the
clinic's questionnaire form (`do_record_questionnaire`, source "fhir", audited).

Who may: the patient for their own record, or a physiotherapist for a patient of their clinic;
anyone else gets the same 404 as for a patient who does not exist. Every refusal names the item
(its linkId) and what is allowed, and nothing is saved.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from django.http import Http404
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse as FhirResponse
from pydantic import ValidationError

from backcare.care.access import access_patient, own_patient, staff_of
from backcare.care.actions import do_record_questionnaire
from backcare.care.models import Patient, QuestionnaireResponse
from backcare.domain.assessment import StartBackAnswers
from backcare.domain.questionnaires import PsfsAnswers, psfs_change, score_psfs, score_startback
from backcare.domain.serialize import startback_json
from backcare.domain.validation import InputError, parse_obj
from backcare.fhir.checks import check_resource
from backcare.fhir.codes import Refused
from backcare.fhir.questionnaires import (
    PSFS_MAX_ACTIVITIES,
    PSFS_NAME_MAX,
    item_index,
    kind_of,
    url,
)
from backcare.lib.timezones import local_today, zone

IMPORTABLE = ("startback", "psfs")
MAX_BODY = 200_000


class ImportRefused(Refused):
    """The response cannot be taken; `problems` names each item and what is allowed."""


def _decode(data: bytes | str | dict[str, Any]) -> dict[str, Any]:
    if isinstance(data, dict):
        return data
    if len(data) > MAX_BODY:
        raise ImportRefused([f"body: must be at most {MAX_BODY} bytes"], 413)
    try:
        raw = json.loads(data)
    except (ValueError, RecursionError):
        raise ImportRefused(["body: is not valid JSON"], 400) from None
    if not isinstance(raw, dict) or raw.get("resourceType") != "QuestionnaireResponse":
        raise ImportRefused(['resourceType: must be "QuestionnaireResponse"'], 400)
    return raw


def _where(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "resource"


def _validated(raw: dict[str, Any]) -> None:
    try:
        FhirResponse.model_validate(raw)
    except ValidationError as exc:
        raise ImportRefused(
            [f"{_where(e['loc'])}: {e['msg']}" for e in exc.errors(include_url=False)]
        ) from None
    except (ValueError, TypeError, RecursionError) as exc:
        raise ImportRefused([f"resource: {exc}"]) from None


def _kind(raw: dict[str, Any]) -> str:
    """Which questionnaire, once it passes our checks and is complete enough to score."""
    kind = kind_of(str(raw.get("questionnaire") or ""))
    if kind not in IMPORTABLE:
        allowed = " or ".join(url(k) for k in IMPORTABLE)
        raise ImportRefused([f"questionnaire: must be {allowed}, not {raw.get('questionnaire')!r}"])
    problems = check_resource(raw)
    if problems:
        raise ImportRefused(problems)
    if raw.get("status") not in ("completed", "amended"):
        raise ImportRefused(
            [f"status: must be completed or amended to be scored, not {raw.get('status')!r}"]
        )
    return kind


def _patient(actor: Any, raw: dict[str, Any]) -> Patient:
    """The subject, if the actor may write to their record; 404 otherwise."""
    subject = raw.get("subject")
    if subject is None:
        if staff_of(actor) is not None:
            raise ImportRefused(["subject: name the patient, as Patient/<id>"])
        return own_patient(actor)
    reference = str(subject.get("reference") or "")
    head, _, tail = reference.rpartition("/")
    if not head.endswith("Patient") or not (tail.isascii() and tail.isdigit() and len(tail) <= 18):
        raise ImportRefused([f"subject.reference: must be Patient/<id>, not {reference!r}"])
    return access_patient(actor, int(tail), write=True)


def _answer(item: dict[str, Any], problems: list[str]) -> dict[str, Any] | None:
    answers = item.get("answer") or []
    if len(answers) != 1:
        problems.append(f"item {item.get('linkId')}: needs exactly one answer, not {len(answers)}")
        return None
    return dict(answers[0])


def _startback(items: list[dict[str, Any]]) -> dict[str, Any]:
    index = item_index("startback")
    asked = [k for k, v in index.items() if not v.get("readOnly")]
    options = [o["valueCoding"]["code"] for o in index["q9"]["answerOption"]]
    problems: list[str] = []
    found: dict[str, Any] = {}
    for item in items:
        link = item.get("linkId")
        if link not in index:
            problems.append(f"item {link}: not an item of STarT Back (allowed: {', '.join(asked)})")
            continue
        if index[link].get("readOnly"):
            continue  # a score: backcare works it out again
        if link in found:
            problems.append(f"item {link}: appears more than once")
            continue
        answer = _answer(item, problems)
        if answer is None:
            continue
        if link == "q9":
            code = (answer.get("valueCoding") or {}).get("code")
            if code not in options:
                problems.append(
                    f"item q9: must be a valueCoding with code one of {', '.join(options)}"
                )
            found[link] = code
        else:
            value = answer.get("valueBoolean")
            if not isinstance(value, bool):
                problems.append(
                    f"item {link}: must be a valueBoolean (true: agree, false: disagree)"
                )
            found[link] = value
    problems += [f"item {k}: is required" for k in asked if k not in found]
    if problems:
        raise ImportRefused(problems)
    return found


def _psfs(items: list[dict[str, Any]]) -> dict[str, Any]:
    problems: list[str] = []
    rows: list[dict[str, Any]] = []
    for item in items:
        link = item.get("linkId")
        if link == "mean":
            continue
        if link != "activity":
            problems.append(
                f"item {link}: not an item of PSFS (allowed: activity, with "
                "activity.name and activity.rating)"
            )
            continue
        n = len(rows) + 1
        parts = {str(p.get("linkId")): p for p in item.get("item") or []}
        extra = sorted(set(parts) - {"activity.name", "activity.rating"})
        if extra:
            problems.append(
                f"item activity[{n}] {extra[0]}: allowed: activity.name, activity.rating"
            )
        name = rating = None
        if "activity.name" in parts and (a := _answer(parts["activity.name"], problems)):
            name = a.get("valueString")
        if "activity.rating" in parts and (a := _answer(parts["activity.rating"], problems)):
            rating = a.get("valueInteger")
        if not isinstance(name, str) or not 1 <= len(name.strip()) <= PSFS_NAME_MAX:
            problems.append(
                f"item activity[{n}] activity.name: must be a valueString of 1-{PSFS_NAME_MAX} "
                "characters"
            )
        if isinstance(rating, bool) or not isinstance(rating, int) or not 0 <= rating <= 10:
            problems.append(
                f"item activity[{n}] activity.rating: must be a valueInteger from 0 to 10, "
                f"not {rating!r}"
            )
        rows.append({"name": name.strip() if isinstance(name, str) else name, "rating": rating})
    if not rows and not problems:
        problems.append("item activity: is required (1 to 5 activities)")
    if len(rows) > PSFS_MAX_ACTIVITIES:
        problems.append(f"item activity: at most {PSFS_MAX_ACTIVITIES} activities, not {len(rows)}")
    if problems:
        raise ImportRefused(problems)
    return {"activities": rows}


def _score(
    kind: str, found: dict[str, Any], patient: Patient
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The answers as the domain's models and their score, by the site's own scoring."""
    try:
        if kind == "startback":
            answers = parse_obj(StartBackAnswers, found)
            return answers.model_dump(), startback_json(score_startback(answers))
        psfs = parse_obj(PsfsAnswers, found)
    except InputError as exc:
        raise ImportRefused(exc.problems) from None
    mean = score_psfs(psfs)
    score: dict[str, Any] = {"mean": mean}
    earlier = (
        QuestionnaireResponse.objects.filter(patient=patient, kind="psfs")
        .order_by("taken_on")
        .first()
    )
    if earlier is not None:
        score["meaningful_change"] = psfs_change(earlier.score["mean"], mean).meaningful
    return psfs.model_dump(), score


def _taken_on(raw: dict[str, Any], patient: Patient, now: datetime) -> Any:
    authored = raw.get("authored")
    if authored is None:
        return local_today(patient, now)
    try:
        moment = datetime.fromisoformat(str(authored).replace("Z", "+00:00"))
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise ImportRefused(["authored: must be a dateTime with a time and a UTC offset"])
    if moment > now:
        raise ImportRefused([f"authored: must not be in the future ({authored})"])
    return moment.astimezone(zone(patient.timezone)).date()


def import_questionnaire_response(
    actor: Any, data: bytes | str | dict[str, Any], *, now: datetime
) -> QuestionnaireResponse:
    """Store the response on the subject's record and return the stored row. Raises
    ImportRefused (with a 4xx status) or Http404."""
    raw = _decode(data)
    _validated(raw)
    kind = _kind(raw)
    patient = _patient(actor, raw)
    items = [i for i in raw.get("item") or [] if isinstance(i, dict)]
    found = _startback(items) if kind == "startback" else _psfs(items)
    answers, score = _score(kind, found, patient)
    taken_on = _taken_on(raw, patient, now)
    return do_record_questionnaire(
        actor, patient, kind, answers, score, taken_on=taken_on, now=now, source="fhir"
    )


__all__ = ["Http404", "ImportRefused", "import_questionnaire_response"]
