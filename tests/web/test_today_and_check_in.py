"""Today and the daily check-in, as the patient uses them."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from backcare.care.models import AuditEvent, CheckIn, ProgressionStep
from backcare.domain import catalogue
from tests.web.people import People, logged_in

pytestmark = pytest.mark.django_db


def form(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "pain_now": "3",
        "spasm_episodes": "2",
        "exercises_done": ["bridge", "walking"],
        "pain_during_exercise": "2",
        "pain_next_morning": "",
        "new_warning_signs": ["none"],
    }
    data.update(overrides)
    return data


def test_today_shows_the_plan_with_first_aid_and_exercises(team: People) -> None:
    page = logged_in(team.maya).get(reverse("today"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Today, day 1" in html and "First aid for today" in html
    for p in team.maya_plan.state["prescriptions"]:
        assert escape(catalogue.exercises()[p["exercise"]].name) in html
    assert "Source" in html and "Stop if:" in html


def test_today_needs_a_login_and_a_plan(team: People) -> None:
    assert Client().get(reverse("today")).status_code == 302
    response = logged_in(team.eve).get(reverse("today"))
    assert response.status_code == 302 and response["Location"] == reverse("check_start")


def test_a_check_in_runs_progression_and_says_what_changed(team: People) -> None:
    client = logged_in(team.maya)
    response = client.post(reverse("check_in"), form())
    assert response.status_code == 302
    record = CheckIn.objects.get(patient__user=team.maya)
    assert response["Location"] == reverse("check_in_result", args=[record.pk])
    step = ProgressionStep.objects.get(check_in=record)
    assert step.engine_version.startswith("progress-")
    page = client.get(response["Location"]).content.decode()
    assert "your check-in is saved" in page and "How you are doing" in page
    assert AuditEvent.objects.filter(action="check_in.saved", actor=team.maya).exists()


def test_sending_the_same_check_in_twice_never_makes_two_records(team: People) -> None:
    client = logged_in(team.maya)
    client.post(reverse("check_in"), form())
    client.post(reverse("check_in"), form(pain_now="4"))
    assert CheckIn.objects.filter(patient__user=team.maya).count() == 1
    assert CheckIn.objects.get(patient__user=team.maya).pain_now == 4


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"pain_now": "11"}, "Select a valid choice"),
        ({"pain_now": ""}, "This field is required"),
        ({"spasm_episodes": "-1"}, "greater than or equal to 0"),
        ({"spasm_episodes": "lots"}, "Enter a whole number"),
        ({"exercises_done": ["burpee"]}, "Select a valid choice"),
        ({"new_warning_signs": []}, "None of these"),
        ({"new_warning_signs": ["none", "fever"]}, "untick one of them"),
        ({"pain_during_exercise": ""}, "say how bad the pain was"),
    ],
)
def test_bad_input_shows_the_form_again_and_saves_nothing(
    team: People, overrides: dict[str, Any], message: str
) -> None:
    response = logged_in(team.maya).post(reverse("check_in"), form(**overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not CheckIn.objects.filter(patient__user=team.maya).exists()


def test_a_new_warning_sign_stops_the_programme_and_shows_the_new_level(team: People) -> None:
    client = logged_in(team.maya)
    response = client.post(reverse("check_in"), form(new_warning_signs=["bladder_or_bowel_change"]))
    page = client.get(response["Location"]).content.decode()
    assert "Call your emergency number now" in page
    assert "alert-emergency" in page
    today = client.get(reverse("today")).content.decode()
    assert "Programme stopped" in today or "alert-emergency" in today
    assert "Your exercises" not in today


def test_another_persons_check_in_result_is_404(team: People) -> None:
    logged_in(team.maya).post(reverse("check_in"), form())
    mine = CheckIn.objects.get(patient__user=team.maya)
    assert logged_in(team.sam).get(reverse("check_in_result", args=[mine.pk])).status_code == 404


def test_check_in_without_a_plan_sends_people_to_the_check(team: People) -> None:
    response = logged_in(team.eve).get(reverse("check_in"))
    assert response.status_code == 302 and response["Location"] == reverse("check_start")


def test_a_reported_warning_sign_stands_until_the_check_is_taken_again(team: People) -> None:
    client = logged_in(team.maya)
    client.post(reverse("check_in"), form(new_warning_signs=["fever"]))
    # The stopped programme offers no exercises to tick.
    again = client.post(
        reverse("check_in"),
        form(new_warning_signs=["none"], pain_now="2", exercises_done=[], pain_during_exercise=""),
    )
    saved = CheckIn.objects.get(patient__user=team.maya)
    assert saved.new_warning_signs == ["fever"] and saved.pain_now == 2
    result = client.get(again["Location"]).content.decode()
    assert "Programme stopped" in result and "changing today's check-in cannot undo it" in result
    today = client.get(reverse("today")).content.decode()
    assert "Programme stopped" in today and "exercise-list" not in today
    page = client.get(reverse("check_in")).content.decode()
    assert "It stands until you take the check again" in page
    for p in team.maya_plan.state["prescriptions"]:
        assert f'href="#ex-{p["exercise"]}"' not in today


def test_emergency_and_urgent_advice_shows_the_persons_own_number(team: People) -> None:
    team.maya.patient.region = "AU"
    team.maya.patient.save(update_fields=["region"])
    client = logged_in(team.maya)
    response = client.post(reverse("check_in"), form(new_warning_signs=["fever"]))
    result = client.get(response["Location"]).content.decode()
    assert 'href="tel:000"' in result and 'href="tel:1800022222"' in result
    today = client.get(reverse("today")).content.decode()
    assert 'href="tel:000"' in today and "999" not in today


def test_today_lists_the_early_cauda_equina_signs_and_the_stop_rules(team: People) -> None:
    page = logged_in(team.maya).get(reverse("today")).content.decode()
    assert "Get emergency help at once if you notice" in page
    assert "Trouble starting to pee, or a weak flow" in page
    assert "New loss of feeling or function during sex" in page
    assert "your pain goes above 5 out of 10 and over 1 above where it started" in page
    assert "Stop if: Stop if" not in page


def test_the_check_in_offers_every_new_warning_sign(team: People) -> None:
    from backcare.care.forms_checkin import NEW_SIGN_QUESTIONS

    page = logged_in(team.maya).get(reverse("check_in")).content.decode()
    for sign in ("chest_pain", "difficulty_passing_urine", "pregnant_or_recent_birth"):
        assert f'value="{sign}"' in page
        assert escape(NEW_SIGN_QUESTIONS[sign]) in page


def test_an_urgent_sign_in_a_check_in_gives_comfort_on_today_but_no_exercises(
    team: People,
) -> None:
    client = logged_in(team.maya)
    client.post(reverse("check_in"), form(new_warning_signs=["upper_back_pain"]))
    today = client.get(reverse("today")).content.decode()
    assert "See a doctor within 24 hours" in today
    assert "Comfort while you wait to be seen" in today
    assert "Side-lying with a pillow between the knees" in today
    assert "Your exercises" not in today


def test_a_graded_plan_shows_the_planned_amount_rule_on_today(team: People) -> None:
    from tests.domain.people import startback
    from tests.web.people import person

    worried, _ = person("wendy", startback=startback(distress_agree=4, q9="extremely"))
    page = logged_in(worried).get(reverse("today")).content.decode()
    assert "you reach the planned amount, even if you feel you could do more" in page
    assert "over 1 above where it started" not in page


def test_the_sleep_question_is_stored_and_summarised(team: People) -> None:
    client = logged_in(team.maya)
    response = client.post(reverse("check_in"), form(sleep="woke_sometimes"))
    record = CheckIn.objects.get(patient__user=team.maya)
    assert record.sleep == "woke_sometimes"
    page = client.get(response["Location"]).content.decode()
    assert "Sleep: your back woke you on 1 of the 1 night you told us about." in page
    again = client.get(reverse("check_in")).content.decode()
    assert re.search(r'<input[^>]*name="sleep"[^>]*value="woke_sometimes"[^>]*checked', again)


def test_the_sleep_question_may_be_left_out(team: People) -> None:
    logged_in(team.maya).post(reverse("check_in"), form())
    assert CheckIn.objects.get(patient__user=team.maya).sleep == ""
