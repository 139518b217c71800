"""What ninja's OpenAPI document cannot say by itself: errors are application/problem+json, and
some request bodies are the domain's own strict models (validated by the domain, which names
each field), described here from those models' JSON Schema."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from backcare.api.problems import MEDIA_TYPE

REF = "#/components/schemas/{model}"
_BODIES: dict[str, tuple[type[BaseModel], tuple[str, ...]]] = {}


def body(model: type[BaseModel], *, name: str = "", without: tuple[str, ...] = ()) -> Any:
    """`openapi_extra` for an operation whose JSON body is `model` (less `without` fields)."""
    name = name or model.__name__
    _BODIES[name] = (model, without)
    return {
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": {"$ref": REF.format(model=name)}}},
        }
    }


def _schemas() -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, (model, without) in _BODIES.items():
        schema = model.model_json_schema(ref_template=REF)
        out.update(schema.pop("$defs", {}))
        for field in without:
            schema.get("properties", {}).pop(field, None)
            if field in schema.get("required", []):
                schema["required"].remove(field)
        schema["title"] = name
        out[name] = schema
    return out


# Answers that come before the API's own code: the site's middleware refuses a NUL character in
# a query or a body over the size limit with a problem (400, 413), and the web server refuses a
# request line longer than it reads (414) before backcare sees the request at all.
_BEFORE_THE_API = {
    "400": "A query or field holds a NUL character (problem details), or the request is not valid",
    "413": "The body is too large (problem details)",
}
_URI_TOO_LONG = "The address is too long: the web server refuses it before backcare reads it"


def _before_the_api(responses: dict[str, Any]) -> None:
    for status, why in _BEFORE_THE_API.items():
        answer = responses.setdefault(status, {"description": why})
        answer.setdefault("content", {}).setdefault(MEDIA_TYPE, {"schema": {"type": "object"}})
    responses.setdefault("414", {"description": _URI_TOO_LONG})


def finish(document: dict[str, Any]) -> dict[str, Any]:
    components = document.setdefault("components", {}).setdefault("schemas", {})
    for name, schema in _schemas().items():
        components.setdefault(name, schema)
    for path in document.get("paths", {}).values():
        for operation in path.values():
            for status, answer in operation.get("responses", {}).items():
                content = answer.get("content", {})
                if int(status) >= 400 and "application/json" in content:
                    answer["content"] = {MEDIA_TYPE: content["application/json"]}
                    if int(status) == 429:
                        answer["headers"] = {
                            "Retry-After": {
                                "description": "Seconds to wait before trying again.",
                                "schema": {"type": "string"},
                            }
                        }
            _before_the_api(operation.setdefault("responses", {}))
    return document
