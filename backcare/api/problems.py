"""RFC 9457 problem details: every error the API gives has this one shape.

`{"type", "title", "status", "detail", "errors": [{"field", "message"}]}` as
`application/problem+json`. This module needs only Django, so the site's middleware can answer
API requests in the same shape before any view runs.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpResponse

MEDIA_TYPE = "application/problem+json"
TYPE_BASE = "https://backcare.example/problems/"

TITLES = {
    400: "Bad request",
    401: "Not signed in",
    403: "Not allowed",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    413: "Request too large",
    422: "Invalid input",
    429: "Too many requests",
    500: "Server error",
    503: "Service unavailable",
}
SLUGS = {
    400: "bad-request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    409: "conflict",
    413: "too-large",
    422: "invalid",
    429: "rate-limited",
    500: "server-error",
    503: "unavailable",
}


@dataclass
class Problem(Exception):
    """Raise it anywhere in the API: the handler turns it into the response."""

    status: int
    detail: str
    errors: list[dict[str, str]] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)
    slug: str = ""

    def __str__(self) -> str:
        return self.detail


def field_errors(problems: list[str]) -> list[dict[str, str]]:
    """The domain's lines, "field: what is allowed", as `errors` entries."""
    out = []
    for line in problems:
        name, sep, message = line.partition(": ")
        if not sep or len(name) > 60:
            out.append({"field": "", "message": line})
        else:
            out.append({"field": name.strip(), "message": message.strip()})
    return out


def response(problem: Problem) -> HttpResponse:
    status = problem.status
    body: dict[str, Any] = {
        "type": TYPE_BASE + (problem.slug or SLUGS.get(status, "error")),
        "title": TITLES.get(status, "Error"),
        "status": status,
        "detail": problem.detail,
        "errors": problem.errors,
        **problem.extra,
    }
    out = HttpResponse(json.dumps(body), status=status, content_type=MEDIA_TYPE)
    for name, value in problem.headers.items():
        out[name] = value
    out["Cache-Control"] = "no-store"
    return out


def simple(status: int, detail: str, **kw: Any) -> HttpResponse:
    return response(Problem(status, detail, **kw))


def is_api(request: Any) -> bool:
    return str(getattr(request, "path", "")).startswith("/api/")
