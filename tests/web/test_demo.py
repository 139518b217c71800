from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from backcare.accounts.models import User
from backcare.care.actions import do_delete_account
from backcare.care.models import CheckIn, Patient, Plan

pytestmark = pytest.mark.django_db


def test_the_demo_patient_has_weeks_of_check_ins_and_is_marked_as_demo() -> None:
    call_command("seed_demo")
    call_command("seed_demo")  # idempotent
    demo = User.objects.get(username="demo")
    assert demo.is_demo
    assert demo.patient.clinic is not None and demo.patient.clinic.is_demo
    assert demo.patient.clinic.locations.count() == 23
    assert CheckIn.objects.filter(patient__user=demo).count() >= 14
    assert Plan.objects.get(patient__user=demo, is_active=True).steps.count() >= 14
    client = Client()
    response = client.post(reverse("login"), {"username": "demo", "password": "backcare-demo"})
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert client.get(reverse("home"))["Location"] == reverse("today")
    page = client.get(reverse("today")).content.decode()
    assert "Demo account" in page and "Your exercises" in page


# Nobody may delete, rename or take over the demo account


def demo_client() -> tuple[User, Client]:
    call_command("seed_demo")
    demo = User.objects.get(username="demo")
    client = Client()
    client.force_login(demo)
    return demo, client


def unchanged(demo: User) -> None:
    now = User.objects.get(pk=demo.pk)
    assert (now.username, now.email, now.password) == (demo.username, demo.email, demo.password)
    assert CheckIn.objects.filter(patient__user=demo).count() >= 14


def test_the_demo_account_cannot_be_deleted() -> None:
    demo, client = demo_client()
    page = client.get(reverse("delete_account"))
    assert page.status_code == 200
    assert "it cannot be deleted" in page.content.decode() and 'name="password"' not in (
        page.content.decode()
    )
    refused = client.post(reverse("delete_account"), {"password": "backcare-demo"})
    assert refused.status_code == 403 and "Nothing has been deleted" in refused.content.decode()
    unchanged(demo)
    with pytest.raises(PermissionDenied):
        do_delete_account(demo, now=timezone.now())
    unchanged(demo)


def test_the_demo_accounts_password_cannot_be_changed() -> None:
    demo, client = demo_client()
    form = {
        "old_password": "backcare-demo",
        "new_password1": "a new long passphrase 7",
        "new_password2": "a new long passphrase 7",
    }
    refused = client.post(reverse("password_change"), form)
    assert refused.status_code == 403
    assert "its password cannot be changed" in refused.content.decode()
    unchanged(demo)


def test_the_demo_accounts_e_mail_address_cannot_be_changed() -> None:
    demo, client = demo_client()
    form = {
        "email": "mine@example.org",
        "timezone": "Asia/Tokyo",
        "current_password": "backcare-demo",
    }
    refused = client.post(reverse("account_settings"), form)
    assert refused.status_code == 200
    assert "its e-mail address cannot be changed" in refused.content.decode()
    unchanged(demo)
    assert Patient.objects.get(user=demo).timezone == "Australia/Melbourne"


