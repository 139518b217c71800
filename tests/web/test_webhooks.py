"""Webhooks: signed POSTs to a clinic's own system on a warning sign, a booking and a
cancellation, written in the event's transaction, delivered by the task worker to a real HTTP
receiver, retried with backoff; and the administrator's page."""

from __future__ import annotations

import hashlib
import hmac
import http.server
import json
import threading
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from backcare.care.actions import do_check_in
from backcare.clinic import webhooks
from backcare.clinic.booking_actions import do_book, do_cancel
from backcare.clinic.messages import do_send_message
from backcare.clinic.models import WebhookDelivery, WebhookEndpoint
from backcare.domain.checkin import CheckIn as CheckInValue
from tests.web.booking_people import NOW, booking_clinic, melbourne, run_due_tasks
from tests.web.people import clinic_for, person, staff_client, today_of

pytestmark = [pytest.mark.django_db, pytest.mark.db]


class Receiver:
    """A clinic system on this machine: records what arrives, answers `status` (a list: one
    answer per request, the last repeated)."""

    def __init__(self) -> None:
        self.got: list[dict[str, Any]] = []
        self.status = [204]
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                outer.got.append({"headers": dict(self.headers), "body": body})
                code = outer.status.pop(0) if len(outer.status) > 1 else outer.status[0]
                self.send_response(code)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def events(self) -> list[str]:
        return [json.loads(g["body"])["event"] for g in self.got]


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver()
    yield r
    r.server.shutdown()


def endpoint(clinic: Any, url: str, events: list[str] | None = None) -> WebhookEndpoint:
    staff = clinic.priya.staff
    made, problems = webhooks.do_add_endpoint(
        staff, url=url, events=events or list(webhooks.EVENTS), now=NOW
    )
    assert not problems and made is not None
    return made


def book(b: Any, start: Any) -> Any:
    return do_book(
        b.maya,
        patient=b.maya.patient,
        practitioner=b.c.priya.staff,
        location=b.c.location,
        appointment_type=b.initial,
        start=start,
        now=NOW,
        reason="see a physiotherapist",
    )


def verified(secret: str, got: dict[str, Any]) -> dict[str, Any]:
    """Check the signature as a receiver would, and return the body."""
    fields = dict(p.split("=", 1) for p in got["headers"]["Backcare-Signature"].split(","))
    expected = hmac.new(
        secret.encode(), fields["t"].encode() + b"." + got["body"], hashlib.sha256
    ).hexdigest()
    assert hmac.compare_digest(expected, fields["v1"])
    return json.loads(got["body"])


def test_the_signature_is_hmac_sha256_over_the_timestamp_and_body():
    sig = webhooks.signature("whsec_x", 1700000000, b'{"a":1}')
    expected = hmac.new(b"whsec_x", b'1700000000.{"a":1}', hashlib.sha256).hexdigest()
    assert sig == f"t=1700000000,v1={expected}"


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("http://clinic.example/hooks", "must use https"),
        ("ftp://clinic.example/hooks", "full address"),
        ("https://user:pw@clinic.example/hooks", "user name or password"),
        ("clinic.example", "full address"),
    ],
)
def test_an_address_that_is_not_https_is_refused_naming_the_field(url, problem):
    (message,) = webhooks.check_url(url)
    assert message.startswith("url: ") and problem in message


def test_booking_and_cancelling_deliver_signed_events_once(receiver):
    b = booking_clinic()
    hook = endpoint(b.c, receiver.url)
    a = book(b, melbourne(2026, 12, 3, 10))
    do_cancel(b.maya, a, now=NOW + timedelta(minutes=1), by_patient=True)
    assert receiver.got == []  # nothing leaves before the worker runs
    outcomes = run_due_tasks(NOW + timedelta(minutes=2))
    assert outcomes.count("delivered") == 2
    assert receiver.events() == ["appointment.booked", "appointment.cancelled"]
    booked = verified(hook.secret, receiver.got[0])
    assert booked["data"]["appointment"]["id"] == a.pk
    assert booked["data"]["appointment"]["start"] == "2026-12-02T23:00:00Z"
    assert booked["data"]["patient"] == {"id": b.maya.patient.pk}
    assert "reason" not in json.dumps(booked)  # ids, codes and times only
    assert receiver.got[0]["headers"]["Backcare-Event"] == "appointment.booked"
    run_due_tasks(NOW + timedelta(hours=1))
    assert len(receiver.got) == 2


def test_a_refused_delivery_is_retried_with_backoff_under_the_same_id(receiver):
    receiver.status = [500, 503, 200]
    b = booking_clinic()
    endpoint(b.c, receiver.url, ["appointment.booked"])
    book(b, melbourne(2026, 12, 3, 10))
    assert "FAILED" in run_due_tasks(NOW)
    row = WebhookDelivery.objects.get()
    assert row.attempts == 1 and row.last_status == 500 and row.delivered_at is None
    run_due_tasks(NOW + timedelta(seconds=30))
    assert len(receiver.got) == 1  # the retry waits a minute
    run_due_tasks(NOW + timedelta(minutes=1))
    run_due_tasks(NOW + timedelta(minutes=3))
    row.refresh_from_db()
    assert row.delivered_at is not None and row.attempts == 2 and row.last_status == 200
    ids = {g["headers"]["Backcare-Delivery"] for g in receiver.got}
    assert len(receiver.got) == 3 and ids == {str(row.event_id)}


