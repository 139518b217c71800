"""Our checks pass every resource backcare builds, and each check catches the resource broken
the way it looks for (so none of them can pass silently)."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest
from fhir.resources.R4B import get_fhir_model_class
from fhir.resources.R4B.bundle import Bundle

from backcare.fhir.checks import check_bundle, check_resource
from backcare.fhir.questionnaires import questionnaire
from tests.fhir.samples import TYPES, sample_bundle

Break = Callable[[dict[str, Any]], None]


def first(b: dict[str, Any], kind: str, id_prefix: str = "") -> dict[str, Any]:
    return next(
        e["resource"]
        for e in b["entry"]
        if e["resource"]["resourceType"] == kind and e["resource"]["id"].startswith(id_prefix)
    )


def test_the_samples_hold_every_resource_type_we_export() -> None:
    assert {e["resource"]["resourceType"] for e in sample_bundle()["entry"]} == TYPES


def test_every_sample_passes_fhir_resources_and_our_checks() -> None:
    b = sample_bundle()
    assert check_bundle(b) == []
    Bundle.model_validate(b)
    for e in b["entry"]:
        r = e["resource"]
        get_fhir_model_class(r["resourceType"]).model_validate(r)
        assert check_resource(r) == [], r["resourceType"]


def _set(kind: str, key: str, value: Any, prefix: str = "") -> Break:
    def apply(b: dict[str, Any]) -> None:
        first(b, kind, prefix)[key] = value

    return apply


def _pain_system(b: dict[str, Any]) -> None:
    first(b, "Observation", "pain-")["code"]["coding"][0]["system"] = "https://loinc.org"


def _pain_not_loinc(b: dict[str, Any]) -> None:
    first(b, "Observation", "pain-")["code"] = {"coding": [{"system": "urn:x", "code": "pain"}]}


def _no_system(b: dict[str, Any]) -> None:
    first(b, "Flag")["code"]["coding"][0].pop("system")


def _snomed(b: dict[str, Any]) -> None:
    first(b, "PractitionerRole")["code"][0]["coding"][0]["system"] = "http://snomed.info/sct/"


def _plan_period(b: dict[str, Any]) -> None:
    first(b, "CarePlan")["period"] = {"start": "2026-12-05", "end": "2026-12-01"}


def _horizon(b: dict[str, Any]) -> None:
    first(b, "Schedule")["planningHorizon"]["end"] = "2025-01-01"


def _swap(kind: str, prefix: str = "") -> Break:
    def apply(b: dict[str, Any]) -> None:
        r = first(b, kind, prefix)
        r["start"], r["end"] = r["end"], r["start"]

    return apply


def _bare_time(b: dict[str, Any]) -> None:
    r = first(b, "Appointment")
    r["start"] = r["start"][:19]


def _dangling(b: dict[str, Any]) -> None:
    first(b, "Procedure")["recorder"] = {"reference": "Practitioner/999"}


def _no_questionnaire(b: dict[str, Any]) -> None:
    b["entry"] = [
        e
        for e in b["entry"]
        if not (e["resource"]["resourceType"] == "Questionnaire" and e["resource"]["id"] == "psfs")
    ]


def _odi_text(b: dict[str, Any]) -> None:
    first(b, "Questionnaire", "odi")["item"][1]["text"] = "I can look after myself normally"


def _odi_wording(b: dict[str, Any]) -> None:
    odi = first(b, "QuestionnaireResponse", "q-11")
    odi["item"][0]["answer"] = [{"valueString": "Pain is very mild at the moment"}]


def _activity_status(b: dict[str, Any]) -> None:
    first(b, "CarePlan")["activity"][0]["detail"]["status"] = "doing"


def _participant(b: dict[str, Any]) -> None:
    first(b, "Appointment")["participant"][1]["status"] = "maybe"


def _twice(b: dict[str, Any]) -> None:
    b["entry"].append(copy.deepcopy(b["entry"][0]))


def _full_url(b: dict[str, Any]) -> None:
    b["entry"][1]["fullUrl"] = "https://clinic.example/api/v1/fhir/Organization/2"


def _pain_range(b: dict[str, Any]) -> None:
    first(b, "Observation", "pain-")["valueInteger"] = 11


BROKEN: list[tuple[str, Break, str]] = [
    ("observation status", _set("Observation", "status", "bogus"), "status: 'bogus' is not one"),
    ("questionnaire status", _set("Questionnaire", "status", "live"), "status: 'live'"),
    ("response status", _set("QuestionnaireResponse", "status", "finished"), "'finished'"),
    ("care plan status", _set("CarePlan", "status", "running"), "status: 'running'"),
    ("care plan intent", _set("CarePlan", "intent", "wish"), "intent: 'wish'"),
    ("activity status", _activity_status, "activity[0].detail.status: 'doing'"),
    ("procedure status", _set("Procedure", "status", "done"), "status: 'done'"),
    ("flag status", _set("Flag", "status", "open"), "status: 'open'"),
    ("location status", _set("Location", "status", "open"), "status: 'open'"),
    ("location mode", _set("Location", "mode", "building"), "mode: 'building'"),
    ("slot status", _set("Slot", "status", "available"), "status: 'available'"),
    ("appointment status", _set("Appointment", "status", "confirmed"), "status: 'confirmed'"),
    ("participant status", _participant, "participant[1].status: 'maybe'"),
    ("patient gender", _set("Patient", "gender", "f"), "gender: 'f'"),
    ("bundle type", lambda b: b.update(type="bag"), "type: 'bag'"),
    ("care plan period", _plan_period, "period: starts (2026-12-05) after it ends"),
    ("schedule horizon", _horizon, "planningHorizon: starts"),
    ("appointment times", _swap("Appointment"), "must be before end"),
    ("slot times", _swap("Slot", "appt-"), "must be before end"),
    ("appointment offset", _bare_time, "start: must be an instant with a UTC offset"),
    ("pain system", _pain_system, "system: must be http://loinc.org"),
    ("pain code", _pain_not_loinc, "must be coded LOINC 72514-3"),
    ("pain range", _pain_range, "whole number 0-10, not 11"),
    ("coding system", _no_system, "a coding needs a system and a code"),
    ("snomed system", _snomed, "must be http://snomed.info/sct"),
    ("reference", _dangling, "'Practitioner/999' is not in the Bundle"),
    ("questionnaire", _no_questionnaire, "questionnaire: 'urn:backcare:questionnaire:psfs'"),
    ("odi item text", _odi_text, "ODI item text is licensed"),
    ("odi answer wording", _odi_wording, "ODI answers are section scores 0-5 only"),
    ("entry twice", _twice, "appears twice"),
    ("full url", _full_url, "fullUrl must end with /Organization/1"),
    ("id", _set("Flag", "id", "has space"), "id: must be 1-64 letters"),
]


@pytest.mark.parametrize(("what", "breaks", "found"), BROKEN, ids=[b[0] for b in BROKEN])
def test_each_check_catches_its_broken_resource(what: str, breaks: Break, found: str) -> None:
    b = copy.deepcopy(sample_bundle())
    breaks(b)
    problems = check_bundle(b)
    assert any(found in p for p in problems), (what, problems)


def test_fhir_resources_alone_accepts_what_our_checks_refuse() -> None:
    """Why the checks exist: a bogus status, a period backwards and a dangling reference all
    pass fhir.resources' own validation."""
    b = copy.deepcopy(sample_bundle())
    for breaks in (_set("Observation", "status", "bogus"), _plan_period, _dangling):
        breaks(b)
    Bundle.model_validate(b)
    assert len(check_bundle(b)) >= 3


def test_no_questionnaire_holds_odi_item_wording() -> None:
    odi = questionnaire("odi")
    assert all("answerOption" not in item for item in odi["item"])
    assert check_resource(odi) == []


def test_a_resource_that_is_not_an_object_is_a_problem_not_an_error() -> None:
    assert check_resource([]) == ["resource: must be a JSON object with a resourceType"]
    assert check_bundle("x") == ["resource: must be a JSON object with a resourceType"]


def test_every_type_the_api_reads_is_documented() -> None:
    from pathlib import Path

    from backcare.fhir.reads import READERS

    doc = (Path(__file__).resolve().parents[2] / "docs" / "api.md").read_text()
    fhir_part = doc[doc.index("## FHIR R4") :]
    missing = [t for t in READERS if f"| {t} " not in fhir_part and f"{t}, " not in fhir_part]
    assert not missing, f"document these in docs/api.md, FHIR R4: {missing}"
