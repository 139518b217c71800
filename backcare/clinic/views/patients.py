"""A clinic adds a patient who has no login yet, and invites them to sign up later."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from backcare.accounts.models import StaffMember
from backcare.care.access import access_patient
from backcare.care.invites import INVITE_DAYS, invite_token
from backcare.care.models import Action, AuditEvent, Patient
from backcare.clinic.guards import staff_required
from backcare.clinic.models import Location


class NewPatientForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Patient
        fields = ("name", "email", "phone", "date_of_birth", "location", "lead_physio")

    def __init__(self, *args: Any, clinic_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].required = True
        self.fields["date_of_birth"].widget = forms.DateInput(attrs={"type": "date"})
        self.fields["lead_physio"].label = "Their physiotherapist"
        self.fields["location"].label = "Where they are seen"
        location = self.fields["location"]
        physio = self.fields["lead_physio"]
        if isinstance(location, forms.ModelChoiceField):
            location.queryset = Location.objects.filter(clinic_id=clinic_id).order_by("name")
        if isinstance(physio, forms.ModelChoiceField):
            physio.queryset = StaffMember.objects.filter(clinic_id=clinic_id, role="physio")


@require_http_methods(["GET", "POST"])
@staff_required
def new_patient(request: HttpRequest) -> HttpResponse:
    staff = request.staff  # type: ignore[attr-defined]
    form = NewPatientForm(request.POST or None, clinic_id=staff.clinic_id)
    if request.method == "POST" and form.is_valid():
        now = timezone.now()
        with transaction.atomic():
            patient: Patient = form.save(commit=False)
            patient.clinic_id = staff.clinic_id
            patient.created_at = now
            if patient.location is not None:
                patient.timezone = patient.location.timezone
            patient.save()
            AuditEvent.objects.create(
                actor=request.user, patient=patient, action=Action.PATIENT_CREATED,
                object_type="Patient", object_id=patient.pk, at=now,
            )  # fmt: skip
        messages.success(request, f"{patient.name} is on the clinic's list.")
        return redirect("clinic_patient", patient_id=patient.pk)
    status = 400 if form.is_bound else 200
    return render(request, "clinic/new_patient.html", {"form": form}, status=status)


@require_POST
@staff_required
def invite_patient(request: HttpRequest, patient_id: int) -> HttpResponse:
    patient = access_patient(request.user, patient_id, clinical=False)
    if patient.user_id is not None:
        messages.info(request, f"{patient.name} already has a login.")
    elif not patient.email:
        messages.error(request, "email: add the patient's e-mail address first.")
    else:
        link = request.build_absolute_uri(reverse("signup") + "?invite=" + invite_token(patient))
        clinic = patient.clinic.name if patient.clinic else "your clinic"
        send_mail(
            f"{clinic} invites you to backcare",
            f"{clinic} has set up backcare for you: your exercises, check-ins and messages with "
            f"your physiotherapist in one place.\n\nCreate your login here (the link works for "
            f"{INVITE_DAYS} days):\n{link}\n",
            None,
            [patient.email],
        )
        AuditEvent.objects.create(
            actor=request.user, patient=patient, action=Action.PATIENT_INVITED,
            object_type="Patient", object_id=patient.pk, at=timezone.now(),
        )  # fmt: skip
        messages.success(request, f"Invitation sent to {patient.email}.")
    return redirect("clinic_patient", patient_id=patient.pk)
