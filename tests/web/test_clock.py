"""Every hour, every zone: a person's day is their own, whatever the server's clock says.

Each test pins the clock itself with time-machine, at instants chosen so that the person's date
differs from the server's (UTC) date, and on Melbourne's summer-time changes.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from backcare.care.actions import do_start_thermal
from backcare.care.models import CheckIn, Patient, Plan
from tests.web.people import logged_in, person

pytestmark = pytest.mark.django_db

ZONES = ("Pacific/Kiritimati", "Pacific/Pago_Pago", "Australia/Melbourne", "Europe/London")
INSTANTS = (
    "2026-12-01T00:30:00Z",
    "2026-12-01T11:00:00Z",
    "2026-12-01T15:30:00Z",
    "2026-12-01T23:30:00Z",
)


def local_date(instant: str, zone: str) -> date:
    from zoneinfo import ZoneInfo

    return datetime.fromisoformat(instant).astimezone(ZoneInfo(zone)).date()


def check_in_form(**overrides: Any) -> dict[str, Any]:
    return {
        "pain_now": "3",
        "spasm_episodes": "1",
        "exercises_done": [],
        "pain_during_exercise": "",
        "pain_next_morning": "",
        "new_warning_signs": ["none"],
        **overrides,
    }


def html(client: Client, name: str) -> str:
    response = client.get(reverse(name))
    assert response.status_code == 200, name
    return response.content.decode()


@pytest.mark.parametrize("zone", ZONES)
@pytest.mark.parametrize("instant", INSTANTS)
def test_the_plan_begins_and_checks_in_on_the_persons_own_day(zone: str, instant: str) -> None:
    with time_machine.travel(instant, tick=False):
        user, plan = person("maya", zone=zone, onset_days=4, pain_now=4)
        day = local_date(instant, zone)
        assert plan.created_on == day
        client = logged_in(user)
        assert "Today, day 1" in html(client, "today")
        client.post(reverse("check_in"), check_in_form())
        assert CheckIn.objects.get(patient__user=user).date == day
        assert "Checked in. " in html(client, "today")
        assert "Day 1 of your plan" in html(client, "progress")
    with time_machine.travel(datetime.fromisoformat(instant) + timedelta(days=1), tick=False):
        assert "Today, day 2" in html(client, "today")


@pytest.mark.parametrize(
    ("first", "second"),
    [
        # 2026-04-05: at 03:00 Melbourne's clocks go back, so 02:30 happens twice.
        ("2026-04-04T15:30:00Z", "2026-04-04T16:30:00Z"),
        # 2026-10-04: at 02:00 they go forward, so 01:59 is followed by 03:00.
        ("2026-10-03T15:59:00Z", "2026-10-03T16:00:00Z"),
    ],
    ids=["clocks-back", "clocks-forward"],
)
def test_both_sides_of_a_summer_time_change_are_the_same_day(first: str, second: str) -> None:
    with time_machine.travel(first, tick=False):
        user, plan = person("maya", zone="Australia/Melbourne", onset_days=4, pain_now=4)
        client = logged_in(user)
        client.post(reverse("check_in"), check_in_form(pain_now="5"))
    with time_machine.travel(second, tick=False):
        assert "Today, day 1" in html(client, "today")
        client.post(reverse("check_in"), check_in_form(pain_now="4"))
    saved = CheckIn.objects.get(patient__user=user)
    assert saved.date == plan.created_on
    assert saved.pain_now == 4


@pytest.mark.parametrize(
    ("start", "moved_to", "day"),
    [
        ("Pacific/Kiritimati", "Pacific/Pago_Pago", 1),  # 25 hours west: the date goes back
        ("Australia/Melbourne", "Europe/London", 1),
        ("Pacific/Pago_Pago", "Pacific/Kiritimati", 2),  # east: the next day comes sooner
    ],
)
def test_changing_time_zone_never_moves_or_hides_a_check_in(
    start: str, moved_to: str, day: int
) -> None:
    with time_machine.travel("2026-12-01T11:00:00Z", tick=False):
        user, plan = person("maya", zone=start, onset_days=4, pain_now=4)
        client = logged_in(user)
        client.post(reverse("check_in"), check_in_form(pain_now="6"))
        saved = CheckIn.objects.get(patient__user=user)
        response = client.post(
            reverse("account_settings"), {"email": user.email, "timezone": moved_to}
        )
        assert response.status_code == 302
        assert Patient.objects.get(user=user).timezone == moved_to
        today = html(client, "today")
        assert "day 0" not in today.lower() and f"Today, day {day}" in today
        assert ("Checked in. " in today) is (day == 1)
        progress = html(client, "progress")
        assert f"Day {day} of your plan" in progress
        assert f"<td>{saved.pain_now}</td>" in progress
        client.post(reverse("check_in"), check_in_form(pain_now="5"))
        kept = CheckIn.objects.get(pk=saved.pk)
        assert kept.date == saved.date
        assert kept.pain_now == (5 if day == 1 else 6)  # the same day is updated, never moved
        assert CheckIn.objects.filter(patient__user=user).count() == (1 if day == 1 else 2)
    assert Plan.objects.get(pk=plan.pk).created_on == plan.created_on


def test_the_ice_limit_counts_the_persons_own_day() -> None:
    """Four goes of ice on one Melbourne day, though the server's date changes in between."""
    user, _ = person("maya", zone="Australia/Melbourne")
    start = datetime.fromisoformat("2026-12-01T20:00:00Z")  # 07:00 on the 2nd in Melbourne
    for n in range(4):
        assert do_start_thermal(
            user, user.patient, "cold", now=start + timedelta(hours=3, minutes=1) * n
        ).allowed
    # By the server's (UTC) date these five goes fall on two days, two and three; by the
    # person's they are all on the 2nd, so the fifth is one too many.
    fifth = do_start_thermal(user, user.patient, "cold", now=start + timedelta(hours=13))
    assert not fifth.allowed and "4 times today" in fifth.reason
