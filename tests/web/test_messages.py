"""Messages between a patient and their clinic, both sides, and who looked at the record."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from backcare.care.models import AuditEvent
from backcare.clinic.messages import unanswered_since
from backcare.clinic.models import Message
from tests.web.people import clinic_for, logged_in, people, staff_client

pytestmark = pytest.mark.django_db

SECRET = "my knee clicks when I twist"


def setup() -> tuple[Any, Any]:
    p = people()
    return p, clinic_for(p.maya, p.sam)


def thread_url(user: Any) -> str:
    return reverse("clinic_messages", args=[user.patient.pk])


def test_a_patient_writes_the_physio_replies_and_the_patient_reads_it() -> None:
    p, c = setup()
    maya = logged_in(p.maya)
    sent = maya.post(reverse("messages"), {"body": SECRET})
    assert sent.status_code == 302
    physio = staff_client(c.priya)
    page = physio.get(thread_url(p.maya)).content.decode()
    assert SECRET in page
    assert physio.post(thread_url(p.maya), {"body": "Try the pelvic tilt"}).status_code == 302
    mine = maya.get(reverse("messages")).content.decode()
    assert SECRET in mine and "Try the pelvic tilt" in mine
    assert AuditEvent.objects.filter(action="message.sent", patient=p.maya.patient).count() == 2
    assert AuditEvent.objects.filter(
        action="record.viewed", actor=c.priya, patient=p.maya.patient
    ).exists()
    assert Message.objects.get(from_clinic=False).read_at is not None


def test_the_e_mail_notice_says_only_that_there_is_a_message() -> None:
    p, c = setup()
    logged_in(p.maya).post(reverse("messages"), {"body": SECRET})
    staff_client(c.priya).post(thread_url(p.maya), {"body": "Your back is " + SECRET})
    assert [m.to for m in mail.outbox] == [["priya@clinic.example"], ["maya@example.org"]]
    for m in mail.outbox:
        assert "new message" in m.body and SECRET not in m.body and SECRET not in m.subject


def test_a_patient_without_a_clinic_is_told_there_is_no_one_to_message() -> None:
    p = people()
    page = logged_in(p.eve).get(reverse("messages"))
    assert page.status_code == 200 and "no one to message" in page.content.decode()


def test_it_refuses_other_people() -> None:
    p, c = setup()
    url = thread_url(p.maya)
    assert staff_client(c.otto).get(url).status_code == 404
    assert staff_client(c.rob).get(url).status_code == 404
    assert staff_client(c.rob).get(reverse("clinic_inbox")).status_code == 404
    assert logged_in(p.sam).get(url).status_code == 404
    anonymous = logged_in(p.maya).__class__().get(url)
    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]
    assert logged_in(p.maya).__class__().get(reverse("messages")).status_code == 302


@pytest.mark.parametrize(
    ("body", "problem"),
    [("a\x00b", "body: must not contain a NUL"), ("x" * 2001, "body: must be at most 2000")],
)
def test_a_bad_body_is_refused_naming_the_field(body: str, problem: str) -> None:
    p, c = setup()
    response = logged_in(p.maya).post(reverse("messages"), {"body": body})
    assert response.status_code == 400 and problem in response.content.decode()
    reply = staff_client(c.priya).post(thread_url(p.maya), {"body": body})
    assert reply.status_code == 400 and problem in reply.content.decode()
    assert not Message.objects.exists()


def test_a_warning_sign_shows_the_emergency_advice_and_flags_the_thread() -> None:
    p, c = setup()
    maya = logged_in(p.maya)
    logged_in(p.sam).post(reverse("messages"), {"body": "All good"})
    page = maya.post(reverse("messages"), {"body": "I wet myself today"}, follow=True)
    html = page.content.decode()
    assert "Do not wait for a reply" in html and "Call 000" in html
    inbox = staff_client(c.priya).get(reverse("clinic_inbox")).content.decode()
    assert inbox.index(">maya<") < inbox.index(">sam<") and "Warning sign" in inbox
    again = maya.get(reverse("messages")).content.decode()
    assert "Do not wait for a reply" not in again


def test_unanswered_since_is_the_oldest_patient_message_after_the_last_reply(
    django_assert_num_queries: Any,
) -> None:
    p, _ = setup()
    now = timezone.now()
    pm, ps = p.maya.patient, p.sam.patient

    def msg(patient: Any, minutes: int, from_clinic: bool) -> None:
        Message.objects.create(
            patient=patient, from_clinic=from_clinic, body="x",
            sent_at=now + timedelta(minutes=minutes),
        )  # fmt: skip

    msg(pm, 0, False)
    msg(pm, 5, True)
    msg(pm, 10, False)
    msg(pm, 20, False)
    msg(ps, 0, False)
    msg(ps, 5, True)
    with django_assert_num_queries(1):
        found = unanswered_since([pm.pk, ps.pk])
    assert found == {pm.pk: now + timedelta(minutes=10)}


def test_the_patient_sees_who_looked_at_their_record() -> None:
    p, c = setup()
    staff_client(c.priya).get(reverse("clinic_patient", args=[p.maya.patient.pk]))
    page = logged_in(p.maya).get(reverse("who_looked")).content.decode()
    assert "Priya" in page and "Physiotherapist" in page and "Looked at the record" in page
    assert (
        "Who looked at your data"
        in logged_in(p.maya).get(reverse("account_settings")).content.decode()
    )
    assert "Priya" not in logged_in(p.sam).get(reverse("who_looked")).content.decode()
