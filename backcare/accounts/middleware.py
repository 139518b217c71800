"""The page for a refused login."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from backcare.accounts import ratelimit
from backcare.accounts.throttle import REFUSAL


class RateLimitedLoginMiddleware:
    """A login refused by `throttle.AddressLimitBackend` (on any login form: the site's or the
    admin's) is answered with the rate-limited page instead of "wrong password"."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        refusal = getattr(request, REFUSAL, None)
        return ratelimit.refused(request, refusal) if refusal is not None else response
