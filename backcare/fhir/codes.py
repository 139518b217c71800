"""The code systems, profiles and value sets backcare's FHIR resources use, in one place, so the
builders and the checks cannot disagree."""

from __future__ import annotations

from typing import Any

Resource = dict[str, Any]


class Refused(ValueError):
    """A request that cannot be answered: `problems` names each field and what is allowed,
    `status` is the 4xx to answer with."""

    def __init__(self, problems: list[str], status: int = 422) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems
        self.status = status


LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
UCUM = "http://unitsofmeasure.org"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
FLAG_CATEGORY = "http://terminology.hl7.org/CodeSystem/flag-category"
TIMEZONE_EXTENSION = "http://hl7.org/fhir/StructureDefinition/timezone"
MIN_VALUE = "http://hl7.org/fhir/StructureDefinition/minValue"
MAX_VALUE = "http://hl7.org/fhir/StructureDefinition/maxValue"

# backcare's own code systems and identifiers: URNs, since backcare has no one web address that
# every installation shares.
NS = "urn:backcare"
PATIENT_ID = f"{NS}:patient"
STAFF_ID = f"{NS}:staff"
CLINIC_ID = f"{NS}:clinic"
APPOINTMENT_ID = f"{NS}:appointment"
OBSERVATION_CODES = f"{NS}:observation"
EXERCISE_CODES = f"{NS}:exercise"
TREATMENT_CODES = f"{NS}:treatment"
TREATMENT_SETTINGS = f"{NS}:treatment-settings"
WARNING_SIGN_CODES = f"{NS}:warning-sign"
APPOINTMENT_TYPE_CODES = f"{NS}:appointment-type"
APPOINTMENT_KIND_CODES = f"{NS}:appointment-kind"
ANSWER_CODES = f"{NS}:answer"
QUESTIONNAIRE_BASE = f"{NS}:questionnaire"
TAKEN_ON = f"{NS}:taken-on"

PAIN_LOINC = "72514-3"
PAIN_DISPLAY = "Pain severity - 0-10 verbal numeric rating [Score] - Reported"
PHYSIOTHERAPIST_SNOMED = "36682004"

AU_CORE = "http://hl7.org.au/fhir/core/StructureDefinition"
PROFILES = {
    "Patient": f"{AU_CORE}/au-core-patient",
    "Practitioner": f"{AU_CORE}/au-core-practitioner",
    "PractitionerRole": f"{AU_CORE}/au-core-practitionerrole",
    "Organization": f"{AU_CORE}/au-core-organization",
    "Location": f"{AU_CORE}/au-core-location",
    "Procedure": f"{AU_CORE}/au-core-procedure",
}


def _set(words: str) -> frozenset[str]:
    return frozenset(words.split())


# The codes each status-like element may hold (FHIR R4's required bindings).
STATUSES: dict[str, dict[str, frozenset[str]]] = {
    "Observation": {
        "status": _set(
            "registered preliminary final amended corrected cancelled entered-in-error unknown"
        )
    },
    "Questionnaire": {"status": frozenset({"draft", "active", "retired", "unknown"})},
    "QuestionnaireResponse": {
        "status": frozenset({"in-progress", "completed", "amended", "entered-in-error", "stopped"})
    },
    "CarePlan": {
        "status": _set("draft active on-hold revoked completed entered-in-error unknown"),
        "intent": frozenset({"proposal", "plan", "order", "option"}),
    },
    "Procedure": {
        "status": _set(
            "preparation in-progress not-done on-hold stopped completed entered-in-error unknown"
        )
    },
    "Flag": {"status": frozenset({"active", "inactive", "entered-in-error"})},
    "Location": {
        "status": frozenset({"active", "suspended", "inactive"}),
        "mode": frozenset({"instance", "kind"}),
    },
    "Slot": {
        "status": frozenset(
            {"busy", "free", "busy-unavailable", "busy-tentative", "entered-in-error"}
        )
    },
    "Appointment": {
        "status": _set(
            "proposed pending booked arrived fulfilled cancelled noshow entered-in-error "
            "checked-in waitlist"
        )
    },
    "Bundle": {
        "type": _set(
            "document message transaction transaction-response batch batch-response history "
            "searchset collection"
        )
    },
    "Patient": {"gender": frozenset({"male", "female", "other", "unknown"})},
}
# Codes inside repeating parts: (resource type, path of lists and keys, element) -> codes.
NESTED_STATUSES: dict[tuple[str, tuple[str, ...], str], frozenset[str]] = {
    ("CarePlan", ("activity", "detail"), "status"): _set(
        "not-started scheduled in-progress on-hold completed cancelled stopped unknown "
        "entered-in-error"
    ),
    ("Appointment", ("participant",), "status"): frozenset(
        {"accepted", "declined", "tentative", "needs-action"}
    ),
    ("Appointment", ("participant",), "required"): frozenset(
        {"required", "optional", "information-only"}
    ),
    ("Bundle", ("entry", "search"), "mode"): frozenset({"match", "include", "outcome"}),
}

# The systems that must be spelled exactly so: a look-alike ("https://loinc.org", a trailing
# slash, an OID) is a different system to a receiver.
CANONICAL_SYSTEMS = {"loinc": LOINC, "snomed": SNOMED, "unitsofmeasure": UCUM}


def coding(system: str, code: str, display: str | None = None) -> Resource:
    out: Resource = {"system": system, "code": code}
    if display:
        out["display"] = display
    return out


def concept(
    system: str, code: str, display: str | None = None, text: str | None = None
) -> Resource:
    out: Resource = {"coding": [coding(system, code, display)]}
    if text:
        out["text"] = text
    return out


def meta(resource_type: str) -> Resource | None:
    profile = PROFILES.get(resource_type)
    return {"profile": [profile]} if profile else None


def fhir_id(text: str) -> str:
    """A FHIR id (letters, digits, '-' and '.', at most 64) from one of backcare's codes."""
    return text.replace("_", "-")[:64]
