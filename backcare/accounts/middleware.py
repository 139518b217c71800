"""Show every time in the person's own time zone."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from backcare.care.timezones import user_zone


class PersonTimezoneMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # An unknown zone falls back to UTC rather than failing the page.
        timezone.activate(user_zone(request.user))
        return self.get_response(request)
