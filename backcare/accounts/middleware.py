"""Show every time in the person's own time zone, for this request only."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from backcare.lib.timezones import user_zone


class PersonTimezoneMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # An unknown zone falls back to UTC rather than failing the page. The zone is a
        # thread-local: deactivate it afterwards, or the next request served by this thread
        # (another person's, or a test's) would inherit it.
        timezone.activate(user_zone(request.user))
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
