from __future__ import annotations

from typing import Any

from django.contrib.auth import views as auth_views
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from backcare.accounts import ratelimit
from backcare.accounts.demo import CANNOT_CHANGE_PASSWORD, CANNOT_RESET_PASSWORD
from backcare.accounts.forms import EMAIL_TAKEN, ResetForm
from backcare.accounts.models import User


def saved(form: Any) -> User | None:
    """Save the form; an address taken by another account a moment ago (the database's unique
    constraint) becomes the same message the form gives, not an error page."""
    try:
        with transaction.atomic():
            user: User = form.save()
    except IntegrityError:
        form.add_error("email", EMAIL_TAKEN)
        return None
    return user


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset, rate-limited per network address and per e-mail address (in the database,
    so every server process counts the same); never for the demo account."""

    form_class = ResetForm

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        now = timezone.now()
        address = ratelimit.client_address(request)
        refusal = ratelimit.hit(ratelimit.limit("reset-address"), address, now=now)
        email = str(request.POST.get("email", "")).strip().casefold()
        if refusal is None and email:
            refusal = ratelimit.hit(ratelimit.limit("reset-email"), email, now=now)
        if refusal is not None:
            return ratelimit.refused(request, refusal)
        response: HttpResponse = super().post(request, *args, **kwargs)
        return response


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """A reset link never sets the demo account's password (none is ever sent for it)."""

    def form_valid(self, form: Any) -> HttpResponse:
        if form.user.is_demo:
            context = {"form": None, "validlink": True, "refusal": CANNOT_RESET_PASSWORD}
            return render(self.request, self.template_name, context, status=403)
        response: HttpResponse = super().form_valid(form)
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's password change, refused for the demo account."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if user.is_authenticated and getattr(user, "is_demo", False):
            status = 403 if request.method == "POST" else 200
            context = {"refusal": CANNOT_CHANGE_PASSWORD}
            return render(request, self.template_name, context, status=status)
        response: HttpResponse = super().dispatch(request, *args, **kwargs)
        return response


class LogoutView(auth_views.LogoutView):
    """Logging out is a POST (a link or an image must not log anyone out); a GET shows a page
    with the button, instead of Django's empty 405."""

    http_method_names = ("get", "post", "options")  # type: ignore[assignment]

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return render(request, "registration/logout.html")
