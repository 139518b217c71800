"""Headers every response needs, and clear refusals of request bodies that are too large and
of fields no form could hold."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers

from backcare.api import problems

# Pages that show a person's health data: never kept by the browser or anything in between, so
# the next person at a shared computer cannot bring them back with Back or from a cache.
HEALTH_PAGES = frozenset(
    {
        "today",
        "progress",
        "progress_chart",
        "result",
        "check_step",
        "check_in",
        "check_in_result",
        "handout_pdf",
        "calendar_ics",
        "export_data",
        "account_settings",
        "delete_account",
    }
)

# Nothing in backcare uses these; turning them off means no script, ours or injected, can ask.
# The ice and heat timer's sound, vibration and notifications are not governed by this header.
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"

Handler = Callable[[HttpRequest], HttpResponse]


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response["Permissions-Policy"] = PERMISSIONS_POLICY
        match = getattr(request, "resolver_match", None)
        if match is not None and match.url_name in HEALTH_PAGES:
            add_never_cache_headers(response)  # no-cache, no-store, must-revalidate, private
        return response


class RequestSizeMiddleware:
    """Refuses a body larger than DATA_UPLOAD_MAX_MEMORY_SIZE up front, by its Content-Length,
    with a page saying so (413). A body sent without a length is stopped by Django itself when
    read, and `backcare.views.bad_request` gives it the same page."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
            return too_large(request)
        return self.get_response(request)


class NullCharacterMiddleware:
    """Refuses a query or form field holding a NUL character (400, naming the field). No
    person types one; PostgreSQL cannot store one, so letting it through would be a 500 at
    whichever query first met it. Reading the form here parses nothing twice: Django keeps it."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            fields = [*request.GET.lists()]
            if request.method == "POST" and request.content_type in FORM_TYPES:
                fields += request.POST.lists()
        except (SuspiciousOperation, MultiPartParserError):
            return self.get_response(request)  # Django's own 400 and 413 handling answers
        for name, values in fields:
            if "\x00" in name or any("\x00" in v for v in values):
                shown = name.replace("\x00", "") or "(unnamed)"
                problem = f"{shown}: must not contain a NUL character"
                if problems.is_api(request):
                    field = {"field": shown, "message": "must not contain a NUL character"}
                    return problems.simple(400, problem, errors=[field])
                return render(request, "400.html", {"problems": [problem]}, status=400)
        return self.get_response(request)


FORM_TYPES = frozenset({"application/x-www-form-urlencoded", "multipart/form-data"})


def too_large(request: HttpRequest) -> HttpResponse:
    limit_kb = settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 1024
    if problems.is_api(request):
        # The API's callers are programs: the same problem shape as every other API error.
        allowed = f"must be at most {limit_kb} KiB"
        return problems.simple(
            413, f"body: {allowed}", errors=[{"field": "body", "message": allowed}]
        )
    return render(request, "too_large.html", {"limit_kb": limit_kb}, status=413)
