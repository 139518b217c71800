"""Ice and heat from Today: the timer refuses to start before the skin has had its 2 hours."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from backcare.care.actions import do_start_thermal, do_stop_thermal
from backcare.care.models import ThermalApplication
from tests.web.people import people

pytestmark = pytest.mark.django_db


def test_starting_ice_shows_a_timer_with_its_end_time() -> None:
    p = people()
    client = Client()
    client.force_login(p.maya)
    started = client.post(reverse("thermal"), {"kind": "cold"})
    assert started["Location"] == reverse("today") + "#timer"  # back to the timer, not the top
    response = client.get(started["Location"])
    html = response.content.decode()
    running = ThermalApplication.objects.get(patient__user=p.maya)
    assert running.ends_at - running.started_at == timedelta(minutes=20)
    assert "Ice is on" in html and "data-ends-at" in html and "I have taken it off" in html


def test_it_refuses_to_start_before_the_skin_has_had_two_hours() -> None:
    p = people()
    start = timezone.now()
    assert do_start_thermal(p.maya, p.maya.patient, "cold", now=start).allowed
    do_stop_thermal(p.maya, p.maya.patient, now=start + timedelta(minutes=15))
    too_soon = do_start_thermal(p.maya, p.maya.patient, "heat", now=start + timedelta(minutes=60))
    assert not too_soon.allowed
    assert too_soon.next_allowed_at == start + timedelta(minutes=135)
    assert do_start_thermal(
        p.maya, p.maya.patient, "heat", now=start + timedelta(minutes=135)
    ).allowed
    assert ThermalApplication.objects.filter(patient__user=p.maya).count() == 2


def test_the_refusal_is_shown_to_the_person_with_the_next_time() -> None:
    p = people()
    client = Client()
    client.force_login(p.maya)
    client.post(reverse("thermal"), {"kind": "heat"})
    client.post(reverse("thermal"), {"action": "stop"})
    html = client.post(reverse("thermal"), {"kind": "cold"}, follow=True).content.decode()
    assert "needs 2 hours to recover" in html and "You can start again at" in html
    assert ThermalApplication.objects.filter(patient__user=p.maya).count() == 1


def test_no_more_than_four_a_day() -> None:
    p = people()
    start = timezone.now().replace(hour=6, minute=0)
    for n in range(4):
        assert do_start_thermal(
            p.maya, p.maya.patient, "cold", now=start + timedelta(hours=3 * n)
        ).allowed
    fifth = do_start_thermal(p.maya, p.maya.patient, "cold", now=start + timedelta(hours=14))
    assert not fifth.allowed and "times today" in fifth.reason


def test_another_persons_timer_does_not_affect_mine() -> None:
    p = people()
    now = timezone.now()
    do_start_thermal(p.sam, p.sam.patient, "cold", now=now)
    assert do_start_thermal(p.maya, p.maya.patient, "cold", now=now).allowed


@pytest.mark.parametrize("data", [{"kind": "lava"}, {}, {"action": "explode"}])
def test_nonsense_is_refused_politely(data: dict[str, str]) -> None:
    p = people()
    client = Client()
    client.force_login(p.maya)
    response = client.post(reverse("thermal"), data)
    assert response.status_code == 302
    assert not ThermalApplication.objects.exists()


def test_the_timer_needs_a_login_and_a_post() -> None:
    assert Client().post(reverse("thermal"), {"kind": "cold"}).status_code == 302
    p = people()
    client = Client()
    client.force_login(p.maya)
    assert client.get(reverse("thermal")).status_code == 405


def test_times_are_shown_in_the_persons_time_zone() -> None:
    p = people()
    p.maya.patient.timezone = "Asia/Tokyo"
    p.maya.patient.save()
    client = Client()
    client.force_login(p.maya)
    client.post(reverse("thermal"), {"kind": "heat"})
    running = ThermalApplication.objects.get(patient__user=p.maya)
    tokyo = running.ends_at.astimezone(ZoneInfo("Asia/Tokyo"))
    html = client.get(reverse("today")).content.decode()
    assert f"until <strong>{tokyo:%H:%M}</strong>" in html
