"""A staff member's second factor: a code from their authenticator app at each login."""

from __future__ import annotations

import base64

import segno
from django import forms
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from backcare.care.access import staff_of


class CodeForm(forms.Form):
    code = forms.RegexField(
        label="The 6-digit code from your authenticator app",
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": "Enter the 6 digits your authenticator app shows now."},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse("clinic_home")


@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if staff_of(request.user) is None:
        raise Http404("no such page")
    device = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
    if device is None:
        return redirect(reverse("staff_setup_second_factor") + "?next=" + _next(request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"].strip()):
            otp_login(request, device)
            return redirect(_next(request))
        form.add_error("code", "That code is not right, or it has expired. Try the current one.")
    return render(request, "clinic/verify.html", {"form": form, "next": _next(request)})


@require_http_methods(["GET", "POST"])
def setup(request: HttpRequest) -> HttpResponse:
    """The first time: add backcare to an authenticator app (a QR code, or the key typed in),
    then prove it works with one code. Until then no clinic page opens."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if staff_of(request.user) is None:
        raise Http404("no such page")
    if TOTPDevice.objects.filter(user=request.user, confirmed=True).exists():
        return redirect(reverse("staff_verify") + "?next=" + _next(request))
    device, _ = TOTPDevice.objects.get_or_create(
        user=request.user, confirmed=False, defaults={"name": "Authenticator app"}
    )
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"].strip()):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            return redirect(_next(request))
        form.add_error(
            "code", "That code is not right. Check the app shows backcare, then try again."
        )
    qr = segno.make(device.config_url, error="m")
    context = {
        "form": form,
        "next": _next(request),
        "qr": qr.svg_data_uri(scale=4, dark="#1b1f24"),
        "secret": base64.b32encode(device.bin_key).decode().rstrip("="),
    }
    return render(request, "clinic/setup_second_factor.html", context)
