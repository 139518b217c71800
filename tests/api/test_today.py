"""The API's Today is kept between requests under the version of what it is made from
(care/queries.py today_version): every change shows on the very next read, even one at the
same instant, a warning sign first of all; the day turns at the person's own midnight; and the
request counts can live in Redis."""

from __future__ import annotations

import secrets
from datetime import datetime
from zoneinfo import ZoneInfo

import redis
import time_machine
from django.conf import settings
from django.core.cache import caches
from django.test import override_settings
from django.utils import timezone

from backcare.api import throttle
from backcare.care.actions import do_change_programme, do_check_in
from backcare.care.models import Patient
from backcare.domain.changes import Change, ClinicianChange
from backcare.domain.checkin import CheckIn as CheckInValue
from tests.api.world import World
from tests.web.people import today_of

TODAY = "/api/v1/me/today"
MELBOURNE = ZoneInfo("Australia/Melbourne")


def test_a_kept_checklist_is_the_one_made_afresh(world: World) -> None:
    maya = world.client("patient")
    made = maya.get(TODAY)
    assert made.status_code == 200 and made["Content-Type"].startswith("application/json")
    kept = maya.get(TODAY)
    caches["today"].clear()
    assert kept.content == made.content == maya.get(TODAY).content
    assert made.json()["physio_change"]["kind"] == "lock"


def test_each_person_has_their_own_checklist(world: World) -> None:
    maya, sam = world.client("patient").get(TODAY), world.client("other patient").get(TODAY)
    assert maya.json()["physio_change"] is not None and sam.json()["physio_change"] is None


def test_a_warning_sign_stops_the_checklist_on_the_next_read_at_the_same_instant(
    world: World,
) -> None:
    with time_machine.travel(timezone.now(), tick=False):
        maya = world.client("patient")
        before = maya.get(TODAY).json()
        assert before["exercising"] and before["exercises"] and not before["stopped"]
        value = CheckInValue.model_validate(
            {"date": today_of(world.maya), "pain_now": 3, "spasm_episodes": 1,
             "new_warning_signs": ["fever"]}
        )  # fmt: skip
        do_check_in(world.maya, world.maya.patient, value, now=timezone.now())
        after = maya.get(TODAY).json()
    assert after["stopped"] and not after["exercising"] and after["exercises"] == []
    assert after["latest_result"]["status"] == "stop"


def test_a_physiotherapists_change_shows_on_the_next_read_at_the_same_instant(
    world: World,
) -> None:
    with time_machine.travel(timezone.now(), tick=False):
        maya = world.client("patient")
        assert maya.get(TODAY).json()["physio_change"]["kind"] == "lock"
        change = ClinicianChange(on=today_of(world.maya), kind=Change.UNLOCK, exercise="*")
        _, problems = do_change_programme(
            world.c.priya, world.maya.patient, change, today=today_of(world.maya),
            now=timezone.now(),
        )  # fmt: skip
        assert not problems
        assert maya.get(TODAY).json()["physio_change"]["kind"] == "unlock"


def test_the_day_turns_at_the_persons_midnight_on_the_day_summer_time_ends(
    world: World,
) -> None:
    """Melbourne's clocks go back at 03:00 on Sunday 4 April 2027 (a 25-hour day): the checklist
    kept late on the Saturday is not Sunday's."""
    maya = world.client("patient")
    Patient.objects.filter(pk=world.maya.patient.pk).update(timezone="Australia/Melbourne")
    with time_machine.travel(datetime(2027, 4, 3, 23, 59, tzinfo=MELBOURNE), tick=False) as clock:
        saturday = maya.get(TODAY).json()
        clock.move_to(datetime(2027, 4, 4, 0, 1, tzinfo=MELBOURNE))
        sunday = maya.get(TODAY).json()
    assert saturday["day"] == "2027-04-03" and sunday["day"] == "2027-04-04"
    assert sunday["day_number"] == saturday["day_number"] + 1
    assert not sunday["checked_in_today"]


def test_a_person_who_moves_zone_is_given_their_new_date(world: World) -> None:
    maya = world.client("patient")
    at = datetime(2026, 12, 5, 23, 30, tzinfo=MELBOURNE)  # 12:30 UTC
    with time_machine.travel(at, tick=False):
        here = maya.get(TODAY).json()
        Patient.objects.filter(pk=world.maya.patient.pk).update(timezone="Pacific/Kiritimati")
        there = maya.get(TODAY).json()  # 02:30 on Sunday in Kiritimati
    assert here["day"] == "2026-12-05" and there["day"] == "2026-12-06"


def _redis_counts(per_token: int) -> override_settings:
    # A secret of this test's own: the counts' keys are made with it, so no other run's counts
    # in the same Redis (a minute's keys live two minutes) are this test's.
    return override_settings(
        BACKCARE_API_COUNTS="REDIS",
        BACKCARE_API_RATE_LIMITS=(1000, per_token),
        SECRET_KEY=secrets.token_hex(32),
    )


def test_counted_in_redis_a_token_over_its_minute_gets_a_429(world: World) -> None:
    with _redis_counts(2), time_machine.travel("2026-12-01T11:00:20Z", tick=False):
        maya = world.client("patient")
        assert [maya.get(TODAY).status_code for _ in range(2)] == [200, 200]
        refused = maya.get(TODAY)
        assert refused.status_code == 429 and refused["Retry-After"] == "40"
        assert refused["Content-Type"] == "application/problem+json"
        assert world.client("other patient").get(TODAY).status_code == 200
        # Each count goes when its minute has passed: given its expiry as it was made.
        window = int(timezone.now().timestamp()) // 60 * 60
        name = f"backcare:api:{throttle._key('address', '127.0.0.1')}:{window}"
        stored = redis.Redis.from_url(settings.REDIS_URL)
        assert int(stored.get(name)) == 4 and 0 < stored.ttl(name) <= 120


def test_redis_out_of_reach_is_a_503_that_says_try_again(world: World) -> None:
    with _redis_counts(100), override_settings(REDIS_URL="redis://127.0.0.1:9/0"):
        refused = world.client("patient").get(TODAY)
    assert refused.status_code == 503 and refused["Retry-After"] == "5"
    assert "try again shortly" in refused.json()["detail"].lower()
