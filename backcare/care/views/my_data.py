"""A person's own data: download all of it, or delete the account and everything with it.

The export names every field it writes, so a new column never leaks into the download unseen, and
reads each table once, so its cost does not grow with the number of check-ins. What it covers,
and what deletion removes, is in docs/privacy.md.
"""

from __future__ import annotations

import json
from typing import Any

from axes.models import AccessLog
from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import F, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from backcare.accounts.demo import CANNOT_DELETE
from backcare.accounts.models import User
from backcare.care.access import staff_of
from backcare.care.actions import do_delete_account
from backcare.care.models import (
    AssessmentRecord,
    AuditEvent,
    CheckIn,
    Patient,
    Plan,
    ProgrammeChange,
    ProgressionStep,
    QuestionnaireResponse,
    ThermalApplication,
)
from backcare.clinic.models import TreatmentNote
from backcare.lib.timezones import local_today

EXPORT_FORMAT = "backcare-my-data-1"


def _profile(u: User, p: Patient | None) -> dict[str, Any]:
    return {
        "username": u.username,
        "email": u.email,
        "timezone": p.timezone if p else u.timezone,
        "region": p.region if p else "",
        "date_joined": u.date_joined,
        "clinic": p.clinic.name if p and p.clinic else None,
    }


def _assessment(a: AssessmentRecord) -> dict[str, Any]:
    return {
        "id": a.pk,
        "created_at": a.created_at,
        "answers": a.answers,
        "level": a.level,
        "triage": a.triage,
        "policy_version": a.policy_version,
    }


def _plan(p: Plan) -> dict[str, Any]:
    return {
        "id": p.pk,
        "assessment_id": p.assessment_id,
        "created_on": p.created_on,
        "level": p.level,
        "phase": p.phase,
        "base_state": p.base_state,
        "state": p.state,
        "plan_version": p.plan_version,
        "is_active": p.is_active,
        "updated_at": p.updated_at,
    }


def _check_in(c: CheckIn) -> dict[str, Any]:
    return {
        "id": c.pk,
        "date": c.date,
        "pain_now": c.pain_now,
        "spasm_episodes": c.spasm_episodes,
        "exercises_done": c.exercises_done,
        "pain_during_exercise": c.pain_during_exercise,
        "pain_next_morning": c.pain_next_morning,
        "sleep": c.sleep or None,
        "new_warning_signs": c.new_warning_signs,
        "created_at": c.created_at,
    }


def _step(s: ProgressionStep) -> dict[str, Any]:
    return {
        "id": s.pk,
        "plan_id": s.plan_id,
        "check_in_id": s.check_in_id,
        "status": s.status,
        "level": s.level,
        "phase": s.phase,
        "result": s.result,
        "engine_version": s.engine_version,
        "created_at": s.created_at,
    }


def _thermal(t: ThermalApplication) -> dict[str, Any]:
    return {
        "id": t.pk,
        "kind": t.kind,
        "started_at": t.started_at,
        "ends_at": t.ends_at,
        "stopped_at": t.stopped_at,
    }


def _change(c: ProgrammeChange) -> dict[str, Any]:
    return {
        "id": c.pk,
        "plan_id": c.plan_id,
        "by": c.actor_name,
        "kind": c.kind,
        "exercise": c.exercise,
        "to": c.to,
        "dose": c.dose,
        "note": c.note,
        "on": c.on,
        "created_at": c.created_at,
    }


def _questionnaire(q: QuestionnaireResponse) -> dict[str, Any]:
    return {
        "id": q.pk,
        "kind": q.kind,
        "answers": q.answers,
        "score": q.score,
        "taken_on": q.taken_on,
        "source": q.source,
        "created_at": q.created_at,
    }


def _note(n: Any) -> dict[str, Any]:
    return {
        "id": n.pk,
        "seen_on": n.seen_on,
        "by": n.signed_by_name,
        "signed_at": n.signed_at,
        "amends": n.amends_id,
        "amendment_reason": n.amendment_reason,
        "pain_now": n.pain_now,
        "subjective": n.subjective,
        "range_of_movement": n.range_of_movement,
        "tests": n.tests,
        "outcome_measures": n.outcome_measures,
        "assessment": n.assessment,
        "plan": n.plan,
        "treatments": n.treatments,
    }


def _login(a: AccessLog) -> dict[str, Any]:
    return {
        "at": a.attempt_time,
        "logged_out_at": a.logout_time,
        "ip_address": a.ip_address,
        "browser": a.user_agent,
    }


def _audit(e: AuditEvent) -> dict[str, Any]:
    return {
        "at": e.at,
        "by": "you" if e.actor_id is not None and e.actor_id == e.patient_user_id else "staff",
        "action": e.action,
        "object_type": e.object_type,
        "object_id": e.object_id,
        "details": e.details,
    }


def _messages(patient: Patient | None) -> list[dict[str, Any]]:
    from backcare.clinic.models import Message

    rows = Message.objects.filter(patient=patient).order_by("sent_at", "pk")
    return [
        {
            "from": "clinic" if m.from_clinic else "you",
            "body": m.body,
            "sent_at": m.sent_at,
            "read_at": m.read_at,
        }
        for m in rows
    ]


def _appointments(patient: Patient | None) -> list[dict[str, Any]]:
    from backcare.clinic.models import Appointment

    rows = Appointment.objects.filter(patient=patient).select_related(
        "location", "appointment_type"
    )
    return [
        {
            "start": a.start,
            "end": a.end,
            "status": a.status,
            "type": a.appointment_type.name,
            "location": a.location.name,
            "reason": a.reason,
            "booked_at": a.booked_at,
            "cancelled_at": a.cancelled_at,
        }
        for a in rows.order_by("start")
    ]


