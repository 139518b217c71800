"""Who may use the clinic side: staff of a clinic, signed in with their second factor.

Every clinic page is wrapped in `staff_required`. It asks for a login (else the login page), a
staff role (else a 404: the clinic side does not exist for patients), and a verified second
factor (else the page that asks for the authenticator code, or sets one up the first time).
`clinical=True` pages are for physiotherapists only: a receptionist gets a 404 there. Patient
records inside a page still go through `care.access.access_patient`.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from backcare.care.access import staff_of

View = Callable[..., HttpResponse]


def second_factor_done(request: HttpRequest) -> bool:
    verified = getattr(request.user, "is_verified", None)
    return bool(verified and verified())


def staff_required(view: View | None = None, *, clinical: bool = False, admin: bool = False) -> Any:
    def decorate(inner: View) -> View:
        @wraps(inner)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            staff = staff_of(request.user)
            if staff is None:
                raise Http404("no such page")
            if not second_factor_done(request):
                target = (
                    reverse("staff_verify") + "?" + urlencode({"next": request.get_full_path()})
                )
                return redirect(target)
            if clinical and not staff.clinical:
                raise Http404("no such page")
            if admin and not staff.is_admin:
                raise Http404("no such page")
            request.staff = staff  # type: ignore[attr-defined]
            return inner(request, *args, **kwargs)

        return wrapper

    return decorate(view) if view is not None else decorate
