"""Webhooks for a clinic's own systems: signed POSTs on `warning_sign.reported`,
`appointment.booked` and `appointment.cancelled`.

`emit` runs inside the transaction that records the event: it writes one `WebhookDelivery` per
subscribed endpoint and queues a task for each (backcare/tasks.py), so an event that rolls back
sends nothing. The task (`deliver`) POSTs the JSON body with an HMAC-SHA256 signature; a 2xx
answer marks it delivered, anything else (or no answer within 10 s) is retried with the same
backoff as the booking e-mails. The body carries ids, codes and times, never free text: the
receiver fetches more through the API with its own token.

Signature (`Backcare-Signature: t=<unix seconds>,v1=<hex>`): HMAC-SHA256 with the endpoint's
secret over `f"{t}.{body}"`, where body is the exact bytes sent. Receivers should check it with a
constant-time comparison and refuse a `t` more than five minutes old. `Backcare-Event` names the
event and `Backcare-Delivery` is the event's id (the same id on a retry, to drop duplicates).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import urllib.error
import urllib.request
import uuid
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from django.db import transaction
from django.db.models import F

from backcare.care.models import Patient
from backcare.clinic.models import Appointment, WebhookDelivery, WebhookEndpoint
from backcare.clinic.models.webhooks import EVENTS
from backcare.tasks import MAX_ATTEMPTS, enqueue, retry_delay

TIMEOUT_SECONDS = 10
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"}


class WebhookFailed(Exception):
    """The receiver did not take the delivery (the worker records the try as failed)."""


def check_url(raw: str) -> list[str]:
    """Problems with an endpoint address, each naming the field: https, except on this host."""
    parts = urlsplit(raw.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return ["url: must be a full address such as https://clinic.example/hooks/backcare"]
    if parts.scheme == "http" and parts.hostname not in LOCAL_HOSTS:
        return ["url: must use https (plain http only to localhost, for testing)"]
    if parts.username or parts.password:
        return ["url: must not carry a user name or password; the signature proves the sender"]
    return []


def check_events(chosen: list[str]) -> list[str]:
    unknown = [e for e in chosen if e not in EVENTS]
    if unknown or not chosen:
        return [f"events: choose one or more of {', '.join(EVENTS)}"]
    return []


def new_secret() -> str:
    return "whsec_" + secrets.token_hex(24)


def do_add_endpoint(
    staff: Any, *, url: str, events: list[str], now: datetime
) -> tuple[WebhookEndpoint | None, list[str]]:
    problems = check_url(url) + check_events(events)
    if problems:
        return None, problems
    endpoint = WebhookEndpoint.objects.create(
        clinic_id=staff.clinic_id,
        url=url.strip(),
        secret=new_secret(),
        events=[e for e in EVENTS if e in events],
        created_at=now,
        created_by=staff,
    )
    return endpoint, []


def do_rotate_secret(endpoint: WebhookEndpoint) -> str:
    endpoint.secret = new_secret()
    endpoint.save(update_fields=["secret"])
    return endpoint.secret


def do_deactivate_endpoint(endpoint: WebhookEndpoint) -> None:
    endpoint.is_active = False
    endpoint.save(update_fields=["is_active"])


def emit(clinic_id: int | None, event: str, data: dict[str, Any], *, now: datetime) -> int:
    """Record `event` for every active endpoint of the clinic that asked for it; returns how many
    deliveries were queued. Call inside the event's own transaction."""
    if clinic_id is None:
        return 0
    if event not in EVENTS:
        raise ValueError(f"event: must be one of {', '.join(EVENTS)}")
    endpoints = [
        e
        for e in WebhookEndpoint.objects.filter(clinic_id=clinic_id, is_active=True)
        if event in e.events
    ]
    if not endpoints:
        return 0
    from backcare.clinic.tasks import deliver_webhook

    event_id = uuid.uuid4()  # one id for the event, whichever endpoint receives it
    body = {"id": str(event_id), "event": event, "occurred_at": _instant(now), "data": data}
    for endpoint in endpoints:
        row = WebhookDelivery.objects.create(
            endpoint=endpoint, event_id=event_id, event=event, payload=body, created_at=now
        )
        enqueue(deliver_webhook, row.pk)
    return len(endpoints)


def _instant(at: datetime) -> str:
    return at.isoformat().replace("+00:00", "Z")


def signature(secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


def deliver(delivery_id: int, now: datetime) -> str:
    """The task's body: POST the delivery once it is not yet delivered; retry on failure."""
    from backcare.clinic.tasks import deliver_webhook

    row = (
        WebhookDelivery.objects.select_related("endpoint")
        .filter(pk=delivery_id, delivered_at__isnull=True, endpoint__is_active=True)
        .first()
    )
    if row is None:
        return "nothing to send"
    body = json.dumps(row.payload, separators=(",", ":"), sort_keys=True).encode()
    request = urllib.request.Request(  # noqa: S310 (check_url allows http(s) only)
        row.endpoint.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": "backcare-webhooks/1",
            "Backcare-Event": row.event,
            "Backcare-Delivery": str(row.event_id),
            "Backcare-Signature": signature(row.endpoint.secret, int(now.timestamp()), body),
        },
    )
    status, error = None, ""
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as answer:  # noqa: S310
            status = answer.status
    except urllib.error.HTTPError as exc:
        status, error = exc.code, f"answered {exc.code}"
    except (urllib.error.URLError, OSError) as exc:
        error = f"no answer: {getattr(exc, 'reason', exc)}"
    if status is not None and 200 <= status < 300:
        WebhookDelivery.objects.filter(pk=row.pk, delivered_at__isnull=True).update(
            delivered_at=now, last_status=status, last_error=""
        )
        return "delivered"
    with transaction.atomic():
        WebhookDelivery.objects.filter(pk=row.pk).update(
            attempts=F("attempts") + 1,
            last_status=status,
            last_error=f"{now:%Y-%m-%d %H:%M}Z {error}"[:300],
        )
        attempts = row.attempts + 1
        if attempts < MAX_ATTEMPTS:
            enqueue(deliver_webhook, row.pk, run_after=now + retry_delay(attempts))
    raise WebhookFailed(error)


# What the events carry: ids, codes and instants only.


def appointment_data(appointment: Appointment) -> dict[str, Any]:
    return {
        "appointment": {
            "id": appointment.pk,
            "status": appointment.status,
            "start": _instant(appointment.start),
            "end": _instant(appointment.end),
            "location_id": appointment.location_id,
            "practitioner_id": appointment.practitioner_id,
            "appointment_type_id": appointment.appointment_type_id,
        },
        "patient": {"id": appointment.patient_id},
    }


def warning_sign_data(patient: Patient, signs: list[str], source: str) -> dict[str, Any]:
    return {"patient": {"id": patient.pk}, "signs": list(signs), "source": source}


def on_warning_sign(
    sender: Any, *, patient: Patient, signs: list[str], source: str, at: datetime, **_: Any
) -> None:
    data = warning_sign_data(patient, signs, source)
    emit(patient.clinic_id, "warning_sign.reported", data, now=at)