def test_an_endpoint_hears_only_its_events_and_its_clinic():
    b = booking_clinic()
    endpoint(b.c, "https://clinic.example/hooks", ["appointment.cancelled"])
    made, _ = webhooks.do_add_endpoint(
        b.c.otto.staff, url="https://other.example/hooks", events=list(webhooks.EVENTS), now=NOW
    )
    assert made is not None and made.clinic_id != b.c.clinic.pk
    book(b, melbourne(2026, 12, 3, 10))
    assert WebhookDelivery.objects.count() == 0


def test_an_event_that_rolls_back_sends_nothing():
    b = booking_clinic()
    endpoint(b.c, "https://clinic.example/hooks")
    with pytest.raises(RuntimeError), transaction.atomic():
        book(b, melbourne(2026, 12, 3, 10))
        raise RuntimeError("the request failed")
    assert WebhookDelivery.objects.count() == 0


def test_a_warning_sign_in_a_check_in_or_a_message_is_an_event():
    user, plan = person("maya", onset_days=4, pain_now=4)
    c = clinic_for(user)
    endpoint(c, "https://clinic.example/hooks", ["warning_sign.reported"])
    now = timezone.now()
    value = CheckInValue.model_validate(
        {
            "date": today_of(user),
            "pain_now": 4,
            "spasm_episodes": 1,
            "new_warning_signs": ["fever"],
        }
    )
    do_check_in(user, user.patient, value, now=now, plan=plan)
    do_send_message(
        user,
        user.patient,
        "I can't feel my bottom when I sit down",
        from_clinic=False,
        now=now,
        link="/clinic/",
    )
    bodies = [d.payload for d in WebhookDelivery.objects.order_by("id")]
    assert [b["data"]["source"] for b in bodies] == ["check_in", "message"]
    assert bodies[0]["data"]["signs"] == ["fever"]
    assert bodies[0]["data"]["patient"] == {"id": user.patient.pk}
    assert "bottom" not in json.dumps(bodies)  # the message's words stay in backcare


def test_the_administrator_adds_an_endpoint_sees_its_secret_once_and_can_switch_it_off():
    user, _ = person("maya")
    c = clinic_for(user)
    from backcare.accounts.models import StaffMember

    StaffMember.objects.filter(user=c.priya).update(is_admin=True)
    client = staff_client(c.priya)
    bad = client.post("/clinic/webhooks/", {"url": "http://clinic.example/x", "events": []})
    assert bad.status_code == 400
    page = bad.content.decode()
    assert "url: must use https" in page and "events: choose one or more" in page
    assert WebhookEndpoint.objects.count() == 0
    ok = client.post(
        "/clinic/webhooks/",
        {"url": "https://clinic.example/hooks", "events": ["appointment.booked"]},
    )
    assert ok.status_code == 302
    hook = WebhookEndpoint.objects.get()
    assert hook.secret in client.get("/clinic/webhooks/").content.decode()
    assert hook.secret not in client.get("/clinic/webhooks/").content.decode()  # once
    assert client.post(f"/clinic/webhooks/{hook.pk}/rotate/").status_code == 302
    old = hook.secret
    hook.refresh_from_db()
    assert hook.secret != old and hook.secret in client.get("/clinic/webhooks/").content.decode()
    assert client.post(f"/clinic/webhooks/{hook.pk}/deactivate/").status_code == 302
    hook.refresh_from_db()
    assert not hook.is_active


def test_a_refused_endpoint_keeps_the_address_and_the_events_chosen():
    user, _ = person("maya")
    c = clinic_for(user)
    from backcare.accounts.models import StaffMember

    StaffMember.objects.filter(user=c.priya).update(is_admin=True)
    client = staff_client(c.priya)
    fresh = client.get("/clinic/webhooks/").content.decode()
    assert fresh.count(" checked>") == 3  # a new endpoint hears every event unless told
    bad = client.post(
        "/clinic/webhooks/", {"url": "http://clinic.example/x", "events": ["appointment.cancelled"]}
    )
    page = bad.content.decode()
    assert bad.status_code == 400 and 'value="http://clinic.example/x"' in page
    assert 'value="appointment.cancelled" id="id_event_3" checked>' in page
    assert page.count(" checked>") == 1
    assert "An appointment is cancelled" in page


def test_deliveries_are_listed_in_the_administrators_own_time_zone_named():
    import uuid
    from datetime import UTC, datetime
    from zoneinfo import ZoneInfo

    from backcare.accounts.models import StaffMember

    user, _ = person("maya")
    c = clinic_for(user)
    StaffMember.objects.filter(user=c.priya).update(is_admin=True)
    c.priya.timezone = "Australia/Adelaide"
    c.priya.save(update_fields=["timezone"])
    hook = endpoint(c, "https://clinic.example/hooks")
    at = datetime(2026, 7, 1, 2, 30, tzinfo=UTC)  # 12:00 in Adelaide (ACST, +9:30)
    WebhookDelivery.objects.create(
        endpoint=hook, event_id=uuid.uuid4(), event="appointment.booked", payload={}, created_at=at
    )
    page = staff_client(c.priya).get("/clinic/webhooks/").content.decode()
    local = at.astimezone(ZoneInfo("Australia/Adelaide"))
    assert local.hour == 12 and f"1 Jul 2026, 12:00 {local.tzname()}" in page
    assert "(UTC)" not in page
