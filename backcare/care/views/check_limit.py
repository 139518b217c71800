"""The rate limit on checks saved without an account, around the check's step view.

Every check saved anonymously counts against the network address. Only the last step is ever
refused: a check that finds an emergency or urgent sign ends early, on an earlier step, and that
advice must never wait behind a limit.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from urllib.parse import urlsplit

from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve
from django.utils import timezone

from backcare.accounts import ratelimit
from backcare.care.forms_check import STEPS

View = Callable[..., HttpResponse]
LAST_STEP = STEPS[-1].slug


def limit_anonymous_checks(view: View) -> View:
    @wraps(view)
    def limited(request: HttpRequest, step: str) -> HttpResponse:
        if request.method != "POST" or request.user.is_authenticated:
            return view(request, step=step)
        rule = ratelimit.limit("check")
        address = ratelimit.client_address(request)
        now = timezone.now()
        if step == LAST_STEP:
            refusal = ratelimit.over(rule, address, now=now)
            if refusal is not None:
                return ratelimit.refused(request, refusal)
        response = view(request, step=step)
        if _saved_a_check(response):
            ratelimit.record(rule, address, now=now)
        return response

    return limited


def _saved_a_check(response: HttpResponse) -> bool:
    """The check answers with a redirect to the new result once it has saved one."""
    if response.status_code != 302:
        return False
    try:
        return resolve(urlsplit(response["Location"]).path).url_name == "result"
    except Resolver404:
        return False
