"""How logins are throttled, in the database so that every server process agrees.

django-axes pauses logins to one account from one address after AXES_FAILURE_LIMIT wrong
passwords. That alone lets one password be tried across many accounts from one address, so
`AddressLimitBackend` also pauses every login from an address once it has had
BACKCARE_LOGIN_FAILURES_PER_ADDRESS wrong passwords, whichever accounts they were for.
"""

from __future__ import annotations

import math
from typing import Any

from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import PermissionDenied
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from backcare.accounts import ratelimit

# Longer than any user name can be (150), short enough for axes's own column (255).
USERNAME_MAX = 150
REFUSAL = "backcare_refusal"  # the request attribute a refused login carries to the middleware


def axes_username(request: HttpRequest, credentials: dict[str, Any] | None) -> str | None:
    """The user name a login tried, as axes records it, cut to the longest a name can be: axes
    stores it as given, and PostgreSQL refuses a longer value (a 500 for a 5,000-letter name)."""
    source = credentials if credentials else getattr(request, "POST", {})
    name = source.get("username")
    return name[:USERNAME_MAX] if isinstance(name, str) else None


class AddressLimitBackend:
    """Refuses every login from an address that has used up its wrong passwords. It never logs
    anyone in itself: when the address is fine, the next backend checks the password. (No
    `get_user`, so that no session is ever tied to this backend.)"""

    def authenticate(self, request: HttpRequest | None, **credentials: Any) -> None:
        if request is None:
            return None
        rule = ratelimit.limit("login-address")
        address = ratelimit.client_address(request)
        refusal = ratelimit.over(rule, address, now=timezone.now())
        if refusal is not None:
            setattr(request, REFUSAL, refusal)
            raise PermissionDenied("too many wrong passwords from this address")
        return None


@receiver(user_login_failed, dispatch_uid="backcare-count-failed-login-by-address")
def count_failed_login(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    # A login refused because the address is paused is not counted again: waiting must help.
    if request is None or getattr(request, REFUSAL, None) is not None:
        return
    rule = ratelimit.limit("login-address")
    ratelimit.record(rule, ratelimit.client_address(request), now=timezone.now())


def locked_out(
    request: HttpRequest, original_response: HttpResponse | None, credentials: Any = None
) -> HttpResponse:
    """django-axes's lockout page: HTTP 429 with Retry-After, the pause counted from now (each
    wrong password during a lockout starts the pause again)."""
    seconds = max(1, math.ceil(settings.AXES_COOLOFF_TIME * 3600))
    response = render(
        request,
        "registration/locked_out.html",
        {"minutes": math.ceil(seconds / 60)},
        status=429,
    )
    response["Retry-After"] = str(seconds)
    return response
