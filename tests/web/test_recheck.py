"""The two-weekly re-check during a plan: judged against the plan's own start, so getting better
is never punished, and the episode's history is never lost."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from backcare.care.models import CheckIn, Plan
from tests.web.people import logged_in, signed_up, today_of
from tests.web.test_check import complete_check

pytestmark = pytest.mark.django_db

START = datetime.fromisoformat("2026-11-10T09:00:00+00:00")


def check_in(client: object, pain: str, spasms: str) -> None:
    client.post(  # type: ignore[attr-defined]
        reverse("check_in"),
        {"pain_now": pain, "spasm_episodes": spasms, "new_warning_signs": ["none"]},
    )


def three_weeks_in(pain: str, spasms: str) -> tuple[object, Plan]:
    """Maya began a plan at pain 4 and 3 spasms a day (onset 3 days before) and has checked in
    every day since, at these numbers."""
    user = signed_up("maya")
    with time_machine.travel(START, tick=False):
        client = logged_in(user)
        client.post(complete_check(client)["Location"])
    plan = Plan.objects.get(patient__user=user, is_active=True)
    for n in range(1, 21):
        with time_machine.travel(START + timedelta(days=n), tick=False):
            client = logged_in(user)
            check_in(client, pain, spasms)
    return client, plan


def checked_in_days(page: str) -> int:
    """The days counted in the Progress page's weekly tables (week, days checked in, ...)."""
    import re

    return sum(int(n) for n in re.findall(r'<tr><th scope="row">[^<]*</th><td>(\d+)</td>', page))


def test_getting_better_continues_the_plan_even_after_two_weeks() -> None:
    client, plan = three_weeks_in(pain="1", spasms="0")
    with time_machine.travel(START + timedelta(days=21), tick=False):
        client = logged_in(plan.patient.user)
        url = complete_check(
            client, episode={"onset_days": "24", "pain_now": "1", "spasm_episodes_per_day": "0"}
        )["Location"]
        page = client.get(url).content.decode()
        assert "Book an assessment" not in page and "Continue my plan" in page
        assert "Yours has not yet." not in page  # improving: two weeks is no warning sign
        assert client.post(url)["Location"] == reverse("today")
        kept = Plan.objects.get(pk=plan.pk)
        assert kept.is_active and kept.phase == Plan.objects.get(pk=plan.pk).phase
        assert kept.checked_on == today_of(plan.patient.user)
        assert Plan.objects.filter(patient=plan.patient).count() == 1
        progress = client.get(reverse("progress")).content.decode()
        assert checked_in_days(progress) >= 2 * 20  # the whole history, in both weekly tables


def test_not_getting_better_after_two_weeks_asks_for_an_assessment() -> None:
    client, plan = three_weeks_in(pain="4", spasms="3")
    # Check-ins already told the plan so after two weeks: it is at see-a-doctor level now.
    assert Plan.objects.get(pk=plan.pk).level == "see_doctor"
    with time_machine.travel(START + timedelta(days=21), tick=False):
        client = logged_in(plan.patient.user)
        url = complete_check(client, episode={"onset_days": "24"})["Location"]
        page = client.get(url).content.decode()
        assert "Book an assessment" in page and "Yours has not yet." in page
        assert "Continue my plan" in page


def test_a_new_level_starts_a_new_plan_but_keeps_the_whole_episode() -> None:
    client, plan = three_weeks_in(pain="1", spasms="0")
    with time_machine.travel(START + timedelta(days=21), tick=False):
        client = logged_in(plan.patient.user)
        answers = {"onset_days": "24", "pain_now": "1", "spasm_episodes_per_day": "0"}
        url = complete_check(client, episode=answers, signs={"leg_numbness_or_tingling": "yes"})[
            "Location"
        ]
        page = client.get(url).content.decode()
        assert "Book an assessment" in page and "Start the new plan" in page
        client.post(url)
        new = Plan.objects.get(patient=plan.patient, is_active=True)
        assert new.pk != plan.pk and new.level == "see_doctor"
        assert new.episode_started_on == plan.created_on
        assert (new.episode_pain, new.episode_spasms) == (4, 3)
        progress = client.get(reverse("progress")).content.decode()
        # The episode's 20 check-ins before the new plan, in the pain and spasm weekly tables.
        assert checked_in_days(progress) >= 2 * 20
    assert CheckIn.objects.filter(patient=plan.patient).count() == 20
