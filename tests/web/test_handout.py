"""The printable PDF handout and the calendar file, as a patient downloads them."""

from __future__ import annotations

import base64
import io
import re
from datetime import date, timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar
from pypdf import PdfReader

from backcare.accounts.models import User
from backcare.care import charts
from backcare.care.actions import do_save_assessment, do_start_plan
from backcare.care.handout import svg_data_uri
from backcare.care.models import Plan
from backcare.domain import catalogue
from backcare.domain.assessment import Assessment
from backcare.domain.episode import RECHECK_AFTER_DAYS
from tests.domain.people import answers
from tests.web.people import People, logged_in, person, today_of

pytestmark = pytest.mark.django_db


def replan(user: User, **overrides: Any) -> Plan:
    """A new check for `user`, whose plan replaces the active one."""
    now = timezone.now()
    record = do_save_assessment(
        user, user.patient, Assessment.model_validate(answers(**overrides)), now=now
    )
    return do_start_plan(user, user.patient, record, today=today_of(user), now=now)


def names(plan: Plan) -> set[str]:
    return {catalogue.exercises()[p["exercise"]].name for p in plan.state["prescriptions"]}


def pdf_text(client: Client) -> str:
    response = client.get(reverse("handout_pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(response.content))
    return " ".join(" ".join((page.extract_text() or "") for page in reader.pages).split())


def ics(client: Client) -> Calendar:
    response = client.get(reverse("calendar_ics"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="backcare.ics"'
    return Calendar.from_ical(response.content)


def events(cal: Calendar) -> dict[str, Any]:
    return {str(e["SUMMARY"]): e for e in cal.walk("VEVENT")}


def test_the_handout_is_a_pdf_with_every_exercise_and_the_warning_signs(team: People) -> None:
    response = logged_in(team.maya).get(reverse("handout_pdf"))
    assert re.fullmatch(
        r'attachment; filename="backcare-programme-\d{4}-\d{2}-\d{2}\.pdf"',
        response["Content-Disposition"],
    )
    text = pdf_text(logged_in(team.maya))
    assert names(team.maya_plan)
    for name in names(team.maya_plan):
        assert name in text
    assert "emergency" in text
    assert "Stop if:" in text and "not a diagnosis" in text
    assert "Ice or a cold pack" in text and "2-hour skin rule" in text
    assert "Resting positions" in text and "Sources" in text


def test_the_handout_draws_the_charts_once_there_are_check_ins(team: People) -> None:
    client = logged_in(team.maya)
    assert "How you are doing" not in pdf_text(client)
    client.post(
        reverse("check_in"),
        {
            "pain_now": "3",
            "spasm_episodes": "2",
            "exercises_done": [],
            "pain_during_exercise": "",
            "pain_next_morning": "",
            "new_warning_signs": ["none"],
        },
    )
    response = client.get(reverse("handout_pdf"))
    text = " ".join(
        " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages).split()
    )
    assert "How you are doing" in text and "Pain was 3 out of 10" in text
    assert "Pain each day, 0 to 10" in text  # drawn from the chart's SVG


def test_an_emergency_plan_prints_what_to_do_now_and_no_exercises(team: People) -> None:
    erin, plan = person("erin", saddle_anaesthesia=True)
    erin.patient.region = "AU"
    erin.patient.save(update_fields=["region"])
    assert plan.level == "emergency"
    text = pdf_text(logged_in(erin))
    assert "Call your emergency number now" in text
    assert "Call 000 for an emergency (Australia)" in text and "1800 022 222" in text
    every_name = {e.name for e in catalogue.exercises().values()}
    assert not [name for name in every_name if name in text]
    assert "Your exercises" not in text and "not a diagnosis" in text


def test_a_stopped_programme_prints_no_exercises(team: People) -> None:
    client = logged_in(team.maya)
    client.post(
        reverse("check_in"),
        {
            "pain_now": "3",
            "spasm_episodes": "2",
            "exercises_done": [],
            "pain_during_exercise": "",
            "pain_next_morning": "",
            "new_warning_signs": ["bladder_or_bowel_change"],
        },
    )
    text = pdf_text(client)
    assert "What to do now" in text and "emergency" in text
    assert not [name for name in names(team.maya_plan) if name in text]


def test_each_person_downloads_only_their_own_plan(team: People) -> None:
    sam_plan = replan(team.sam, onset_days=10, pain_now=1)
    # Names that are not part of a name in the other plan ("Bird-dog" is in "Bird-dog: arm reach").
    only_sams = {n for n in names(sam_plan) if not any(n in m for m in names(team.maya_plan))}
    only_mayas = {n for n in names(team.maya_plan) if not any(n in m for m in names(sam_plan))}
    assert only_sams and only_mayas
    sams = pdf_text(logged_in(team.sam))
    assert all(name in sams for name in names(sam_plan))
    assert not [name for name in only_mayas if name in sams]
    mayas = pdf_text(logged_in(team.maya))
    assert not [name for name in only_sams if name in mayas]
    uids = {str(e["UID"]) for e in ics(logged_in(team.sam)).walk("VEVENT")}
    assert all(f"-{sam_plan.pk}-" in uid for uid in uids)
    assert not [uid for uid in uids if f"-{team.maya_plan.pk}-" in uid]


def test_downloads_need_a_login_and_a_plan(team: People) -> None:
    for name in ("handout_pdf", "calendar_ics"):
        response = Client().get(reverse(name))
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
        assert logged_in(team.eve).get(reverse(name)).status_code == 404


def test_the_calendar_has_sessions_check_ins_and_the_reassessment(team: People) -> None:
    team.maya.timezone = "Europe/London"
    team.maya.save(update_fields=["timezone"])
    cal = ics(logged_in(team.maya))
    assert str(cal["VERSION"]) == "2.0" and "backcare" in str(cal["PRODID"])
    found = events(cal)
    assert set(found) == {
        "backcare exercises",
        "backcare check-in",
        "Re-assess your back with backcare",
    }
    until = today_of(team.maya) + timedelta(days=27)  # four weeks from today
    check_day = team.maya_plan.created_on + timedelta(days=RECHECK_AFTER_DAYS)

    exercises = found["backcare exercises"]
    assert exercises["DTSTART"].params["TZID"] == "Europe/London"
    assert exercises.start.hour == 18 and exercises.duration == timedelta(minutes=30)
    assert exercises["RRULE"]["FREQ"] == ["DAILY"]
    assert exercises["RRULE"]["UNTIL"][0].date() == until
    description = str(exercises["DESCRIPTION"])
    for p in team.maya_plan.state["prescriptions"]:
        assert catalogue.exercises()[p["exercise"]].name in description
    assert "http://testserver/today/" in description

    check_in = found["backcare check-in"]
    assert check_in["DTSTART"].params["TZID"] == "Europe/London"
    assert check_in.start.hour == 20 and check_in.duration == timedelta(minutes=5)
    assert check_in["RRULE"]["FREQ"] == ["DAILY"]
    assert check_in.walk("VALARM")

    reassess = found["Re-assess your back with backcare"]
    assert reassess.start == check_day and "RRULE" not in reassess
    assert [tz.tz_name for tz in cal.walk("VTIMEZONE")] == ["Europe/London"]
    assert all("DTSTAMP" in e for e in found.values())


def test_three_weeks_on_the_calendar_and_handout_never_point_to_the_past(team: People) -> None:
    """Downloaded when the check is a week overdue: sessions start today and run four weeks
    ahead, the check is today, and Today, the handout and the calendar say the same thing."""
    with time_machine.travel(timezone.now() + timedelta(days=21), tick=False):
        client = logged_in(team.maya)  # a fresh login: sessions last two weeks
        today = today_of(team.maya)
        found = events(ics(client))
        sessions = found["backcare exercises"]
        assert sessions.start.date() == today
        assert sessions["RRULE"]["UNTIL"][0].date() == today + timedelta(days=27)
        assert found["Re-assess your back with backcare"].start == today
        words = "It has been 21 days since your last check: time to take the check again."
        assert words in client.get(reverse("today")).content.decode()
        assert words in pdf_text(client)
        assert words in client.get(reverse("progress")).content.decode()


def test_downloading_the_calendar_again_keeps_the_same_uids(team: People) -> None:
    client = logged_in(team.maya)
    first = {str(e["UID"]) for e in ics(client).walk("VEVENT")}
    second = {str(e["UID"]) for e in ics(client).walk("VEVENT")}
    assert first == second and len(first) == 3


def test_chart_styles_survive_weasyprint() -> None:
    """A selector-less rule would make WeasyPrint drop the chart's styles and paint it black."""
    days = [date(2026, 3, 1), date(2026, 3, 2)]
    uri = svg_data_uri(charts.pain_chart(days, [5, 4], baseline=5))
    svg = base64.b64decode(uri.removeprefix("data:image/svg+xml;base64,")).decode()
    style = svg.partition("<style")[2].partition("</style>")[0]
    assert style and not re.search(r"[>}\n]\s*\{", style)
