"""A patient's own account: signing up (with the check they just took), settings, and whose
emergency numbers to show. The login itself (password, e-mail) is `accounts`; the patient record
it opens is `care`."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from backcare.accounts.backends import PATH
from backcare.accounts.forms import SettingsForm, SignupForm
from backcare.accounts.views import saved
from backcare.care.access import me, patient_for
from backcare.care.actions import do_claim_assessment, do_sign_up, do_use_check
from backcare.care.forms_account import PatientSettingsForm
from backcare.care.invites import invited_patient
from backcare.care.models import AssessmentRecord, Patient
from backcare.domain.regions import codes, region
from backcare.lib.regions import SESSION_KEY
from backcare.lib.timezones import local_today


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = saved(form)
        if user is None:
            return render(request, "registration/signup.html", {"form": form})
        now = timezone.now()
        invited = _invited(request)
        if invited is not None:
            # A clinic set up this record before the person had a login: it becomes theirs.
            Patient.objects.filter(pk=invited.pk, user__isnull=True).update(user=user)
            patient = Patient.objects.get(pk=invited.pk)
        else:
            patient = do_sign_up(user, timezone=form.cleaned_data["timezone"], now=now)
        chosen = request.session.get(SESSION_KEY)
        if isinstance(chosen, str) and chosen in codes():
            Patient.objects.filter(pk=patient.pk).update(region=chosen)
        login(request, user, backend=PATH)
        record = _anonymous_check(request)
        onward = _onward(request)
        if record is None:
            if onward:  # they signed up on the way somewhere (booking): carry on there
                messages.success(request, "Your account is ready.")
                return redirect(onward)
            messages.info(request, "Welcome. Take the check to get your plan.")
            return redirect("check_start")
        do_claim_assessment(user, patient, record, now=now)
        do_use_check(user, patient, record, today=local_today(patient, now), now=now)
        if record.level in ("emergency", "urgent"):
            messages.success(request, "Your result is saved. Follow its advice first.")
            return redirect("today")
        messages.success(request, "Your result is saved and your plan starts today.")
        return redirect(onward or "today")
    return render(request, "registration/signup.html", {"form": form})


def _onward(request: HttpRequest) -> str:
    """Where the person was going when they chose to sign up (the booking page keeps its
    choices in this link), if it is one of this site's own pages; else nothing."""
    target = request.GET.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


def _invited(request: HttpRequest) -> Patient | None:
    token = request.GET.get("invite", "")
    return invited_patient(token) if token else None


def _anonymous_check(request: HttpRequest) -> AssessmentRecord | None:
    """The check whose "Save this result" button was pressed (its id rides in the link), else
    the latest one made in this browser: only ever one of this session's own checks."""
    ids = [i for i in request.session.get("assessment_ids", []) if isinstance(i, int)]
    if not ids:
        return None
    mine = AssessmentRecord.objects.filter(pk__in=ids, patient__isnull=True)
    pressed = request.GET.get("check", "")
    if pressed.isascii() and pressed.isdigit():
        chosen = mine.filter(pk=int(pressed)).first()
        if chosen is not None:
            return chosen
    return mine.order_by("-pk").first()


@login_required
@require_http_methods(["GET", "POST"])
def settings_view(request: HttpRequest) -> HttpResponse:
    """The login's e-mail address, and the patient record's time zone and region, in one form."""
    patient = patient_for(request, now=timezone.now())
    data = request.POST or None
    form = SettingsForm(data, instance=request.user)
    place = PatientSettingsForm(data, instance=patient) if patient is not None else None
    valid = request.method == "POST" and form.is_valid() and (place is None or place.is_valid())
    if valid and saved(form) is not None:
        if place is not None:
            place.save()
        messages.success(request, "Your settings are saved.")
        return redirect("account_settings")
    context = {"form": form, "place": place, "patient": patient}
    return render(request, "registration/settings.html", context)


@require_POST
def set_region(request: HttpRequest) -> HttpResponse:
    """Whose emergency numbers to show: saved on the record, or in the session before sign-up."""
    code = request.POST.get("region", "")
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = reverse("home")
    if code not in codes():
        messages.error(request, f"region: must be one of {', '.join(codes())}.")
        return redirect(target)
    if request.user.is_authenticated and getattr(request, "patient", None) is not None:
        Patient.objects.filter(pk=me(request).pk).update(region=code)
    else:
        request.session[SESSION_KEY] = code
    messages.success(request, f"Showing the phone numbers for {region(code).name}.")
    return redirect(target)
