"""Reads of a person's care that several pages share, so each rule is worked out once."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db.models import Max

from backcare.care.models import CheckIn, Plan
from backcare.lib.timezones import local_today


def plan_today(plan: Plan, person: Any, now: datetime) -> date:
    """The day it is in `plan` for `person`: their own date, never earlier than a day the plan
    already has.

    A person who moves their time zone west (or travels) can find their local date behind the
    day the plan began or the day of their last check-in. Time in a plan never runs backwards:
    the plan keeps its latest day until the local date catches up, so no check-in moves to
    another day or disappears, and the day count never reads "day 0".
    """
    local = local_today(person, now)
    later = CheckIn.objects.filter(user_id=plan.user_id, date__gt=local).aggregate(day=Max("date"))
    return max(local, plan.created_on, later["day"] or local)


def day_number(plan: Plan, today: date) -> int:
    """Day 1 is the day the plan began."""
    return max(1, (today - plan.created_on).days + 1)
