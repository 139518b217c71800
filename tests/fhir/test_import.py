"""Importing a STarT Back or PSFS filled in another system: scored by the domain's own code and
stored by the questionnaire action; every refusal names the item and what is allowed, and
nothing is saved; only the patient or their clinic's physiotherapist may."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.http import Http404
from django.utils import timezone

from backcare.care.models import Action, AuditEvent, QuestionnaireResponse
from backcare.domain.assessment import StartBackAnswers
from backcare.domain.questionnaires import score_startback
from backcare.fhir.importer import ImportRefused, import_questionnaire_response
from backcare.fhir.questionnaires import url
from tests.web.people import Clinic, clinic_for, person, signed_up

pytestmark = [pytest.mark.django_db, pytest.mark.db]


def startback(**answers: Any) -> dict[str, Any]:
    values: dict[str, Any] = {f"q{i}": i in (1, 5, 6, 7) for i in range(1, 9)} | {"q9": "very_much"}
    values |= answers
    items = [
        {"linkId": k, "answer": [{"valueCoding": {"system": "urn:backcare:answer", "code": v}}]}
        if k == "q9"
        else {"linkId": k, "answer": [{"valueBoolean": v}]}
        for k, v in values.items()
    ]
    return {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": url("startback"),
        "status": "completed",
        "item": items,
    }


def psfs(patient_id: int, *ratings: Any) -> dict[str, Any]:
    groups = [
        {
            "linkId": "activity",
            "item": [
                {"linkId": "activity.name", "answer": [{"valueString": f"Activity {n}"}]},
                {"linkId": "activity.rating", "answer": [{"valueInteger": r}]},
            ],
        }
        for n, r in enumerate(ratings, start=1)
    ]
    return {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": url("psfs"),
        "status": "completed",
        "subject": {"reference": f"Patient/{patient_id}"},
        "authored": timezone.now().isoformat(),
        "item": groups,
    }


@pytest.fixture
def c() -> Clinic:
    maya, _ = person("maya", zone="Australia/Melbourne")
    sam = signed_up("sam")
    return clinic_for(maya, sam)


def maya(c: Clinic) -> Any:
    return c.clinic.patients.get(user__username="maya")


def test_a_patient_imports_their_own_start_back_scored_by_the_domain(c: Clinic) -> None:
    patient = maya(c)
    row = import_questionnaire_response(patient.user, json.dumps(startback()), now=timezone.now())
    expected = score_startback(StartBackAnswers.model_validate(row.answers))
    assert (row.patient, row.kind, row.source) == (patient, "startback", "fhir")
    assert row.score == {
        "total": expected.total,
        "distress": expected.distress,
        "risk": expected.risk.value,
    }
    assert row.score["risk"] == "high"  # 5, 6, 7 and q9 very much: distress 4
    assert AuditEvent.objects.filter(patient=patient, action=Action.QUESTIONNAIRE_RECORDED).exists()


def test_a_physiotherapist_imports_a_psfs_for_a_patient_of_their_clinic(c: Clinic) -> None:
    patient = maya(c)
    row = import_questionnaire_response(c.priya, psfs(patient.pk, 4, 7), now=timezone.now())
    assert row.score == {"mean": 5.5}
    assert row.recorded_by == c.priya
    assert row.answers["activities"][1] == {"name": "Activity 2", "rating": 7}


def _swap_q3(body: dict[str, Any]) -> None:
    body["item"][2]["answer"] = [{"valueString": "agree"}]


def _q9(body: dict[str, Any]) -> None:
    body["item"][8]["answer"][0]["valueCoding"]["code"] = "a_lot"


def _unknown(body: dict[str, Any]) -> None:
    body["item"].append({"linkId": "q10", "answer": [{"valueBoolean": True}]})


def _missing(body: dict[str, Any]) -> None:
    del body["item"][4]


def _in_progress(body: dict[str, Any]) -> None:
    body["status"] = "in-progress"


def _odi(body: dict[str, Any]) -> None:
    body["questionnaire"] = url("odi")


def _fhir_type(body: dict[str, Any]) -> None:
    body["item"][0]["answer"] = [{"valueInteger": "many"}]


def _bogus_status(body: dict[str, Any]) -> None:
    body["status"] = "bogus"


def _future(body: dict[str, Any]) -> None:
    body["authored"] = (timezone.now() + timedelta(days=2)).isoformat()


Refusal = tuple[str, Callable[[dict[str, Any]], None], str]
REFUSED: list[Refusal] = [
    ("q3 not a boolean", _swap_q3, "item q3: must be a valueBoolean"),
    ("q9 not an option", _q9, "item q9: must be a valueCoding with code one of not_at_all"),
    ("unknown item", _unknown, "item q10: not an item of STarT Back (allowed: q1"),
    ("missing item", _missing, "item q5: is required"),
    ("not completed", _in_progress, "status: must be completed or amended"),
    ("not importable", _odi, "questionnaire: must be urn:backcare:questionnaire:startback"),
    ("fhir type", _fhir_type, "item[0].answer[0].valueInteger"),
    ("status value set", _bogus_status, "status: 'bogus' is not one of"),
    ("authored later", _future, "authored: must not be in the future"),
]


@pytest.mark.parametrize(("what", "breaks", "message"), REFUSED, ids=[r[0] for r in REFUSED])
def test_a_refused_start_back_names_the_item_and_saves_nothing(
    c: Clinic, what: str, breaks: Callable[[dict[str, Any]], None], message: str
) -> None:
    body = startback()
    breaks(body)
    with pytest.raises(ImportRefused) as refused:
        import_questionnaire_response(maya(c).user, json.dumps(body), now=timezone.now())
    assert any(message in p for p in refused.value.problems), refused.value.problems
    assert 400 <= refused.value.status < 500
    assert not QuestionnaireResponse.objects.exists()


@pytest.mark.parametrize(
    ("ratings", "message"),
    [
        ((11,), "item activity[1] activity.rating: must be a valueInteger from 0 to 10, not 11"),
        ((4, -1), "item activity[2] activity.rating: must be a valueInteger from 0 to 10, not -1"),
        ((), "item activity: is required (1 to 5 activities)"),
        ((1, 2, 3, 4, 5, 6), "item activity: at most 5 activities, not 6"),
    ],
)
def test_a_refused_psfs_names_the_activity_and_saves_nothing(
    c: Clinic, ratings: tuple[int, ...], message: str
) -> None:
    with pytest.raises(ImportRefused) as refused:
        import_questionnaire_response(c.priya, psfs(maya(c).pk, *ratings), now=timezone.now())
    assert message in refused.value.problems
    assert not QuestionnaireResponse.objects.exists()


@pytest.mark.parametrize("text", ["", "{", "[]", '{"resourceType": "Patient"}', "1" * 10])
def test_what_is_not_a_questionnaire_response_is_a_400(c: Clinic, text: str) -> None:
    with pytest.raises(ImportRefused) as refused:
        import_questionnaire_response(c.priya, text, now=timezone.now())
    assert refused.value.status == 400


@pytest.mark.parametrize("who", ["sam", "otto", "rob"])
def test_it_refuses_another_patients_or_clinics_record_as_missing(c: Clinic, who: str) -> None:
    actor = {"sam": c.clinic.patients.get(user__username="sam").user, "otto": c.otto, "rob": c.rob}[
        who
    ]
    with pytest.raises(Http404):
        import_questionnaire_response(actor, psfs(maya(c).pk, 5), now=timezone.now())
    assert not QuestionnaireResponse.objects.exists()


def test_staff_must_name_the_patient(c: Clinic) -> None:
    with pytest.raises(ImportRefused) as refused:
        import_questionnaire_response(c.priya, startback(), now=timezone.now())
    assert refused.value.problems == ["subject: name the patient, as Patient/<id>"]
