"""Free Slots through FHIR: the domain's free slots for one Schedule and appointment type, in
the location's zone, each readable on its own until it is booked."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

import pytest
import time_machine
from django.test import Client

from backcare.clinic.booking_actions import do_book, free_slots_for
from backcare.fhir.checks import check_bundle, check_resource
from tests.web.booking_people import NOW, BookingClinic, booking_clinic
from tests.web.people import logged_in

pytestmark = [pytest.mark.django_db, pytest.mark.db, pytest.mark.urls("tests.fhir.urls")]
FHIR = "/api/v1/fhir"


@pytest.fixture
def b() -> Any:
    with time_machine.travel(NOW, tick=False):
        yield booking_clinic()


def search(client: Client, b: BookingClinic, **params: str) -> Any:
    query = {
        "schedule": f"Schedule/{b.c.priya.staff.pk}-{b.c.location.pk}",
        "service-type": str(b.follow_up.pk),
        **params,
    }
    return client.get(f"{FHIR}/Slot", query)


def test_the_free_slots_of_a_schedule_are_the_domains(b: BookingClinic) -> None:
    client = logged_in(b.maya)
    response = search(client, b, start="2026-12-02", end="2026-12-02")
    assert response.status_code == 200
    bundle = json.loads(response.content)
    assert check_bundle(bundle) == []
    slots = [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Slot"]
    expected = free_slots_for(
        b.c.location,
        b.follow_up,
        first_day=date(2026, 12, 2),
        last_day=date(2026, 12, 2),
        now=NOW,
        practitioner_id=b.c.priya.staff.pk,
    )
    assert [datetime.fromisoformat(s["start"]) for s in slots] == [f.start for f in expected]
    assert slots[0]["start"] == "2026-12-02T09:00:00+11:00"  # Melbourne's summer offset
    assert bundle["total"] == len(slots) > 0


def test_a_free_slot_reads_alone_until_it_is_booked(b: BookingClinic) -> None:
    client = logged_in(b.maya)
    bundle = json.loads(search(client, b, start="2026-12-02", end="2026-12-02").content)
    slot = next(e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Slot")
    alone = json.loads(client.get(f"{FHIR}/Slot/{slot['id']}").content)
    assert alone == slot and check_resource(alone) == []
    start = datetime.fromisoformat(slot["start"]).astimezone(UTC)
    do_book(
        b.maya,
        patient=b.maya.patient,
        practitioner=b.c.priya.staff,
        location=b.c.location,
        appointment_type=b.follow_up,
        start=start,
        now=NOW,
    )
    assert client.get(f"{FHIR}/Slot/{slot['id']}").status_code == 404


@pytest.mark.parametrize(
    ("params", "status", "message"),
    [
        ({"start": "2 Dec"}, 400, "start: must be a date (YYYY-MM-DD)"),
        ({"start": "2026-12-02", "end": "2026-12-30"}, 400, "at most 14 days"),
        ({"service-type": ""}, 400, "service-type: name an appointment type id"),
        ({"schedule": ""}, 400, "schedule: name a Schedule"),
        ({"schedule": "Schedule/999-1"}, 404, "not found"),
        ({"service-type": "99999999999999999999"}, 404, "not found"),
    ],
)
def test_a_bad_search_is_an_outcome_naming_the_parameter(
    b: BookingClinic, params: dict[str, str], status: int, message: str
) -> None:
    response = search(logged_in(b.maya), b, **params)
    assert response.status_code == status
    body = json.loads(response.content)
    assert body["resourceType"] == "OperationOutcome"
    assert message in body["issue"][0]["diagnostics"]
