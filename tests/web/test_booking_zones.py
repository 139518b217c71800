"""Slot tables through the booking page in Melbourne, Brisbane, Adelaide and Perth, on and around
the 2026 DST change days, and bookers in other zones: each time shown on the location's clock
with its zone named, booked from the page's own button, and stored as the UTC instant."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time

import pytest
import time_machine
from django.urls import reverse

from backcare.clinic.models import Appointment, Location, OpeningHours, WorkingHours
from tests.web.booking_people import booking_clinic
from tests.web.people import logged_in, signed_up, staff_member

pytestmark = pytest.mark.django_db

BACK, FORWARD = date(2026, 4, 5), date(2026, 10, 4)
SLOT = re.compile(r'name="start" value="([^"]+)"[^>]*>([^<]+)<')


def _place(b, name: str, zone: str, *, hours=(time(9), time(10, 30))) -> Location:
    """A location of the test clinic with its own practitioner there every day."""
    loc = Location.objects.create(clinic=b.c.clinic, name=name, timezone=zone, region="AU")
    who = staff_member(name.lower().replace(" ", ""), b.c.clinic, "physio").staff
    for day in range(7):
        OpeningHours.objects.create(location=loc, weekday=day, start=time(0), end=time(23))
        WorkingHours.objects.create(
            staff=who, location=loc, weekday=day, start=hours[0], end=hours[1]
        )
    b.follow_up.givers.add(who)
    return loc


def _page_slots(client, loc: Location, kind, day: date) -> list[tuple[str, str]]:
    page = client.get(reverse("book"), {"location": loc.pk, "type": kind.pk, "day": day})
    assert page.status_code == 200
    html = page.content.decode()
    assert f"({loc.timezone})" in html  # the zone is named
    return [(label.strip(), value) for value, label in SLOT.findall(html)]


def _utc(text: str) -> str:
    return datetime.fromisoformat(text).astimezone(UTC).strftime("%Y-%m-%d %H:%M")


MORNINGS = [
    # (zone, day, [(label shown, UTC instant stored)]): a 09:00-10:30 morning of 30-minute slots
    ("Australia/Melbourne", BACK, ["09:00 AEST", "09:30 AEST", "10:00 AEST"], "04-04 23:00"),
    ("Australia/Melbourne", FORWARD, ["09:00 AEDT", "09:30 AEDT", "10:00 AEDT"], "10-03 22:00"),
    ("Australia/Brisbane", date(2026, 4, 4), ["09:00 AEST", "09:30 AEST", "10:00 AEST"],
     "04-03 23:00"),
    ("Australia/Brisbane", BACK, ["09:00 AEST", "09:30 AEST", "10:00 AEST"], "04-04 23:00"),
    ("Australia/Brisbane", FORWARD, ["09:00 AEST", "09:30 AEST", "10:00 AEST"], "10-03 23:00"),
    ("Australia/Adelaide", date(2026, 4, 4), ["09:00 ACDT", "09:30 ACDT", "10:00 ACDT"],
     "04-03 22:30"),
    ("Australia/Adelaide", BACK, ["09:00 ACST", "09:30 ACST", "10:00 ACST"], "04-04 23:30"),
    ("Australia/Adelaide", date(2026, 10, 3), ["09:00 ACST", "09:30 ACST", "10:00 ACST"],
     "10-02 23:30"),
    ("Australia/Adelaide", FORWARD, ["09:00 ACDT", "09:30 ACDT", "10:00 ACDT"], "10-03 22:30"),
    ("Australia/Perth", BACK, ["09:00 AWST", "09:30 AWST", "10:00 AWST"], "04-05 01:00"),
    ("Australia/Perth", FORWARD, ["09:00 AWST", "09:30 AWST", "10:00 AWST"], "10-04 01:00"),
]  # fmt: skip


@pytest.mark.parametrize(("zone", "day", "labels", "first_utc"), MORNINGS)
def test_a_morning_in_each_zone_is_shown_on_its_clock_and_stored_in_utc(
    zone: str, day: date, labels: list[str], first_utc: str
) -> None:
    b = booking_clinic()
    loc = _place(b, zone.split("/")[1], zone)
    maya = logged_in(b.maya)
    with time_machine.travel(datetime(day.year, day.month, 1, tzinfo=UTC), tick=False):
        found = _page_slots(maya, loc, b.follow_up, day)
        assert [label for label, _ in found] == labels
        assert _utc(found[0][1]) == f"2026-{first_utc}"
        done = maya.post(
            reverse("book"),
            {"location": loc.pk, "type": b.follow_up.pk, "practitioner": "any",
             "start": found[0][1]},
        )  # fmt: skip
    assert done.status_code == 302
    a = Appointment.objects.get()
    assert a.start.utcoffset().total_seconds() == 0  # type: ignore[union-attr]
    assert a.start.strftime("%Y-%m-%d %H:%M") == f"2026-{first_utc}"
    assert (a.end - a.start).total_seconds() == 30 * 60
    assert Appointment.objects.filter(start=datetime.fromisoformat(f"2026-{first_utc}+00:00"))


NIGHTS = [
    # Adelaide's small hours: 02:00-02:59 twice on 5 April, not at all on 4 October.
    (BACK, [("01:00 ACDT", "14:30"), ("01:30 ACDT", "15:00"),
            ("02:00 ACDT (UTC+10:30)", "15:30"), ("02:30 ACDT (UTC+10:30)", "16:00"),
            ("02:00 ACST (UTC+09:30)", "16:30"), ("02:30 ACST (UTC+09:30)", "17:00"),
            ("03:00 ACST", "17:30"), ("03:30 ACST", "18:00")]),
    (FORWARD, [("01:00 ACST", "15:30"), ("01:30 ACST", "16:00"),
               ("03:00 ACDT", "16:30"), ("03:30 ACDT", "17:00")]),
]  # fmt: skip


@pytest.mark.parametrize(("day", "table"), NIGHTS)
def test_adelaides_change_nights_through_the_page(day: date, table: list[tuple[str, str]]):
    b = booking_clinic()
    loc = _place(b, "Norwood", "Australia/Adelaide", hours=(time(1), time(4)))
    maya = logged_in(b.maya)
    with time_machine.travel(datetime(day.year, day.month, 1, tzinfo=UTC), tick=False):
        found = _page_slots(maya, loc, b.follow_up, day)
        assert [(label, _utc(v)[11:]) for label, v in found] == table
        # book the later of the two 02:00s (or 03:00 AEDT): the button's own value is stored
        wanted = found[4] if day == BACK else found[2]
        done = maya.post(
            reverse("book"),
            {"location": loc.pk, "type": b.follow_up.pk, "practitioner": "any",
             "start": wanted[1]},
        )  # fmt: skip
    assert done.status_code == 302
    assert Appointment.objects.get().start == datetime.fromisoformat(wanted[1])
    stored = Appointment.objects.get().start.astimezone(UTC).strftime("%H:%M")
    assert stored == "16:30"  # 02:00 ACST on 5 April, 03:00 ACDT on 4 October


@pytest.mark.parametrize(
    ("home", "day", "shown", "yours"),
    [
        # December: Melbourne on AEDT (+11), Perth AWST (+8), London GMT (+0)
        ("Australia/Perth", date(2026, 12, 3), "09:00 AEDT", "06:00 AWST your time"),
        ("Europe/London", date(2026, 12, 3), "09:00 AEDT", "Wed 2 Dec, 22:00 GMT your time"),
    ],
)
def test_a_patient_elsewhere_sees_the_locations_clock_and_their_own(home, day, shown, yours):
    b = booking_clinic()
    away = signed_up("far", zone=home)
    client = logged_in(away)
    with time_machine.travel(datetime(2026, 12, 1, tzinfo=UTC), tick=False):
        page = client.get(
            reverse("book"), {"location": b.c.location.pk, "type": b.follow_up.pk, "day": day}
        ).content.decode()
        assert "(Australia/Melbourne)" in page and f"where you are ({home})" in page
        button = re.search(r'name="start" value="([^"]+)"[^>]*>(.*?)</button>', page)
        assert button is not None
        assert shown in button[2] and yours in button[2]
        done = client.post(
            reverse("book"),
            {"location": b.c.location.pk, "type": b.follow_up.pk, "practitioner": "any",
             "start": button[1]},
        )  # fmt: skip
        assert done.status_code == 302
        mine = client.get(reverse("appointment", args=[Appointment.objects.get().pk]))
    assert "09:00 AEDT (Australia/Melbourne)" in mine.content.decode()
    assert Appointment.objects.get().start == datetime(2026, 12, 2, 22, tzinfo=UTC)


def test_a_patient_in_the_locations_zone_sees_one_clock():
    b = booking_clinic()
    with time_machine.travel(datetime(2026, 12, 1, tzinfo=UTC), tick=False):
        page = logged_in(b.maya).get(
            reverse("book"), {"location": b.c.location.pk, "type": b.follow_up.pk}
        )
    assert b"your time" not in page.content and b"where you are" not in page.content
