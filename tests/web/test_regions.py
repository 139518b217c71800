"""The person's own emergency number: from their choice, their clinic, their browser, or the
deployment's default, in that order, everywhere emergency or urgent advice is shown."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from backcare.care.models import Patient
from backcare.clinic.models import Clinic, Location
from backcare.lib.regions import from_language, person_region
from tests.web.people import logged_in, person
from tests.web.test_check import complete_check

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("header", "code"),
    [
        ("en-AU,en;q=0.9", "AU"),
        ("en-GB", "GB"),
        ("en-UK", "GB"),
        ("en-US,en;q=0.5", "US"),
        ("fr-CA", "CA"),
        ("de-DE,de;q=0.9", "EU"),
        ("en-NZ", "NZ"),
        ("en", ""),
        ("", ""),
        ("xx-ZZ, ;;, -", ""),
    ],
)
def test_the_browser_language_suggests_a_region(header: str, code: str) -> None:
    assert from_language(header) == code


def test_the_persons_choice_wins_then_their_clinic_then_the_browser_then_the_default(
    settings: object,
) -> None:
    user, _ = person("maya")
    patient = user.patient
    assert person_region(patient, accept_language="en-NZ").code == "NZ"
    assert person_region(patient).code == "AU"  # the deployment default
    clinic = Clinic.objects.create(name="Harbour Physio")
    Location.objects.create(clinic=clinic, name="Quay", region="GB", timezone="Europe/London")
    patient.clinic = clinic
    patient.save()
    assert person_region(patient, accept_language="en-NZ").code == "GB"
    patient.region = "US"
    patient.save()
    assert person_region(patient, accept_language="en-NZ").code == "US"


def test_an_emergency_result_has_a_call_button_with_the_visitors_number(client: Client) -> None:
    url = complete_check(client, signs={"saddle_anaesthesia": "yes"})["Location"]
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en-GB").content.decode()
    assert 'class="button button-call" href="tel:999"' in page and 'href="tel:111"' in page
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en-AU").content.decode()
    assert 'href="tel:000"' in page and 'href="tel:1800022222"' in page


def test_the_region_can_be_changed_on_the_result_page(client: Client) -> None:
    url = complete_check(client, signs={"fever": "yes"})["Location"]
    assert 'id="region-form"' in client.get(url).content.decode()
    response = client.post(reverse("set_region"), {"region": "NZ", "next": url})
    assert response["Location"] == url
    page = client.get(url).content.decode()
    assert 'href="tel:111"' in page and 'href="tel:0800611116"' in page


def test_a_logged_in_persons_choice_is_saved_on_their_account() -> None:
    user, _ = person("maya")
    client = logged_in(user)
    client.post(reverse("set_region"), {"region": "IE", "next": reverse("today")})
    assert Patient.objects.get(user=user).region == "IE"


@pytest.mark.parametrize(
    "data",
    [{"region": "XX"}, {"region": ""}, {}, {"region": "AU", "next": "https://evil.example/"}],
)
def test_a_bad_region_or_an_outside_address_is_refused(
    client: Client, data: dict[str, str]
) -> None:
    response = client.post(reverse("set_region"), data)
    assert response.status_code == 302
    assert not response["Location"].startswith("https://evil")
    assert "region" not in client.session or data.get("region") == "AU"
