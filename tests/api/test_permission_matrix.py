"""Every API operation in the OpenAPI document, as each of seven callers: anonymous, the patient
(Maya), another patient (Sam), her physiotherapist (Priya), her clinic's receptionist (Rob),
another clinic's physiotherapist (Otto) and Maya's revoked token. Each operation has a policy;
an operation without one fails, so every route joins the matrix. Besides the status, no body may
show a marker its caller should not see (Maya's name, her physiotherapist's note, Sam's name).
"""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from backcare.api.main import api
from tests.api.world import MAYA_NAME, MAYA_NOTE, ROLES, SAM_NAME, World

pytestmark = pytest.mark.django_db

# "ok": the operation did its work or refused the input itself (2xx, 409, 422); "no": 404, as
# for something missing; "unauth": 401.
OK, NO, UNAUTH = "ok", "no", "unauth"
PATIENTS_ONLY = {"physio": NO, "receptionist": NO, "other physio": NO}
NOT_PATIENTS = {"patient": NO, "other patient": NO}
POLICIES: dict[str, dict[str, str]] = {
    "public": dict.fromkeys(ROLES, OK),
    # The caller's own care: each patient their own; staff have none.
    "own": {"patient": OK, "other patient": OK, **PATIENTS_ONLY},
    # The same, for what needs a clinic (Sam has none).
    "own, with a clinic": {"patient": OK, "other patient": NO, **PATIENTS_ONLY},
    # One of Maya's own records by its id.
    "maya's": {"patient": OK, "other patient": NO, **PATIENTS_ONLY},
    "staff": {**NOT_PATIENTS, "physio": OK, "receptionist": OK, "other physio": OK},
    "clinical staff": {**NOT_PATIENTS, "physio": OK, "receptionist": NO, "other physio": OK},
    # Maya's clinic's own things (its locations' slots): its staff only.
    "maya's clinic": {**NOT_PATIENTS, "physio": OK, "receptionist": OK, "other physio": NO},
    "maya's record": {**NOT_PATIENTS, "physio": OK, "receptionist": NO, "other physio": NO},
    "maya's contact": {**NOT_PATIENTS, "physio": OK, "receptionist": OK, "other physio": NO},
    # FHIR reads of Maya's record: Maya herself and her clinic's physiotherapists.
    "maya, or her physio": {
        "patient": OK,
        "other patient": NO,
        "physio": OK,
        "receptionist": NO,
        "other physio": NO,
    },
    # Who Maya is (the FHIR Patient): Maya and her clinic's staff, reception included.
    "maya, or her clinic": {
        "patient": OK,
        "other patient": NO,
        "physio": OK,
        "receptionist": OK,
        "other physio": NO,
    },
    # Any login may ask (an empty question is refused as such); anonymous callers get a 401.
    "any login": dict.fromkeys(ROLES, OK),
}
for _name, _rule in POLICIES.items():
    if _name != "public":
        _rule.update({"anonymous": UNAUTH, "revoked token": UNAUTH})

P = "/api/v1"
POLICY_OF: dict[tuple[str, str], str] = {
    ("post", f"{P}/triage"): "public",
    ("get", f"{P}/me/triage"): "own",
    ("get", f"{P}/me/plan"): "own",
    ("get", f"{P}/me/today"): "own",
    ("get", f"{P}/me/check-ins"): "own",
    ("post", f"{P}/me/check-ins"): "own",
    ("get", f"{P}/me/check-ins/{{check_in_id}}"): "maya's",
    ("get", f"{P}/me/progress"): "own",
    ("get", f"{P}/me/messages"): "own, with a clinic",
    ("post", f"{P}/me/messages"): "own, with a clinic",
    ("get", f"{P}/me/appointments"): "own",
    ("post", f"{P}/me/appointments"): "own",
    ("get", f"{P}/me/availability"): "own",
    ("post", f"{P}/me/appointments/{{appointment_id}}/move"): "maya's",
    ("post", f"{P}/me/appointments/{{appointment_id}}/cancel"): "maya's",
    ("get", f"{P}/clinic/queue"): "clinical staff",
    ("get", f"{P}/clinic/patients"): "staff",
    ("get", f"{P}/clinic/patients/{{patient_id}}"): "maya's contact",
    ("get", f"{P}/clinic/patients/{{patient_id}}/changes"): "maya's record",
    ("post", f"{P}/clinic/patients/{{patient_id}}/changes"): "maya's record",
    ("get", f"{P}/clinic/patients/{{patient_id}}/notes"): "maya's record",
    ("post", f"{P}/clinic/patients/{{patient_id}}/notes"): "maya's record",
    ("post", f"{P}/clinic/patients/{{patient_id}}/notes/{{note_id}}/sign"): "maya's record",
    ("get", f"{P}/clinic/locations"): "staff",
    ("get", f"{P}/clinic/availability"): "maya's clinic",
    ("get", f"{P}/clinic/appointments"): "staff",
    ("get", f"{P}/clinic/patients/{{patient_id}}/appointments"): "maya's contact",
    ("post", f"{P}/clinic/patients/{{patient_id}}/appointments"): "maya's contact",
    ("post", f"{P}/clinic/appointments/{{appointment_id}}/move"): "maya's contact",
    ("post", f"{P}/clinic/appointments/{{appointment_id}}/cancel"): "maya's contact",
    ("get", f"{P}/fhir/Patient/{{id}}/$everything"): "maya, or her physio",
    ("get", f"{P}/fhir/Patient/{{id}}/everything"): "maya, or her physio",
    ("get", f"{P}/fhir/me/$everything"): "own",
    ("get", f"{P}/fhir/{{type}}/{{id}}"): "maya, or her clinic",
    ("get", f"{P}/fhir/Slot"): "any login",
    ("post", f"{P}/fhir/QuestionnaireResponse"): "any login",
}

