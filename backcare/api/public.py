"""The triage without an account: the CLI's assessment JSON in, the level, its reasons with their
sources and the emergency number out. Nothing is stored (the site's own check stores, with
consent, when a person signs up)."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router

from backcare.api import openapi, throttle
from backcare.api.body import json_body
from backcare.api.responses import ERRORS
from backcare.api.schemas import PublicTriageOut
from backcare.domain.assessment import Assessment
from backcare.domain.serialize import triage_json
from backcare.domain.triage import triage as run_triage
from backcare.domain.validation import parse_obj
from backcare.lib.regions import person_region

router = Router(tags=["triage"])


@router.post(
    "/triage",
    auth=None,
    response={200: PublicTriageOut, **ERRORS},
    openapi_extra=openapi.body(Assessment),
    summary="Triage an assessment (no account needed)",
)
def triage(request: HttpRequest, region: str = "") -> PublicTriageOut:
    """`region` (AU, GB, ...) picks whose emergency number to show; else the caller's
    Accept-Language, else the site's default."""
    throttle.check(request, who=None, now=timezone.now())
    answers = parse_obj(Assessment, json_body(request))
    result = run_triage(answers)
    place = person_region(
        None, chosen=region[:8], accept_language=request.META.get("HTTP_ACCEPT_LANGUAGE", "")
    )
    return PublicTriageOut.model_validate(
        {
            "triage": triage_json(result),
            "emergency": {
                "region": place.code,
                "name": place.name,
                "emergency": place.emergency,
                "advice_line": place.advice_line,
                "advice_number": place.advice_number,
            },
        }
    )
