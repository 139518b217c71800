from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from backcare.accounts.models import User
from backcare.care.models import CheckIn, Plan

pytestmark = pytest.mark.django_db


def test_the_demo_patient_has_weeks_of_check_ins_and_is_marked_as_demo() -> None:
    call_command("seed_demo")
    call_command("seed_demo")  # idempotent
    demo = User.objects.get(username="demo")
    assert demo.is_demo
    assert demo.clinic is not None and demo.clinic.is_demo
    assert demo.clinic.locations.count() == 2
    assert CheckIn.objects.filter(user=demo).count() >= 14
    assert Plan.objects.get(user=demo, is_active=True).steps.count() >= 14
    client = Client()
    response = client.post(reverse("login"), {"username": "demo", "password": "backcare-demo"})
    assert response.status_code == 302 and response["Location"] == reverse("today")
    page = client.get(reverse("today")).content.decode()
    assert "Demo account" in page and "Your exercises" in page