def _waitlist(patient: Patient | None) -> list[dict[str, Any]]:
    from backcare.clinic.models import WaitlistEntry

    return list(
        WaitlistEntry.objects.filter(patient=patient)
        .order_by("pk")
        .values("location_id", "appointment_type_id", "earliest", "latest", "joined_at")
    )


def collect(user: User, patient: Patient | None) -> dict[str, Any]:
    """Everything backcare holds about `user` and their patient record, one query per table."""
    audit = AuditEvent.objects.filter(
        Q(actor=user) | Q(patient=patient) if patient else Q(actor=user)
    )
    return {
        "format": EXPORT_FORMAT,
        "exported_at": timezone.now(),
        "profile": _profile(user, patient),
        "assessments": [
            _assessment(a) for a in AssessmentRecord.objects.filter(patient=patient).order_by("pk")
        ],
        "plans": [_plan(p) for p in Plan.objects.filter(patient=patient).order_by("pk")],
        "check_ins": [
            _check_in(c) for c in CheckIn.objects.filter(patient=patient).order_by("date")
        ],
        "progression_steps": [
            _step(s) for s in ProgressionStep.objects.filter(plan__patient=patient).order_by("pk")
        ],
        "thermal_applications": [
            _thermal(t) for t in ThermalApplication.objects.filter(patient=patient).order_by("pk")
        ],
        "programme_changes": [
            _change(c) for c in ProgrammeChange.objects.filter(plan__patient=patient).order_by("pk")
        ],
        "questionnaires": [
            _questionnaire(q)
            for q in QuestionnaireResponse.objects.filter(patient=patient).order_by("pk")
        ],
        # Signed notes only: a draft is the physiotherapist's until they sign it.
        "treatment_notes": [
            _note(n)
            for n in TreatmentNote.objects.filter(patient=patient, status="signed").order_by("pk")
        ],
        "messages": _messages(patient),
        "appointments": _appointments(patient),
        "waitlist": _waitlist(patient),
        "logins": [
            _login(a) for a in AccessLog.objects.filter(username=user.username).order_by("pk")
        ],
        "audit_events": [
            _audit(e) for e in audit.annotate(patient_user_id=F("patient__user_id")).order_by("pk")
        ],
    }


# Every table that holds rows of a person's, by the model's label: the export and deletion cover
# each one, and a test fails when a new table points at the login or the patient record without
# being listed here.
PERSONS_TABLES = {
    "care.Patient": "profile",
    "care.AssessmentRecord": "assessments",
    "care.Plan": "plans",
    "care.CheckIn": "check_ins",
    "care.ProgressionStep": "progression_steps",
    "care.ThermalApplication": "thermal_applications",
    "care.ProgrammeChange": "programme_changes",
    "care.QuestionnaireResponse": "questionnaires",
    "clinic.TreatmentNote": "treatment_notes",
    "clinic.Message": "messages",
    "clinic.Appointment": "appointments",
    "clinic.WaitlistEntry": "waitlist",
    "axes.AccessLog": "logins",
    "care.AuditEvent": "audit_events",
}
# Rows that point at a login but are not the person's own care: the admin's log of staff edits,
# a staff role, and a staff member's second-factor device.
# Tables that point at a login but hold no patient's data: staff roles, their invitations (the
# inviting administrator) and second factors, and the admin's own log.
NOT_THE_PERSONS = {
    "admin.LogEntry",
    "accounts.StaffMember",
    "accounts.StaffInvite",
    "otp_totp.TOTPDevice",
    # Login credentials and the API's replay cache, not care records (deleted with the login).
    "api.AccessToken",
    "api.IdempotentRequest",
    # Sums of the check-ins, which the export holds in full.
    "care.WeekSummary",
}


@login_required
@require_GET
@never_cache
def export_data(request: HttpRequest) -> HttpResponse:
    user: User = request.user
    patient = getattr(request, "patient", None)
    body = json.dumps(collect(user, patient), cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)
    day = local_today(patient or user, timezone.now())
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="backcare-my-data-{day:%Y-%m-%d}.json"'
    return response


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label="Your current password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="So that nobody else can delete your account from a device you left logged in.",
    )

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(
                "That is not your current password. Nothing has been deleted.", code="wrong"
            )
        return password


@login_required
@require_http_methods(["GET", "POST"])
@never_cache
def delete_account(request: HttpRequest) -> HttpResponse:
    user: User = request.user
    if staff_of(user) is not None:
        raise Http404("staff accounts are closed by the clinic's administrator")
    if user.is_demo:
        status = 403 if request.method == "POST" else 200
        return render(
            request, "registration/delete_account.html", {"refusal": CANNOT_DELETE}, status=status
        )
    form = DeleteAccountForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        do_delete_account(user, now=timezone.now())
        logout(request)
        messages.success(request, "Your account and everything in it have been deleted.")
        return redirect("home")
    patient = getattr(request, "patient", None)
    counts = {
        "assessments": AssessmentRecord.objects.filter(patient=patient).count(),
        "plans": Plan.objects.filter(patient=patient).count(),
        "check_ins": CheckIn.objects.filter(patient=patient).count(),
    }
    from backcare.clinic.retention import keep_until, signed_notes

    kept = signed_notes(patient) if patient is not None else []
    context = {
        "form": form,
        "counts": counts,
        "kept_notes": kept,
        "keep_until": keep_until(patient) if kept else None,
        "clinic_name": patient.clinic.name if patient and patient.clinic else "your clinic",
    }
    return render(request, "registration/delete_account.html", context)
