"""The check: step by step through the session, errors beside the fields, the stored result."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from backcare.care.forms_check import WARNING_QUESTIONS
from backcare.care.models import AssessmentRecord, Plan
from backcare.domain import catalogue

pytestmark = pytest.mark.django_db

ABOUT = {"age": "38", "sex": "female"}
EPISODE = {
    "onset_days": "3",
    "mechanism": "lifting",
    "pain_now": "4",
    "spasm_episodes_per_day": "3",
    "symptoms": ["tightness", "cramping"],
}
NO_SIGNS = dict.fromkeys(WARNING_QUESTIONS, "no")
STARTBACK_LOW = {**{f"q{i}": "disagree" for i in range(1, 9)}, "q9": "slightly"}
LIFESTYLE = {"desk_hours_per_day": "8", "stress": "", "heavy_lifting_at_work": "yes"}


def step_url(slug: str) -> str:
    return reverse("check_step", args=[slug])


def post(client: Client, slug: str, data: dict[str, Any]) -> Any:
    return client.post(step_url(slug), data)


def complete_check(
    client: Client,
    *,
    signs: dict[str, str] | None = None,
    startback: dict[str, str] | None = None,
    episode: dict[str, str] | None = None,
) -> Any:
    """Maya, 38, strained her back lifting three days ago; answers every step in order."""
    assert post(client, "about-you", ABOUT).status_code == 302
    assert post(client, "this-episode", {**EPISODE, **(episode or {})}).status_code == 302
    response = post(client, "warning-signs", {**NO_SIGNS, **(signs or {})})
    assert response.status_code == 302
    if response["Location"] != step_url("how-it-affects-you"):
        return response
    assert post(client, "how-it-affects-you", startback or STARTBACK_LOW).status_code == 302
    return post(client, "lifestyle", LIFESTYLE)


def exercise_names() -> list[str]:
    return [e.name for e in catalogue.exercises().values()]


def test_start_redirects_to_the_first_step(client: Client) -> None:
    response = client.get(reverse("check_start"))
    assert response.status_code == 302
    assert response["Location"] == step_url("about-you")


def test_the_first_step_has_labels_a_step_indicator_and_no_inline_script_or_style(
    client: Client,
) -> None:
    page = client.get(step_url("about-you")).content.decode()
    assert '<ol class="steps">' in page
    assert 'aria-current="step"' in page
    assert '<label for="id_age">' in page
    assert "<legend>What is your sex?</legend>" in page
    assert "csrfmiddlewaretoken" in page
    assert "<script" not in page
    assert "style=" not in page
    assert " onclick=" not in page


def test_the_happy_path_saves_a_self_care_result_with_exercises_and_sources(
    client: Client,
) -> None:
    response = complete_check(client)
    record = AssessmentRecord.objects.get()
    assert response["Location"] == reverse("result", args=[record.pk])
    assert record.level == "self_care"
    assert record.patient is None
    life = {k: v for k, v in record.answers["lifestyle"].items() if v is not None}
    assert life == {"desk_hours_per_day": 8, "heavy_lifting_at_work": True}
    assert record.answers["symptoms"] == ["tightness", "cramping"]
    assert client.session["assessment_ids"] == [record.pk]
    assert "check_answers" not in client.session

    page = client.get(response["Location"]).content.decode()
    assert "You can start looking after this at home" in page
    assert "First aid for today" in page
    assert "2 hours" in page
    assert html.escape(catalogue.exercises()["walking"].name) in page
    assert '<details class="source"><summary>Source</summary>' in page
    assert "What would change this advice" in page
    assert "Because your work involves heavy lifting." in page
    assert "This is not a diagnosis" in page
    assert record.policy_version in page
    assert "Save this result and get your daily plan" in page
    assert reverse("signup") in page


def test_a_bladder_change_gives_the_emergency_alert_and_no_exercises_or_first_aid(
    client: Client,
) -> None:
    response = complete_check(client, signs={"bladder_or_bowel_change": "yes"})
    page = client.get(response["Location"]).content.decode()
    assert 'class="alert-emergency"' in page
    assert page.index("alert-emergency") < page.index("Why we say this")
    assert "Call your emergency number now" in page
    assert "Do not drive yourself" in page
    assert "first aid" not in page.lower()
    for name in exercise_names():
        assert name not in page and html.escape(name) not in page


@pytest.mark.parametrize("sign", ["saddle_anaesthesia", "fever"])
def test_a_sign_that_needs_a_doctor_first_skips_the_optional_steps(
    client: Client, sign: str
) -> None:
    post(client, "about-you", ABOUT)
    post(client, "this-episode", EPISODE)
    response = post(client, "warning-signs", {**NO_SIGNS, sign: "yes"})
    record = AssessmentRecord.objects.get()
    assert response["Location"] == reverse("result", args=[record.pk])
    assert record.answers["startback"] is None
    assert "check_answers" not in client.session


def test_an_urgent_result_says_what_to_do_gives_comfort_and_shows_no_exercises(
    client: Client,
) -> None:
    response = complete_check(client, signs={"fever": "yes"})
    page = client.get(response["Location"]).content.decode()
    assert "See a doctor within 24 hours" in page
    assert "A high temperature with back pain needs a doctor" in page
    assert "Comfort while you wait to be seen" in page
    assert "Side-lying with a pillow between the knees" in page
    assert "Heat (hot-water bottle" in page and "Ice or a cold pack" in page
    assert "What to do today" not in page
    for name in exercise_names():
        assert html.escape(name) not in page


def test_a_see_doctor_result_offers_first_aid_and_phase_one_until_the_appointment(
    client: Client,
) -> None:
    response = complete_check(client, signs={"pain_radiates_below_knee": "yes"})
    page = client.get(response["Location"]).content.decode()
    assert "Book an assessment with a doctor or physiotherapist" in page
    assert "Pain below the knee can mean an irritated nerve" in page
    assert "First aid until your appointment" in page
    assert "Gentle movements until your appointment" in page
    assert "Phase 1" in page


def test_an_unanswered_warning_sign_is_an_error_beside_it_and_nothing_is_saved(
    client: Client,
) -> None:
    post(client, "about-you", ABOUT)
    post(client, "this-episode", EPISODE)
    signs = {k: v for k, v in NO_SIGNS.items() if k != "saddle_anaesthesia"}
    response = post(client, "warning-signs", signs)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'class="error-summary"' in page
    assert 'href="#id_saddle_anaesthesia_0"' in page
    assert 'id="id_saddle_anaesthesia-error"' in page
    assert 'aria-describedby="id_saddle_anaesthesia-hint id_saddle_anaesthesia-error"' in page
    assert "warning-signs" not in client.session["check_answers"]
    assert AssessmentRecord.objects.count() == 0


def test_warning_signs_start_with_neither_answer_chosen(client: Client) -> None:
    post(client, "about-you", ABOUT)
    post(client, "this-episode", EPISODE)
    page = client.get(step_url("warning-signs")).content.decode()
    assert page.count('type="radio"') == 2 * len(WARNING_QUESTIONS)
    assert re.search(r"<input[^>]* checked", page) is None


def test_back_keeps_the_answers(client: Client) -> None:
    post(client, "about-you", ABOUT)
    post(client, "this-episode", EPISODE)
    page = client.get(step_url("about-you")).content.decode()
    assert 'value="38"' in page
    assert 'value="female" checked' in page
    page = client.get(step_url("this-episode")).content.decode()
    assert 'value="lifting" checked' in page
    assert 'value="tightness" checked' in page
    assert f'href="{step_url("about-you")}"' in page


def test_a_later_step_redirects_to_the_first_unanswered_one(client: Client) -> None:
    post(client, "about-you", ABOUT)
    response = client.get(step_url("lifestyle"))
    assert response["Location"] == step_url("this-episode")


def test_without_saved_answers_a_later_step_goes_back_to_the_start(client: Client) -> None:
    response = client.post(step_url("lifestyle"), LIFESTYLE)
    assert response["Location"] == reverse("check_start")
    assert AssessmentRecord.objects.count() == 0


def test_restart_clears_the_saved_answers(client: Client) -> None:
    post(client, "about-you", ABOUT)
    client.get(reverse("check_start") + "?restart=1")
    assert "check_answers" not in client.session


def test_skipping_startback_stores_the_skip_and_the_result_says_so(client: Client) -> None:
    post(client, "about-you", ABOUT)
    post(client, "this-episode", EPISODE)
    post(client, "warning-signs", NO_SIGNS)
    response = post(client, "how-it-affects-you", {"skip": "1"})
    assert response["Location"] == step_url("lifestyle")
    response = post(client, "lifestyle", {})
    record = AssessmentRecord.objects.get()
    assert record.answers["startback"] is None
    assert record.answers["startback_skipped"] is True
    assert record.answers["lifestyle"] is None
    assert "startback" not in record.triage
    assert record.triage["startback_skipped"] is True
    page = client.get(response["Location"]).content.decode()
    assert "You chose to skip the STarT Back questions" in page


def test_startback_is_asked_by_default_continue_without_answers_is_an_error(
    client: Client,
) -> None:
    post(client, "about-you", ABOUT)
    post(client, "this-episode", EPISODE)
    post(client, "warning-signs", NO_SIGNS)
    response = post(client, "how-it-affects-you", {})
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert "or choose “Skip these questions”" in page
    assert "how-it-affects-you" not in client.session["check_answers"]


def test_answered_startback_is_not_a_skip(client: Client) -> None:
    complete_check(client)
    record = AssessmentRecord.objects.get()
    assert record.answers["startback_skipped"] is False
    assert "startback_skipped" not in record.triage


def test_the_check_asks_every_warning_sign_in_plain_words(client: Client) -> None:
    post(client, "about-you", ABOUT)
    post(client, "this-episode", EPISODE)
    page = html.unescape(client.get(step_url("warning-signs")).content.decode())
    for sign, (question, _hint) in WARNING_QUESTIONS.items():
        assert question in page, sign
        assert f'name="{sign}"' in page
    for early in ("Is peeing different", "chest pain", "pregnant", "between your shoulder blades"):
        assert early in page


@pytest.mark.parametrize(
    ("age", "onset_days", "asked"),
    [("40", "400", True), ("40", "90", False), ("50", "400", False), ("46", "800", True)],
)
def test_ng65_questions_are_asked_when_pain_began_before_45_and_lasted_3_months(
    client: Client, age: str, onset_days: str, asked: bool
) -> None:
    post(client, "about-you", {**ABOUT, "age": age})
    post(client, "this-episode", {**EPISODE, "onset_days": onset_days})
    page = client.get(step_url("warning-signs")).content.decode()
    assert ('name="buttock_pain"' in page) is asked


def test_ng65_answers_are_stored_and_used(client: Client) -> None:
    post(client, "about-you", {**ABOUT, "age": "30"})
    post(client, "this-episode", {**EPISODE, "onset_days": "400"})
    features = {
        "wakes_second_half_of_night": "yes",
        "buttock_pain": "yes",
        "eases_with_movement": "no",
        "eases_with_anti_inflammatories": "no",
        "relative_with_spondyloarthritis": "no",
        "arthritis_enthesitis_or_psoriasis": "no",
    }
    missing = post(client, "warning-signs", NO_SIGNS)
    assert missing.status_code == 200  # the NG65 questions must be answered too
    post(client, "warning-signs", {**NO_SIGNS, **features})
    post(client, "how-it-affects-you", {"skip": "1"})
    post(client, "lifestyle", {})
    record = AssessmentRecord.objects.get()
    assert record.answers["inflammatory"]["buttock_pain"] is True
    codes = [r["code"] for r in record.triage["reasons"]]
    assert "possible_inflammatory_back_pain" in codes  # 2 features, and it began before 35


def test_answering_half_of_startback_is_an_error(client: Client) -> None:
    post(client, "about-you", ABOUT)
    post(client, "this-episode", EPISODE)
    post(client, "warning-signs", NO_SIGNS)
    response = post(client, "how-it-affects-you", {"q1": "agree", "q2": "disagree", "q3": "agree"})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="id_q4-error"' in page
    assert 'id="id_q9-error"' in page
    assert 'id="id_q1-error"' not in page
    assert "how-it-affects-you" not in client.session["check_answers"]


def test_the_startback_step_shows_the_keele_attribution(client: Client) -> None:
    post(client, "about-you", ABOUT)
    post(client, "this-episode", EPISODE)
    post(client, "warning-signs", NO_SIGNS)
    page = client.get(step_url("how-it-affects-you")).content.decode()
    assert "Keele University" in page
    assert "non-commercial" in page
    assert "Skip these questions" in page


def test_a_high_risk_startback_is_stored_with_the_result(client: Client) -> None:
    worried = {**{f"q{i}": "agree" for i in range(1, 9)}, "q9": "extremely"}
    response = complete_check(client, startback=worried)
    record = AssessmentRecord.objects.get()
    assert record.triage["startback"]["risk"] == "high"
    assert record.level == "see_doctor"
    assert "9 out of 9" in client.get(response["Location"]).content.decode()


@pytest.mark.parametrize(
    ("slug", "data", "error_id"),
    [
        ("about-you", {"age": "abc"}, "id_age-error"),
        ("about-you", {"age": "38", "sex": "robot"}, "id_sex-error"),
        ("about-you", {"age": "1" + "0" * 40}, "id_age-error"),
        ("about-you", {"age": '"><script>alert(1)</script>'}, "id_age-error"),
        ("this-episode", {**EPISODE, "pain_now": "99"}, "id_pain_now-error"),
        ("this-episode", {**EPISODE, "mechanism": "nonsense"}, "id_mechanism-error"),
        ("this-episode", {**EPISODE, "symptoms": ["itching"]}, "id_symptoms-error"),
        ("this-episode", {**EPISODE, "onset_days": "-1"}, "id_onset_days-error"),
        ("warning-signs", {**NO_SIGNS, "fever": "maybe"}, "id_fever-error"),
        ("how-it-affects-you", {**STARTBACK_LOW, "q9": "lots"}, "id_q9-error"),
        ("lifestyle", {"stress": "11"}, "id_stress-error"),
        ("lifestyle", {"twisting_sports": "often"}, "id_twisting_sports-error"),
    ],
)
def test_tampered_values_are_errors_not_crashes(
    client: Client, slug: str, data: dict[str, Any], error_id: str
) -> None:
    answers_before = {
        "about-you": ABOUT,
        "this-episode": EPISODE,
        "warning-signs": NO_SIGNS,
        "how-it-affects-you": STARTBACK_LOW,
    }
    for earlier, values in answers_before.items():
        if earlier == slug:
            break
        post(client, earlier, values)
    response = post(client, slug, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert f'id="{error_id}"' in page
    assert "<script" not in page
    assert AssessmentRecord.objects.count() == 0


def test_a_repeated_symptom_is_kept_once(client: Client) -> None:
    post(client, "about-you", ABOUT)
    post(client, "this-episode", {**EPISODE, "symptoms": ["tightness"] * 9})
    assert client.session["check_answers"]["this-episode"]["symptoms"] == ["tightness"]


def test_an_unknown_step_is_404(client: Client) -> None:
    assert client.get(step_url("favourite-colour")).status_code == 404


def test_another_sessions_result_is_404(client: Client) -> None:
    response = complete_check(client)
    assert client.get(response["Location"]).status_code == 200
    stranger = Client()
    assert stranger.get(response["Location"]).status_code == 404


def test_another_persons_result_is_404(client: Client, django_user_model: Any) -> None:
    maya = django_user_model.objects.create_user(username="maya", password="x-long-pass-1")
    tom = django_user_model.objects.create_user(username="tom", password="x-long-pass-2")
    client.force_login(maya)
    url = complete_check(client)["Location"]
    assert AssessmentRecord.objects.get().patient.user == maya
    other = Client()
    other.force_login(tom)
    assert other.get(url).status_code == 404
    assert other.post(url).status_code == 404
    assert Plan.objects.count() == 0


def test_the_owner_can_use_the_result_as_her_plan(client: Client, django_user_model: Any) -> None:
    maya = django_user_model.objects.create_user(username="maya", password="x-long-pass-1")
    client.force_login(maya)
    url = complete_check(client)["Location"]
    page = client.get(url).content.decode()
    assert "Use this as my plan" in page
    assert "Save this result and get your daily plan" not in page
    response = client.post(url)
    assert response["Location"] == reverse("today")
    plan = Plan.objects.get()
    assert plan.patient.user == maya
    assert plan.is_active
    assert plan.assessment == AssessmentRecord.objects.get()


def test_a_check_made_before_logging_in_can_become_the_plan(
    client: Client, django_user_model: Any
) -> None:
    url = complete_check(client)["Location"]
    maya = django_user_model.objects.create_user(username="maya", password="x-long-pass-1")
    client.force_login(maya)
    assert client.post(url)["Location"] == reverse("today")
    assert AssessmentRecord.objects.get().patient.user == maya
    assert Plan.objects.get().patient.user == maya


def test_an_emergency_result_stops_the_exercises_at_once(
    client: Client, django_user_model: Any
) -> None:
    """A person in a plan whose new check finds a warning sign must not find yesterday's
    exercises on Today: the emergency result becomes their plan straight away, with none."""
    maya = django_user_model.objects.create_user(username="maya", password="x-long-pass-1")
    client.force_login(maya)
    client.post(complete_check(client)["Location"])
    assert Plan.objects.get(is_active=True).state["prescriptions"]
    url = complete_check(client, signs={"saddle_anaesthesia": "yes"})["Location"]
    page = client.get(url).content.decode()
    assert "Use this as my plan" not in page and "No exercises until you have been checked" in page
    assert client.post(url)["Location"] == url
    active = Plan.objects.get(is_active=True)
    assert (active.level, active.phase, active.state["prescriptions"]) == ("emergency", None, [])
    assert Plan.objects.count() == 2
    today = client.get(reverse("today")).content.decode()
    assert "alert-emergency" in today and "Your exercises" not in today


def test_an_anonymous_post_to_a_result_asks_to_sign_up(client: Client) -> None:
    url = complete_check(client)["Location"]
    assert client.post(url)["Location"] == reverse("signup")
    assert Plan.objects.count() == 0
