"""Named people for web tests: Maya has a self-care plan, Sam has his own, Eve has nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.test import Client
from django.utils import timezone

from backcare.accounts.models import User
from backcare.care.actions import do_save_assessment, do_start_plan
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


def person(username: str, *, zone: str = "Europe/London", **overrides: Any) -> tuple[User, Plan]:
    user = User.objects.create_user(
        username, email=f"{username}@example.org", password=PASSWORD, timezone=zone
    )
    now = timezone.now()
    record = do_save_assessment(user, Assessment.model_validate(answers(**overrides)), now=now)
    return user, do_start_plan(user, record, today=local_today(user, now), now=now)


def people() -> People:
    maya, maya_plan = person("maya", onset_days=4, pain_now=4)
    sam, sam_plan = person("sam", onset_days=3, pain_now=3)
    eve = User.objects.create_user("eve", email="eve@example.org", password=PASSWORD)
    return People(maya, maya_plan, sam, sam_plan, eve)


def today_of(user: User) -> date:
    """The person's own date now (the clock is pinned in tests: tests/conftest.py)."""
    return local_today(user, timezone.now())


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client
