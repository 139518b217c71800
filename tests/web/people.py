"""Named people for web tests: Maya has a self-care plan, Sam has his own, Eve has nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.test import Client
from django.utils import timezone

from backcare.accounts.models import User
from backcare.care.actions import do_save_assessment, do_sign_up, do_start_plan
from backcare.care.models import Plan
from backcare.domain.assessment import Assessment
from backcare.lib.timezones import local_today
from tests.domain.people import answers

PASSWORD = "a long passphrase 42"


@dataclass
class People:
    maya: User
    maya_plan: Plan
    sam: User
    sam_plan: Plan
    eve: User


def signed_up(username: str, *, zone: str = "Europe/London") -> User:
    """A person who has signed up: their login and their patient record (`user.patient`)."""
    user = User.objects.create_user(
        username, email=f"{username}@example.org", password=PASSWORD, timezone=zone
    )
    do_sign_up(user, timezone=zone, now=timezone.now())
    return user


def person(username: str, *, zone: str = "Europe/London", **overrides: Any) -> tuple[User, Plan]:
    """A person with a plan from answers like Maya's (tests/domain/people.py), overridden."""
    user = signed_up(username, zone=zone)
    now = timezone.now()
    answers_now = Assessment.model_validate(answers(**overrides))
    record = do_save_assessment(user, user.patient, answers_now, now=now)
    today = local_today(user.patient, now)
    return user, do_start_plan(user, user.patient, record, today=today, now=now)


def people() -> People:
    maya, maya_plan = person("maya", onset_days=4, pain_now=4)
    sam, sam_plan = person("sam", onset_days=3, pain_now=3)
    eve = signed_up("eve")
    return People(maya, maya_plan, sam, sam_plan, eve)


def today_of(user: User) -> date:
    """The person's own date now (the clock is pinned in tests: tests/conftest.py)."""
    return local_today(user.patient, timezone.now())


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@dataclass
class Clinic:
    """Harbour Physio with Maya as its patient, Priya her physiotherapist and Rob its
    receptionist; Otto is a physiotherapist at another clinic."""

    clinic: Any
    location: Any
    priya: User
    rob: User
    otto: User


def staff_member(username: str, clinic: Any, role: str, **extra: Any) -> User:
    from backcare.accounts.models import StaffMember

    user = User.objects.create_user(
        username, email=f"{username}@clinic.example", password=PASSWORD, first_name=username.title()
    )
    StaffMember.objects.create(user=user, clinic=clinic, role=role, **extra)
    return user


def clinic_for(*patients: User) -> Clinic:
    from backcare.care.models import Patient
    from backcare.clinic.models import Clinic as ClinicModel
    from backcare.clinic.models import Location

    clinic = ClinicModel.objects.create(name="Harbour Physio")
    location = Location.objects.create(
        clinic=clinic, name="Quay", timezone="Australia/Melbourne", region="AU"
    )
    priya = staff_member("priya", clinic, "physio")
    rob = staff_member("rob", clinic, "receptionist")
    elsewhere = ClinicModel.objects.create(name="Hilltop Physio")
    otto = staff_member("otto", elsewhere, "physio")
    Patient.objects.filter(user__in=patients).update(
        clinic=clinic, location=location, lead_physio=priya.staff
    )
    for p in patients:
        p.patient.refresh_from_db()
    return Clinic(clinic, location, priya, rob, otto)


def staff_client(user: User) -> Client:
    """A staff member logged in with their second factor done (a confirmed TOTP device)."""

    client = Client()
    staff_login(client, user)
    return client


def staff_login(client: Client, user: User) -> None:
    """Log `client` in as `user` with the second factor done (a confirmed TOTP device)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
