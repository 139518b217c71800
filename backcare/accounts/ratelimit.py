"""Rate limits kept in the database, so that every server process counts the same requests.

A limit allows `count` requests per key (a network address, an e-mail address) within a sliding
window of `per`. Each counted request is one `RateLimitHit` row; the key is stored as a keyed hash,
never as the address itself. A refused request gets a plain page and HTTP 429 with Retry-After.

Two ways to count: `hit()` counts the request and refuses it when that makes one too many (the
refused one is not kept, so waiting always helps); `over()` only looks, for limits counted
after the fact (a failed login, a check that was saved).
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from backcare.accounts.models import RateLimitHit


@dataclass(frozen=True)
class Limit:
    scope: str
    count: int
    per: timedelta
    # The refusal page's words: what there were too many of, and what the person can do.
    what: str
    advice: str


# (what, advice) for each limit in settings.BACKCARE_RATE_LIMITS.
WORDS = {
    "check": (
        "Too many checks have been saved from your network in the last hour.",
        "Your answers so far are kept: send them again in a little while. Logging in lifts "
        "this limit.",
    ),
    "reset-address": (
        "Too many password resets have been asked for from your network in the last hour.",
        "If you asked for one, look for the e-mail (and in your spam folder) before asking again.",
    ),
    "reset-email": (
        "Too many password resets have been asked for this e-mail address in the last hour.",
        "If you asked for one, look for the e-mail (and in your spam folder) before asking again.",
    ),
    "login-address": (
        "Too many wrong passwords have been tried from your network.",
        "Logging in from here is paused for a while to keep everyone's accounts safe. If you "
        "have forgotten your password, you can reset it.",
    ),
}


@dataclass(frozen=True)
class Refusal:
    limit: Limit
    retry_after: int  # seconds until one more request will be allowed


def limit(scope: str) -> Limit:
    """The limit named in settings.BACKCARE_RATE_LIMITS (read per call, so tests can change it)."""
    count, seconds = settings.BACKCARE_RATE_LIMITS[scope]
    what, advice = WORDS[scope]
    return Limit(scope, count, timedelta(seconds=seconds), what, advice)


def _key(scope: str, value: str) -> str:
    secret = settings.SECRET_KEY.encode()
    return hmac.new(secret, f"{scope}\0{value}".encode(), hashlib.sha256).hexdigest()


def _recent(rule: Limit, key: str, now: datetime) -> list[datetime]:
    since = now - rule.per
    rows = RateLimitHit.objects.filter(scope=rule.scope, key=key, at__gt=since, at__lte=now)
    return sorted(rows.values_list("at", flat=True))


def _refusal(rule: Limit, times: list[datetime], now: datetime) -> Refusal:
    """One more is allowed once the oldest counted request leaves the window."""
    frees_at = times[-rule.count] + rule.per if len(times) >= rule.count else now
    return Refusal(rule, max(1, math.ceil((frees_at - now).total_seconds())))


def over(rule: Limit, value: str, *, now: datetime) -> Refusal | None:
    """A refusal if `value` has used up `rule` already; nothing is counted."""
    times = _recent(rule, _key(rule.scope, value), now)
    return _refusal(rule, times, now) if len(times) >= rule.count else None


def record(rule: Limit, value: str, *, now: datetime) -> None:
    """Count one request, and forget this scope's requests that have left the window."""
    RateLimitHit.objects.filter(scope=rule.scope, at__lte=now - rule.per).delete()
    RateLimitHit.objects.create(scope=rule.scope, key=_key(rule.scope, value), at=now)


def hit(rule: Limit, value: str, *, now: datetime) -> Refusal | None:
    """Count this request; refuse it (and not count it) if it is one too many.

    Counting first and then reading the count means two processes at once can only both be
    refused, never both let through past the limit.
    """
    record(rule, value, now=now)
    key = _key(rule.scope, value)
    times = _recent(rule, key, now)
    if len(times) <= rule.count:
        return None
    mine = RateLimitHit.objects.filter(scope=rule.scope, key=key, at=now).order_by("-pk")
    RateLimitHit.objects.filter(pk__in=mine.values("pk")[:1]).delete()
    return _refusal(rule, times[:-1], now)


def client_address(request: HttpRequest) -> str:
    """The address the request came from. Behind BACKCARE_TRUSTED_PROXIES proxies, each of which
    appends the address it was reached from to X-Forwarded-For, it is that many from the end;
    anything unparseable falls back to the direct peer. django-axes uses this too."""
    peer = str(request.META.get("REMOTE_ADDR") or "")
    proxies = settings.BACKCARE_TRUSTED_PROXIES
    if not proxies:
        return peer
    chain = [p.strip() for p in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",")]
    chain = [p for p in chain if p]
    if not chain:
        return peer
    candidate = chain[-proxies] if len(chain) >= proxies else chain[0]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return peer


def refused(request: HttpRequest, refusal: Refusal) -> HttpResponse:
    """The page for a refused request: what happened, when to try again, and a way on."""
    minutes = max(1, math.ceil(refusal.retry_after / 60))
    response = render(
        request,
        "rate_limited.html",
        {"refusal": refusal, "minutes": minutes},
        status=429,
    )
    response["Retry-After"] = str(refusal.retry_after)
    return response
