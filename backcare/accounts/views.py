from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from backcare.accounts import ratelimit
from backcare.accounts.demo import CANNOT_CHANGE_PASSWORD, CANNOT_RESET_PASSWORD
from backcare.accounts.forms import EMAIL_TAKEN, ResetForm, SettingsForm, SignupForm
from backcare.accounts.models import User
from backcare.care.actions import do_claim_assessment, do_use_check
from backcare.care.models import AssessmentRecord
from backcare.domain.regions import codes, region
from backcare.lib.regions import SESSION_KEY
from backcare.lib.timezones import local_today


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("today")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = _saved(form)
        if user is None:
            return render(request, "registration/signup.html", {"form": form})
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        record = _anonymous_check(request)
        if record is None:
            messages.info(request, "Welcome. Take the check to get your plan.")
            return redirect("check_start")
        now = timezone.now()
        do_claim_assessment(user, record, now=now)
        do_use_check(user, record, today=local_today(user, now), now=now)
        if record.level in ("emergency", "urgent"):
            messages.success(request, "Your result is saved. Follow its advice first.")
        else:
            messages.success(request, "Your result is saved and your plan starts today.")
        return redirect("today")
    return render(request, "registration/signup.html", {"form": form})


def _anonymous_check(request: HttpRequest) -> AssessmentRecord | None:
    """The check whose "Save this result" button was pressed (its id rides in the link), else
    the latest one made in this browser: only ever one of this session's own checks."""
    ids = [i for i in request.session.get("assessment_ids", []) if isinstance(i, int)]
    if not ids:
        return None
    mine = AssessmentRecord.objects.filter(pk__in=ids, user__isnull=True)
    pressed = request.GET.get("check", "")
    if pressed.isascii() and pressed.isdigit():
        chosen = mine.filter(pk=int(pressed)).first()
        if chosen is not None:
            return chosen
    return mine.order_by("-pk").first()


@login_required
@require_http_methods(["GET", "POST"])
def settings_view(request: HttpRequest) -> HttpResponse:
    form = SettingsForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid() and _saved(form) is not None:
        messages.success(request, "Your settings are saved.")
        return redirect("account_settings")
    return render(request, "registration/settings.html", {"form": form})


@require_POST
def set_region(request: HttpRequest) -> HttpResponse:
    """Whose emergency numbers to show: saved on the account, or in the session before sign-up."""
    code = request.POST.get("region", "")
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = reverse("home")
    if code not in codes():
        messages.error(request, f"region: must be one of {', '.join(codes())}.")
        return redirect(target)
    if request.user.is_authenticated:
        User.objects.filter(pk=request.user.pk).update(region=code)
    else:
        request.session[SESSION_KEY] = code
    messages.success(request, f"Showing the phone numbers for {region(code).name}.")
    return redirect(target)


def _saved(form: Any) -> User | None:
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
