"""Plans made from the older check end when the check starts asking every warning sign."""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from django.apps import apps

from backcare.care.models import Plan
from tests.web.people import person

pytestmark = pytest.mark.django_db

MIGRATION = importlib.import_module("backcare.care.migrations.0004_end_plans_from_the_older_check")


def _older(plan: Plan) -> None:
    """Make `plan` look as if it came from the older check, which never asked about chest pain."""
    state: dict[str, Any] = dict(plan.base_state)
    state["assessment"] = {k: v for k, v in state["assessment"].items() if k != "chest_pain"}
    Plan.objects.filter(pk=plan.pk).update(base_state=state)


def test_a_plan_from_the_older_check_ends_and_one_from_the_new_check_carries_on() -> None:
    _, old = person("olive")
    _, new = person("nina")
    _older(old)
    MIGRATION.end_older_plans(apps, None)
    old.refresh_from_db()
    new.refresh_from_db()
    assert not old.is_active
    assert new.is_active
    assert Plan.objects.filter(pk=old.pk).exists()  # kept, not deleted
