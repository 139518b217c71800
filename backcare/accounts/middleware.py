"""Per-request helpers: the person's own time zone, and the page for a refused login."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from backcare.accounts import ratelimit
from backcare.accounts.throttle import REFUSAL
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


class RateLimitedLoginMiddleware:
    """A login refused by `throttle.AddressLimitBackend` (on any login form: the site's or the
    admin's) is answered with the rate-limited page instead of "wrong password"."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        refusal = getattr(request, REFUSAL, None)
        return ratelimit.refused(request, refusal) if refusal is not None else response
