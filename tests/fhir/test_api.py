"""The FHIR endpoints, mounted on a test API as the real one mounts them: FHIR JSON, the
guards' 404s as OperationOutcomes (never a 500), and the write scope for imports."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client, RequestFactory
from django.utils import timezone

from backcare.care.models import CheckIn, QuestionnaireResponse
from backcare.fhir import api
from backcare.fhir.checks import check_bundle, check_resource
from tests.fhir.test_import import psfs, startback
from tests.web.people import Clinic, clinic_for, logged_in, person, signed_up

pytestmark = [pytest.mark.django_db, pytest.mark.db, pytest.mark.urls("tests.fhir.urls")]
FHIR = "/api/v1/fhir"


@pytest.fixture
def c() -> Clinic:
    maya, _ = person("maya", zone="Australia/Melbourne")
    sam = signed_up("sam")
    clinic = clinic_for(maya, sam)
    CheckIn.objects.create(
        patient=maya.patient,
        date=maya.patient.created_at.date(),
        pain_now=5,
        spasm_episodes=2,
        exercises_done=[],
        created_at=timezone.now(),
    )
    return clinic


def patient_of(c: Clinic, name: str) -> Any:
    return c.clinic.patients.get(user__username=name)


def fhir(response: Any) -> dict[str, Any]:
    assert response["Content-Type"] == "application/fhir+json"
    return json.loads(response.content)


def test_the_physiotherapist_gets_the_everything_bundle(c: Clinic) -> None:
    maya = patient_of(c, "maya")
    for path in (f"{FHIR}/Patient/{maya.pk}/$everything", f"{FHIR}/Patient/{maya.pk}/everything"):
        response = logged_in(c.priya).get(path)
        assert response.status_code == 200
        b = fhir(response)
        assert check_bundle(b) == []
        assert b["entry"][0]["fullUrl"] == f"http://testserver{FHIR}/Patient/{maya.pk}"


def test_a_patient_gets_their_own_bundle_from_me(c: Clinic) -> None:
    maya = patient_of(c, "maya")
    b = fhir(logged_in(maya.user).get(f"{FHIR}/me/$everything"))
    assert b["entry"][0]["resource"]["id"] == str(maya.pk)
    assert any(e["resource"]["id"].startswith("pain-") for e in b["entry"])


def test_one_resource_by_type_and_id(c: Clinic) -> None:
    maya = patient_of(c, "maya")
    pain = CheckIn.objects.get(patient=maya)
    r = fhir(logged_in(c.priya).get(f"{FHIR}/Observation/pain-{pain.pk}"))
    assert (r["valueInteger"], check_resource(r)) == (5, [])
    assert fhir(logged_in(maya.user).get(f"{FHIR}/Questionnaire/odi"))["status"] == "active"


@pytest.mark.parametrize("who", ["sam", "otto", "rob"])
def test_another_patient_another_clinic_and_reception_get_404_for_clinical_data(
    c: Clinic, who: str
) -> None:
    maya = patient_of(c, "maya")
    actor = {"sam": patient_of(c, "sam").user, "otto": c.otto, "rob": c.rob}[who]
    pain = CheckIn.objects.get(patient=maya)
    for path in (
        f"/Patient/{maya.pk}/$everything",
        f"/Observation/pain-{pain.pk}",
        f"/CarePlan/{maya.plans.get().pk}",
    ):
        response = logged_in(actor).get(FHIR + path)
        assert response.status_code == 404, path
        assert fhir(response)["resourceType"] == "OperationOutcome"


def test_reception_reads_who_the_patient_is_but_another_clinic_does_not(c: Clinic) -> None:
    maya = patient_of(c, "maya")
    assert logged_in(c.rob).get(f"{FHIR}/Patient/{maya.pk}").status_code == 200
    assert logged_in(c.otto).get(f"{FHIR}/Patient/{maya.pk}").status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/Nonsense/1",
        "/Patient/99999999999999999999999",
        "/Patient/-1",
        "/Observation/pain-x",
        "/Slot/1-2-3-20261301T0000Z",
        "/Patient/abc/$everything",
        "/Flag/1-%00",
    ],
)
def test_what_does_not_exist_is_a_404_outcome_never_a_500(c: Clinic, path: str) -> None:
    response = logged_in(c.priya).get(FHIR + path)
    assert response.status_code == 404
    assert fhir(response)["issue"][0]["code"] == "not-found"


def test_an_import_is_stored_and_answered_with_the_resource(c: Clinic) -> None:
    maya = patient_of(c, "maya")
    response = logged_in(c.priya).post(
        f"{FHIR}/QuestionnaireResponse",
        json.dumps(psfs(maya.pk, 3, 6)),
        content_type="application/fhir+json",
    )
    assert response.status_code == 201
    body = fhir(response)
    row = QuestionnaireResponse.objects.get()
    assert response["Location"].endswith(f"/QuestionnaireResponse/q-{row.pk}")
    assert body["id"] == f"q-{row.pk}" and check_resource(body) == []


def test_a_refused_import_is_a_422_outcome_naming_the_item(c: Clinic) -> None:
    body = startback()
    body["item"][2]["answer"] = [{"valueString": "yes"}]
    response = logged_in(patient_of(c, "maya").user).post(
        f"{FHIR}/QuestionnaireResponse", json.dumps(body), content_type="application/fhir+json"
    )
    assert response.status_code == 422
    issues = fhir(response)["issue"]
    assert any("item q3" in i["diagnostics"] for i in issues)
    assert not QuestionnaireResponse.objects.exists()


def test_a_body_that_is_not_json_is_a_400(c: Clinic) -> None:
    response = logged_in(c.priya).post(
        f"{FHIR}/QuestionnaireResponse", "{not json", content_type="application/fhir+json"
    )
    assert response.status_code == 400


def test_a_read_only_token_cannot_import(c: Clinic) -> None:
    request = RequestFactory().post(
        f"{FHIR}/QuestionnaireResponse", json.dumps(startback()), content_type="application/json"
    )
    request.user = patient_of(c, "maya").user
    request.token_scopes = {"read"}  # type: ignore[attr-defined]
    response = api.import_response(request)
    assert response.status_code == 403
    assert not QuestionnaireResponse.objects.exists()


def test_anonymous_callers_are_refused_by_the_apis_auth(c: Clinic) -> None:
    assert Client().get(f"{FHIR}/Questionnaire/odi").status_code == 401


def test_the_openapi_document_describes_fhir_json() -> None:
    from tests.fhir.urls import api as test_api

    paths = test_api.get_openapi_schema()["paths"]
    assert f"{FHIR}/Patient/{{id}}/$everything" in paths
    read = paths[f"{FHIR}/{{type}}/{{id}}"]["get"]
    assert "application/fhir+json" in read["responses"]["200"]["content"]
    assert read["tags"] == ["FHIR"]


def test_an_imported_start_back_shows_its_score_on_the_record_page(c: Clinic) -> None:
    from django.test import override_settings
    from django.urls import reverse

    from tests.web.people import staff_client

    maya = patient_of(c, "maya")
    logged_in(maya.user).post(
        f"{FHIR}/QuestionnaireResponse", json.dumps(startback()), content_type="application/json"
    )
    score = QuestionnaireResponse.objects.get().score
    with override_settings(ROOT_URLCONF="backcare.urls"):
        page = staff_client(c.priya).get(reverse("clinic_patient", args=[maya.pk]))
    assert f"{score['total']} / 9 ({score['risk']} risk)" in page.content.decode()