def test_the_demo_accounts_password_cannot_be_reset(settings: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    demo, _ = demo_client()
    refused = Client().post(reverse("password_reset"), {"email": "DEMO@example.org"})
    assert refused.status_code == 200
    assert "its password cannot be reset" in refused.content.decode()
    assert mail.outbox == []
    token = default_token_generator.make_token(demo)
    uid = urlsafe_base64_encode(force_bytes(demo.pk))
    link = Client()
    form_page = link.get(reverse("password_reset_confirm", args=[uid, token]), follow=True)
    new = {"new_password1": "a new long passphrase 7", "new_password2": "a new long passphrase 7"}
    set_it = link.post(form_page.redirect_chain[-1][0], new)
    assert set_it.status_code == 403 and "its password cannot be reset" in set_it.content.decode()
    unchanged(demo)


def test_the_admin_cannot_delete_rename_or_re_password_the_demo_account() -> None:
    demo, _ = demo_client()
    staff = User.objects.create_superuser("admin", email="admin@example.org", password="x" * 20)
    client = Client()
    client.force_login(staff)
    change = reverse("admin:accounts_user_change", args=[demo.pk])
    page = client.get(change).content.decode()
    assert 'name="username"' not in page and 'name="email"' not in page
    assert client.post(reverse("admin:accounts_user_delete", args=[demo.pk])).status_code == 403
    password = reverse("admin:auth_user_password_change", args=[demo.pk])
    form = {"password1": "a new long passphrase 7", "password2": "a new long passphrase 7"}
    assert client.post(password, form).status_code == 302
    bulk = {"action": "delete_selected", "_selected_action": [demo.pk], "post": "yes"}
    client.post(reverse("admin:accounts_user_changelist"), bulk)
    unchanged(demo)


def test_the_demo_clinic_has_a_lived_in_queue() -> None:
    from backcare.clinic.models import Clinic
    from backcare.clinic.queries import caseload

    call_command("seed_demo")
    clinic = Clinic.objects.get(is_demo=True)
    entries = caseload(clinic.pk, now=timezone.now())
    assert len(entries) >= 30
    tiers = {e.tier.value if e.tier else None for e in entries}
    assert {"now", "high", "medium", None} <= tiers
    codes = {f.code for e in entries for f in e.flags}
    assert {"warning_sign", "no_check_in", "pain_high", "spasms_rising", "recheck_overdue"} <= codes
    assert Patient.objects.filter(clinic=clinic, user__isnull=True).exists()  # no login yet


def test_the_demo_clinic_has_a_lived_in_booking_page_across_australias_zones() -> None:
    from itertools import pairwise

    from backcare.accounts.models import StaffMember
    from backcare.clinic.demo_booking import demo_booking
    from backcare.clinic.models import Appointment, AvailabilityException, Clinic, WorkingHours
    from backcare.clinic.queries import caseload

    call_command("seed_demo")
    clinic = Clinic.objects.get(is_demo=True)
    physio = StaffMember.objects.get(user__username="physio")
    queue = caseload(clinic.pk, now=timezone.now(), physio_id=physio.pk)
    zones = set(clinic.locations.values_list("timezone", flat=True))
    assert zones == {
        f"Australia/{city}"
        for city in ("Melbourne", "Sydney", "Hobart", "Brisbane", "Adelaide", "Darwin", "Perth")
    }
    assert not clinic.locations.filter(phone="").exists()
    assert not clinic.locations.filter(opening_hours__isnull=True).exists()
    practitioners = StaffMember.objects.filter(clinic=clinic, role="physio")
    assert practitioners.count() == 40
    assert not practitioners.filter(working_hours__isnull=True).exists()
    assert WorkingHours.objects.filter(staff__clinic=clinic, breaks__isnull=False).exists()
    assert AvailabilityException.objects.filter(staff__clinic=clinic, kind="leave").count() >= 3
    rows = Appointment.objects.filter(clinic=clinic)
    now = timezone.now()
    assert rows.filter(end__lt=now, status="attended").count() > 500
    assert rows.filter(end__lt=now, status="no_show").exists()
    assert rows.filter(start__gt=now, status="booked").count() > 500
    assert not rows.filter(start__gt=now, status__in=["attended", "no_show"]).exists()
    # the demo physiotherapist's eight follow-ups, booked as before
    mine = rows.filter(practitioner=physio, patient__lead_physio=physio, status="booked")
    assert mine.count() == 8
    active = list(rows.exclude(status="cancelled").order_by("practitioner_id", "start"))
    for a, b in pairwise(active):
        assert a.practitioner_id != b.practitioner_id or a.blocked_until <= b.start
    by_patient = sorted(active, key=lambda a: (a.patient_id, a.start))
    for a, b in pairwise(by_patient):
        assert a.patient_id != b.patient_id or a.end <= b.start
    count = rows.count()
    call_command("seed_demo")  # idempotent: nothing added the same day
    assert demo_booking(clinic, list(practitioners), now) == 0
    assert Appointment.objects.filter(clinic=clinic).count() == count
    # the queue of the demo physiotherapist is their caseload, not the sample patients
    again = caseload(clinic.pk, now=timezone.now(), physio_id=physio.pk)
    assert [e.snapshot.patient_id for e in again] == [e.snapshot.patient_id for e in queue]
    assert len(queue) == 31
