"""Every exception the API can meet, as a problem response (problems.py): never a 500 page."""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from backcare.api.problems import Problem, field_errors, response
from backcare.clinic.booking_actions import BookingRefused, SlotTaken
from backcare.domain.validation import InputError

log = logging.getLogger(__name__)
PLACES = ("body", "query", "path", "header", "cookie", "form")


def _where(loc: tuple[Any, ...] | list[Any]) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] in PLACES:
        parts = parts[1:]
    # ninja names the body parameter itself ("payload"); the caller knows only its fields.
    if len(parts) > 1 and parts[0] in ("payload", "filters"):
        parts = parts[1:]
    return ".".join(parts)


def _validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = [
        {"field": _where(e.get("loc", ())), "message": str(e.get("msg", "is not valid"))}
        for e in exc.errors
    ]
    named = ", ".join(sorted({e["field"] for e in errors if e["field"]})) or "the request"
    return response(Problem(422, f"Check {named}.", errors=errors))


def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if isinstance(exc, AuthenticationError):
        return response(
            Problem(
                401,
                "Send 'Authorization: Bearer <token>', or sign in on the site.",
                headers={"WWW-Authenticate": 'Bearer realm="backcare"'},
            )
        )
    status = exc.status_code if 400 <= exc.status_code < 500 else 400
    return response(Problem(status, str(exc.message)))


def _slot_taken(request: HttpRequest, exc: SlotTaken) -> HttpResponse:
    slots = [
        {
            "start": s.start.isoformat(),
            "end": s.end.isoformat(),
            "practitioner_ids": list(s.practitioner_ids),
        }
        for s in exc.next_slots[:10]
    ]
    return response(
        Problem(
            409,
            str(exc),
            errors=[{"field": "start", "message": "that time was just taken"}],
            extra={"next_slots": slots},
            slug="slot-taken",
        )
    )


def _refused(request: HttpRequest, exc: BookingRefused) -> HttpResponse:
    status = 422 if exc.status == 400 else exc.status
    return response(Problem(status, "; ".join(exc.problems), errors=field_errors(exc.problems)))


def _input(request: HttpRequest, exc: InputError) -> HttpResponse:
    return response(Problem(422, "; ".join(exc.problems), errors=field_errors(exc.problems)))


def _database_unavailable(request: HttpRequest, exc: Exception) -> HttpResponse:
    """The database could not be reached (a restart, a failover, a full pool): 503 with
    Retry-After, as the site's pages answer, because trying again shortly will work and nothing
    was saved (each write is one transaction). Not the 500 of a bug."""
    from backcare.views import RETRY_AFTER_SECONDS

    log.warning("API request at %s: database unavailable: %s", request.path, exc)
    return response(
        Problem(
            503,
            "The database could not be reached just now; nothing was saved. Try again shortly.",
            headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
        )
    )


def _unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    log.exception("API error at %s", request.path, exc_info=exc)
    return response(Problem(500, "Something went wrong on our side; nothing was saved."))


def register(api: NinjaAPI) -> None:
    api.add_exception_handler(Problem, lambda r, e: response(e))
    api.add_exception_handler(ValidationError, _validation)
    api.add_exception_handler(HttpError, _http_error)
    api.add_exception_handler(
        Http404, lambda r, e: response(Problem(404, "Not found (or not yours to see)."))
    )
    api.add_exception_handler(
        PermissionDenied, lambda r, e: response(Problem(403, str(e) or "Not allowed."))
    )
    api.add_exception_handler(SlotTaken, _slot_taken)
    api.add_exception_handler(BookingRefused, _refused)
    api.add_exception_handler(InputError, _input)
    api.add_exception_handler(OperationalError, _database_unavailable)
    api.add_exception_handler(InterfaceError, _database_unavailable)
    api.add_exception_handler(Exception, _unexpected)
