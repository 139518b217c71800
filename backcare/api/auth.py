"""Who is calling: a personal access token (`Authorization: Bearer bc_…`) or the site's own
session (writes then need the CSRF token, as the pages do).

Either way the acting login becomes `request.user`, so the guards in care/access.py and
clinic/guards.py decide exactly as they do for the pages; a staff member's token acts as that
staff member, so it reaches their own clinic's patients only. `request.token_scopes` is a
frozenset of "read"/"write" (a session has both). Every request is counted per address and per
token or login (throttle.py).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from ninja.security import APIKeyCookie, HttpBearer

from backcare.api import throttle, tokens
from backcare.api.models import READ, SCOPES, WRITE
from backcare.api.problems import Problem
from backcare.care.access import staff_of
from backcare.care.middleware import patient_of
from backcare.clinic.guards import second_factor_done

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
ALL_SCOPES = frozenset(SCOPES)


def require_scope(request: Any, scope: str) -> None:
    """A 403 problem unless the caller's token carries `scope` ("read" or "write")."""
    if scope not in getattr(request, "token_scopes", frozenset()):
        raise Problem(
            403,
            f"This token may not {'change' if scope == WRITE else 'read'} anything: "
            f"it lacks the {scope} scope.",
            errors=[{"field": "scope", "message": f"needs {scope}"}],
        )


def _needed(request: HttpRequest) -> str:
    return READ if request.method in SAFE_METHODS else WRITE


def unauthenticated(detail: str) -> Problem:
    return Problem(401, detail, headers={"WWW-Authenticate": 'Bearer realm="backcare"'})


class TokenAuth(HttpBearer):
    """A personal access token. A malformed, unknown or revoked one is a 401 at once (never
    "try the session instead"), so a revoked token never quietly works."""

    def __call__(self, request: HttpRequest) -> Any:
        header = request.headers.get("Authorization")
        if not header:
            return None
        scheme, _, value = header.partition(" ")
        if scheme.lower() != "bearer" or not value.strip():
            raise unauthenticated("Authorization: must be 'Bearer <token>'.")
        return self.authenticate(request, value.strip())

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        now = timezone.now()
        row = tokens.find(token, now=now)
        # Counted before refusing: guessing tokens uses up the address's minute too.
        throttle.check(request, who=None if row is None else f"token:{row.pk}", now=now)
        if row is None:
            raise unauthenticated("The token is unknown or revoked.")
        request.user = row.user
        request.patient = patient_of(row.user)  # type: ignore[attr-defined]
        request.token_scopes = frozenset(row.scopes) & ALL_SCOPES  # type: ignore[attr-defined]
        request.api_token = row  # type: ignore[attr-defined]
        require_scope(request, _needed(request))
        return row.user


class SessionAuth(APIKeyCookie):
    """The site's own login cookie. Staff must have passed their second factor, as for the
    clinic's pages; a write must carry the CSRF token (X-CSRFToken header)."""

    param_name = settings.SESSION_COOKIE_NAME

    def __init__(self) -> None:
        super().__init__(csrf=False)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = request.user
        if not user.is_authenticated:
            return None
        if staff_of(user) is not None and not second_factor_done(request):
            raise unauthenticated("Staff sessions need the second factor first.")
        if request.method not in SAFE_METHODS:
            from ninja.utils import check_csrf

            if check_csrf(request) is not None:
                raise Problem(
                    403,
                    "A write from the site's session needs its CSRF token.",
                    errors=[{"field": "X-CSRFToken", "message": "send the csrftoken cookie"}],
                )
        throttle.check(request, who=f"user:{user.pk}", now=timezone.now())
        request.token_scopes = ALL_SCOPES  # type: ignore[attr-defined]
        return user


token_auth = TokenAuth()
session_auth = SessionAuth()
AUTH = [token_auth, session_auth]
