"""The API itself: one NinjaAPI under /api/v1/ with its routers, auth, errors and docs.

Another router joins with `api.add_router("/prefix", router)`; its operations get the same auth
(TokenAuth, SessionAuth), the same problem responses and `request.user`/`request.token_scopes`.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.datastructures import MultiValueDict
from ninja import NinjaAPI
from ninja.parser import Parser

from backcare.api import errors, openapi
from backcare.api.auth import AUTH
from backcare.api.body import _no_nul, json_body
from backcare.api.docs import Docs


class StrictParser(Parser):
    def parse_body(self, request: HttpRequest) -> Any:
        return json_body(request)

    def parse_querydict(
        self, data: MultiValueDict[str, Any], list_fields: list[str], request: HttpRequest
    ) -> dict[str, Any]:
        found = super().parse_querydict(data, list_fields, request)
        _no_nul(found, "")
        return found


class BackcareAPI(NinjaAPI):
    def get_openapi_schema(self, **kwargs: Any) -> Any:
        return openapi.finish(super().get_openapi_schema(**kwargs))

    def get_openapi_operation_id(self, operation: Any) -> str:
        # "me_cancel", "clinic_cancel": unique across the routers.
        module = str(operation.view_func.__module__).rsplit(".", 1)[-1]
        return f"{module}_{operation.view_func.__name__}"


def build() -> NinjaAPI:
    api = BackcareAPI(
        title="backcare API",
        version="1",
        description=(
            "The patient's own care (/me), the clinic's work (/clinic) and the triage without "
            "an account. Errors are RFC 9457 problem details. See docs/api.md."
        ),
        urls_namespace="api-v1",
        auth=AUTH,
        parser=StrictParser(),
        docs=Docs(),
        docs_url="/docs",
        openapi_url="/openapi.json",
    )
    errors.register(api)
    from backcare.api import clinic, me, public
    from backcare.fhir.api import router as fhir_router

    api.add_router("", public.router)
    api.add_router("/me", me.router)
    api.add_router("/clinic", clinic.router)
    api.add_router("/fhir", fhir_router)
    return api


api = build()
