"""The clinic side is for staff with their second factor done; patients never see it."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.web.people import clinic_for, logged_in, people, staff_client

pytestmark = pytest.mark.django_db


def test_staff_reach_their_queue_only_after_the_second_factor() -> None:
    p = people()
    c = clinic_for(p.maya)
    url = reverse("clinic_home")
    assert Client().get(url).status_code == 302  # log in first
    assert logged_in(p.maya).get(url).status_code == 404  # no clinic side for patients
    half = logged_in(c.priya).get(url)
    assert half.status_code == 302 and half["Location"].startswith(reverse("staff_verify"))
    page = staff_client(c.priya).get(url)
    assert page.status_code == 200 and "maya" in page.content.decode().lower()
    assert "maya" not in staff_client(c.otto).get(url).content.decode().lower()


def test_staff_land_on_their_queue_from_home() -> None:
    c = clinic_for()
    assert staff_client(c.priya).get(reverse("home"))["Location"] == reverse("clinic_home")


def test_staff_see_their_clinics_emergency_number() -> None:
    """An Australian clinic's physiotherapist is shown 000, not the deployment's default."""
    from tests.web.people import clinic_for, signed_up, staff_client

    clinic = clinic_for(signed_up("maya"))
    body = staff_client(clinic.priya).get("/clinic/").content.decode()
    assert 'href="tel:000"' in body
