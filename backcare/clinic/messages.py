"""Messages between a patient and their clinic: sending (with its audit row and an e-mail notice
that carries no health details), reading, and the queue's "unanswered since"."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, Min, OuterRef, Q, QuerySet, Subquery

from backcare.care.models import Action, AuditEvent, Patient
from backcare.clinic.models import Message
from backcare.clinic.models.messages import BODY_MAX
from backcare.domain.mentions import mentions


def check_body(raw: str) -> tuple[str, list[str]]:
    body = raw.strip()
    if "\x00" in body:
        return body, ["body: must not contain a NUL character"]
    if not body:
        return body, ["body: write a message"]
    if len(body) > BODY_MAX:
        return body, [f"body: must be at most {BODY_MAX} characters"]
    return body, []


def do_send_message(
    sender: Any, patient: Patient, body: str, *, from_clinic: bool, now: datetime, link: str
) -> Message:
    """Save the message and its audit row, then tell the other side by e-mail."""
    with transaction.atomic():
        signs = [] if from_clinic else list(mentions(body))
        message = Message.objects.create(
            patient=patient, sender=sender, from_clinic=from_clinic, body=body,
            mentions=signs, sent_at=now,
        )  # fmt: skip
        AuditEvent.objects.create(
            actor=sender, patient=patient, action=Action.MESSAGE_SENT, object_type="Message",
            object_id=message.pk, details={"from_clinic": from_clinic}, at=now,
        )  # fmt: skip
        if signs:
            from backcare.clinic import webhooks

            data = webhooks.warning_sign_data(patient, signs, "message")
            webhooks.emit(patient.clinic_id, "warning_sign.reported", data, now=now)
    # After the commit: a failing mail server must not lose the message.
    _notify(_notice_to(patient, from_clinic=from_clinic), link)
    return message


def _notice_to(patient: Patient, *, from_clinic: bool) -> list[str]:
    if from_clinic:
        email = patient.user.email if patient.user_id else patient.email
        return [email] if email else []
    lead = patient.lead_physio
    return [lead.user.email] if lead is not None and lead.user.email else []


def _notify(to: list[str], link: str) -> None:
    # Only that there is a message, never its words: e-mail is not a safe place for health data.
    if to:
        send_mail(
            "You have a new message on backcare",
            f"You have a new message on backcare. Log in to read it:\n{link}\n",
            None,
            to,
        )


def thread(patient: Patient) -> list[Message]:
    return list(
        Message.objects.filter(patient=patient).select_related("sender").order_by("sent_at", "pk")
    )


def mark_read(patient: Patient, *, by_clinic: bool, now: datetime) -> None:
    """The other side's messages are read now."""
    Message.objects.filter(patient=patient, from_clinic=not by_clinic, read_at__isnull=True).update(
        read_at=now
    )


def unanswered_since(patient_ids: Iterable[int]) -> dict[int, datetime]:
    """For each patient, when their oldest message after the clinic's last reply was sent; patients
    with nothing unanswered are left out. One query. `patient_ids` may be a query of ids (the
    queue passes its clinic's: a subquery is cheaper than three hundred parameters)."""
    ids: Any = patient_ids if isinstance(patient_ids, QuerySet) else list(patient_ids)
    if not isinstance(ids, QuerySet) and not ids:
        return {}
    reply = (
        Message.objects.filter(patient_id=OuterRef("patient_id"), from_clinic=True)
        .order_by("-sent_at")
        .values("sent_at")[:1]
    )
    rows = (
        Message.objects.filter(patient_id__in=ids, from_clinic=False)
        .annotate(reply=Subquery(reply))
        .filter(Q(reply__isnull=True) | Q(sent_at__gt=F("reply")))
        .values("patient_id")
        .annotate(since=Min("sent_at"))
        .values_list("patient_id", "since")
    )
    return dict(rows)


def inbox(clinic_id: int) -> list[dict[str, Any]]:
    """The clinic's threads: flagged (a warning sign mentioned, unanswered) first, then
    unanswered oldest first, then the rest newest first."""
    patients = Patient.objects.filter(clinic_id=clinic_id, messages__isnull=False).distinct()
    ids = list(patients.values_list("pk", flat=True))
    waiting = unanswered_since(ids)
    latest: dict[int, Message] = {}
    flagged: set[int] = set()
    for m in Message.objects.filter(patient_id__in=ids).order_by("sent_at", "pk"):
        latest[m.patient_id] = m
        if m.from_clinic:
            flagged.discard(m.patient_id)
        elif m.mentions:
            flagged.add(m.patient_id)
    names = dict(patients.values_list("pk", "name"))
    rows = [
        {"patient_id": pid, "name": names[pid], "latest": latest[pid],
         "waiting_since": waiting.get(pid), "flagged": pid in flagged and pid in waiting}
        for pid in ids
    ]  # fmt: skip
    rows.sort(key=lambda r: -r["latest"].sent_at.timestamp())
    rows.sort(key=lambda r: r["waiting_since"].timestamp() if r["waiting_since"] else float("inf"))
    rows.sort(key=lambda r: not r["flagged"])
    return rows


__all__ = ["check_body", "do_send_message", "inbox", "mark_read", "thread", "unanswered_since"]


def latest_messages(patient: Patient, count: int = 3) -> list[Message]:
    """For the record page's messages section, newest first."""
    return list(Message.objects.filter(patient=patient).order_by("-sent_at", "-pk")[:count])
