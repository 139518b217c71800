"""Invite links: a clinic set up a patient record before the person had a login; the link lets
them sign up into that record (and only that one, only while it has no login, for two weeks)."""

from __future__ import annotations

from django.core import signing

from backcare.care.models import Patient

INVITE_SALT = "backcare.patient-invite"
INVITE_DAYS = 14


def invite_token(patient: Patient) -> str:
    return signing.dumps({"patient": patient.pk}, salt=INVITE_SALT)


def invited_patient(token: str) -> Patient | None:
    """The patient record an invite link is for, while it is fresh and not yet taken."""
    try:
        data = signing.loads(token, salt=INVITE_SALT, max_age=INVITE_DAYS * 86400)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    return Patient.objects.filter(pk=data.get("patient"), user__isnull=True).first()
