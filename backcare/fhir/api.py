"""The FHIR R4 endpoints, as a django-ninja Router to mount under the API (`/api/v1/fhir/`).

    GET  /Patient/{id}/$everything   the patient's record as a searchset Bundle (also /everything)
    GET  /me/$everything             the logged-in patient's own Bundle
    GET  /{type}/{id}                one resource (docs/api.md lists the types and ids)
    POST /QuestionnaireResponse      import a STarT Back or PSFS (needs the "write" scope)

Responses are `application/fhir+json`; every refusal is an OperationOutcome with a 4xx status:
404 for what is missing and for another person's data alike. The acting user is
`request.user`, set by the API's authentication.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

import pydantic_core
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Query, Router

from backcare.fhir.codes import Refused, Resource
from backcare.fhir.export import bundle, own_bundle, patient_bundle
from backcare.fhir.importer import import_questionnaire_response
from backcare.fhir.reads import find_slots, pk, read_resource
from backcare.fhir.record import questionnaire_response

FHIR_JSON = "application/fhir+json"
router = Router(tags=["FHIR"])

_RESOURCE = {"content": {FHIR_JSON: {"schema": {"type": "object"}}}}


def _documented(ok: int, summary: str, *, body: bool = False) -> dict[str, Any]:
    """The OpenAPI for an endpoint whose responses are FHIR JSON (ninja cannot infer it)."""
    responses = {
        str(ok): {"description": summary, **_RESOURCE},
        "400": {"description": "Not a FHIR resource (OperationOutcome)", **_RESOURCE},
        "404": {"description": "Missing, or not yours to see (OperationOutcome)", **_RESOURCE},
    }
    # What the API's own layers answer before this router runs: problem details (RFC 9457).
    problem = {"content": {"application/problem+json": {"schema": {"type": "object"}}}}
    for status, why in (
        ("401", "No valid token or session"),
        ("403", "The token lacks the scope"),
        ("413", "The body is too large"),
        ("422", "A parameter is not valid"),
        ("429", "Too many requests; see Retry-After"),
    ):
        responses[status] = {"description": why, **problem}
    if body:
        responses["403"] = {"description": "The token lacks the write scope", **_RESOURCE}
        responses["422"] = {
            "description": "Refused, naming each item (OperationOutcome)",
            **_RESOURCE,
        }
        return {
            "responses": responses,
            "requestBody": {
                "required": True,
                "content": {
                    FHIR_JSON: {"schema": {"type": "object"}},
                    "application/json": {"schema": {"type": "object"}},
                },
            },
        }
    return {"responses": responses}


def fhir_response(data: Resource, status: int = 200, **headers: str) -> HttpResponse:
    response = HttpResponse(pydantic_core.to_json(data), content_type=FHIR_JSON, status=status)
    for name, value in headers.items():
        response[name] = value
    return response


ISSUE_CODES = {
    400: "structure",
    403: "forbidden",
    404: "not-found",
    413: "too-long",
    422: "invalid",
}


def outcome(status: int, problems: list[str]) -> HttpResponse:
    """An OperationOutcome: one issue per problem."""
    code = ISSUE_CODES.get(status, "processing")
    issues = [{"severity": "error", "code": code, "diagnostics": p} for p in problems]
    return fhir_response({"resourceType": "OperationOutcome", "issue": issues}, status)


def refusals(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Missing and forbidden both as a 404 OperationOutcome; refused input as its 4xx."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except Http404:
            return outcome(404, ["not found"])
        except Refused as exc:
            return outcome(exc.status, exc.problems)

    return wrapper


def _base(request: HttpRequest, suffix: str) -> str:
    """The FHIR base URL this request came through (for the Bundle's fullUrls)."""
    path = request.path
    cut = path.rfind(suffix)
    return request.build_absolute_uri(path[:cut] if cut >= 0 else path).rstrip("/")


@router.get(
    "/Patient/{id}/$everything",
    operation_id="fhir_patient_everything",
    summary="A patient's record as a FHIR Bundle",
    openapi_extra=_documented(200, "A searchset Bundle"),
)
@refusals
def everything(request: HttpRequest, id: str) -> HttpResponse:
    now = timezone.now()
    base = _base(request, f"/Patient/{id}/")
    return fhir_response(patient_bundle(request.user, pk(id), now=now, base=base))


@router.get(
    "/Patient/{id}/everything",
    operation_id="fhir_patient_everything_alias",
    summary="The same as $everything, for clients that cannot send a $",
    openapi_extra=_documented(200, "A searchset Bundle"),
)
@refusals
def everything_alias(request: HttpRequest, id: str) -> HttpResponse:
    return everything(request, id)


@router.get(
    "/me/$everything",
    operation_id="fhir_me_everything",
    summary="The logged-in patient's own record as a FHIR Bundle",
    openapi_extra=_documented(200, "A searchset Bundle"),
)
@refusals
def my_everything(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    return fhir_response(own_bundle(request.user, now=now, base=_base(request, "/me/")))


@router.post(
    "/QuestionnaireResponse",
    operation_id="fhir_import_questionnaire_response",
    summary="Import a STarT Back or PSFS filled in another system",
    openapi_extra=_documented(201, "The stored QuestionnaireResponse", body=True),
)
@refusals
def import_response(request: HttpRequest) -> HttpResponse:
    if "write" not in getattr(request, "token_scopes", {"read", "write"}):
        return outcome(403, ["this token may only read: a write needs the write scope"])
    now = timezone.now()
    row = import_questionnaire_response(request.user, request.body, now=now)
    resource = questionnaire_response(row, row.patient.timezone, _author_of(row))
    base = _base(request, "/QuestionnaireResponse")
    return fhir_response(resource, 201, Location=f"{base}/QuestionnaireResponse/{resource['id']}")


def _author_of(row: Any) -> Resource:
    from backcare.fhir.export import People, author_ref

    return author_ref(row, People())


@router.get(
    "/Slot",
    operation_id="fhir_find_slots",
    summary="Free Slots of one Schedule for one appointment type (at most 14 days)",
    openapi_extra=_documented(200, "A searchset Bundle of free Slots"),
)
@refusals
def slots(
    request: HttpRequest,
    schedule: str = "",
    service_type: str = Query("", alias="service-type"),
    start: str | None = None,
    end: str | None = None,
) -> HttpResponse:
    now = timezone.now()
    schedule_id = schedule.removeprefix("Schedule/")
    found = find_slots(schedule_id, service_type, start=start, end=end, now=now)
    base = _base(request, "/Slot")
    return fhir_response(bundle(found, base=base, now=now))


@router.get(
    "/{type}/{id}",
    operation_id="fhir_read",
    summary="One FHIR resource by type and id",
    openapi_extra=_documented(200, "The resource"),
)
@refusals
def read(request: HttpRequest, type: str, id: str) -> HttpResponse:
    return fhir_response(read_resource(request.user, type, id, now=timezone.now()))
