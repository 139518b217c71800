"""The API while the database cannot be reached (PostgreSQL restarting, a failover, a full
pool): a 503 problem with Retry-After, as the site's pages answer, never the 500 of a bug."""

from __future__ import annotations

import json
from typing import Any
from unittest import mock

import pytest
from django.db import InterfaceError, OperationalError
from django.db.backends.utils import CursorWrapper

from tests.api.world import World

CHECK_IN = {
    "pain_now": 4,
    "spasm_episodes": 1,
    "exercises_done": [],
    "new_warning_signs": [],
}


@pytest.mark.parametrize(
    "error",
    [
        OperationalError("connection to server at 127.0.0.1, port 5432 failed"),
        InterfaceError("connection already closed"),
    ],
)
@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("get", "/api/v1/me/check-ins", None),
        ("post", "/api/v1/me/check-ins", CHECK_IN),
    ],
)
def test_a_database_outage_is_a_503_problem_not_a_500(
    world: World, error: Exception, method: str, path: str, body: Any
) -> None:
    client = world.client("patient")
    with mock.patch.object(CursorWrapper, "execute", side_effect=error):
        kw: dict[str, Any] = {}
        if body is not None:
            kw = {"data": json.dumps(body), "content_type": "application/json"}
        answer = getattr(client, method)(path, **kw)
    assert answer.status_code == 503, answer.content
    assert answer["Content-Type"] == "application/problem+json"
    assert answer["Retry-After"] == "5"
    problem = answer.json()
    assert problem["status"] == 503 and problem["title"] == "Service unavailable"
    assert "nothing was saved" in problem["detail"]


def _slot(world: World) -> str:
    """Ten o'clock at Quay five days on: Priya gives follow-ups there, and nobody has it."""
    from datetime import datetime, time, timedelta

    from django.utils import timezone

    from backcare.lib.timezones import zone

    here = zone(world.c.location.timezone)
    day = timezone.now().astimezone(here).date() + timedelta(days=5)
    return datetime.combine(day, time(10), tzinfo=here).isoformat()


@pytest.mark.parametrize(
    ("role", "path"),
    [
        ("patient", "/api/v1/me/appointments"),
        ("physio", "/api/v1/clinic/patients/{patient}/appointments"),
    ],
)
def test_a_booking_saved_just_before_the_database_is_lost_is_answered_201(
    world: World, role: str, path: str
) -> None:
    """The booking has committed when the database goes away: the answer must not be a 503
    that says nothing was saved (the client's retry would find its own slot taken). Found by
    scripts/fault.py restarting PostgreSQL mid-load."""
    from backcare.api import booking
    from backcare.clinic.models import Appointment

    real = booking.book_chosen
    lost = mock.patch.object(CursorWrapper, "execute", side_effect=OperationalError("lost"))

    def book_then_lose_the_database(*args: Any, **kwargs: Any) -> Any:
        made = real(*args, **kwargs)
        lost.start()
        return made

    body = {
        "location": world.c.location.pk,
        "appointment_type": world.follow_up.pk,
        "practitioner": world.c.priya.staff.pk,
        "start": _slot(world),
    }
    url = path.format(patient=world.maya.patient.pk)
    try:
        with mock.patch.object(booking, "book_chosen", book_then_lose_the_database):
            answer = world.client(role).post(
                url, data=json.dumps(body), content_type="application/json"
            )
    finally:
        mock.patch.stopall()
    assert answer.status_code == 201, answer.content
    made = Appointment.objects.get(pk=answer.json()["id"])
    assert made.start.isoformat() == answer.json()["start"].replace("Z", "+00:00")
    assert answer.json()["practitioner"] == world.c.priya.staff.name