MAY_SEE: dict[str, set[str]] = {
    "anonymous": set(),
    "patient": {MAYA_NAME, MAYA_NOTE},
    "other patient": {SAM_NAME},
    "physio": {MAYA_NAME, MAYA_NOTE},
    "receptionist": {MAYA_NAME},
    "other physio": set(),
    "revoked token": set(),
}
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def operations() -> list[tuple[str, str]]:
    document = api.get_openapi_schema()
    return sorted(
        (method, path)
        for path, item in document["paths"].items()
        for method in item
        if method in ("get", "post", "put", "patch", "delete")
    )


def test_every_operation_in_the_openapi_document_has_a_policy() -> None:
    found = set(operations())
    assert not found - POLICY_OF.keys(), (
        f"operations with no policy: {sorted(found - POLICY_OF.keys())}"
    )
    assert not POLICY_OF.keys() - found, (
        f"policies for no operation: {sorted(POLICY_OF.keys() - found)}"
    )


def _request(world: World, method: str, path: str) -> tuple[str, dict[str, Any] | None]:
    """The URL with Maya's own ids, and a body the operation accepts the shape of."""
    url = (
        path.replace("{patient_id}", str(world.maya.patient.pk))
        .replace("{check_in_id}", str(world.check_in.pk))
        .replace("{appointment_id}", str(world.appointment.pk))
        .replace("{note_id}", str(world.note.pk))
        .replace("{type}", "Patient")
        .replace("{id}", str(world.maya.patient.pk))
    )
    where = f"location={world.c.location.pk}&appointment_type={world.follow_up.pk}"
    if url.endswith("/availability"):
        url += "?" + where
    past = (timezone.now() - timedelta(days=1)).isoformat()
    booking = {"location": world.c.location.pk, "appointment_type": world.follow_up.pk,
               "start": past}  # fmt: skip
    bodies: dict[str, Any] = {
        "/triage": json.loads((EXAMPLES / "self_care.json").read_text()),
        "/me/check-ins": {"pain_now": 3, "spasm_episodes": 1, "new_warning_signs": []},
        "/me/messages": {"body": "Hello from the matrix"},
        "/me/appointments": booking,
        "/move": {"start": past},
        "/changes": {"kind": "lock", "exercise": "*", "note": "from the matrix"},
        "/notes": {"subjective": "Seen in the matrix"},
        "/appointments": booking,
    }
    if method != "post":
        return url, None
    body = next((b for end, b in bodies.items() if path.endswith(end)), None)
    return url, body


def outcome(status: int) -> str:
    if status >= 500:
        return f"server error {status}"
    return {401: UNAUTH, 404: NO}.get(status, OK)


def test_every_cell_of_the_matrix(world: World) -> None:
    wrong: list[str] = []
    leaks: list[str] = []
    checked = 0
    for role in ROLES:
        client = world.client(role)
        for method, path in operations():
            policy = POLICY_OF[(method, path)]
            url, body = _request(world, method, path)
            if method == "post":
                response = client.post(url, json.dumps(body or {}), content_type="application/json")
            else:
                response = client.get(url)
            checked += 1
            got = outcome(response.status_code)
            if response.status_code >= 400:
                shape = "fhir+json" if "/fhir/" in path and response.status_code != 401 else None
                assert response["Content-Type"] == (
                    f"application/{shape}" if shape else "application/problem+json"
                ), url
            expected = POLICIES[policy][role]
            if got != expected or response.status_code == 403:
                detail = response.content.decode()[:200]
                wrong.append(f"{role:14} {method.upper():4} {url} ({policy}): {got} {detail}")
            text = response.content.decode(errors="replace")
            for marker in {MAYA_NAME, MAYA_NOTE, SAM_NAME} - MAY_SEE[role]:
                if marker in text:
                    leaks.append(f"{role} {method.upper()} {url} shows {marker!r}")
    assert checked >= 7 * len(POLICY_OF)
    assert not wrong, "\n".join(wrong)
    assert not leaks, "\n".join(leaks)


def test_the_markers_are_where_they_should_be(world: World) -> None:
    """The leak check can fail: those who may see a marker do see it through the API."""
    record = f"{P}/clinic/patients/{world.maya.patient.pk}"
    physio = world.client("physio").get(record).content.decode()
    assert MAYA_NAME in physio and MAYA_NOTE in physio
    desk = world.client("receptionist").get(record).content.decode()
    assert MAYA_NAME in desk and MAYA_NOTE not in desk
    assert MAYA_NOTE in world.client("patient").get(f"{P}/me/today").content.decode()
