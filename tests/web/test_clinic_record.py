"""The physiotherapist's side of a patient: the queue, the record, programme changes the patient
then sees, questionnaires, and a record for someone with no login yet."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.urls import reverse

from backcare.care.models import AuditEvent, Patient, Plan, ProgrammeChange, QuestionnaireResponse
from tests.web.people import clinic_for, logged_in, people, staff_client

pytestmark = pytest.mark.django_db


def setup() -> tuple[Any, Any]:
    p = people()
    c = clinic_for(p.maya, p.sam)
    return p, c


def record_url(user: Any) -> str:
    return reverse("clinic_patient", args=[user.patient.pk])


def test_the_queue_puts_a_warning_sign_first_with_its_reason() -> None:
    p, c = setup()
    logged_in(p.sam).post(
        reverse("check_in"),
        {"pain_now": "3", "spasm_episodes": "1", "new_warning_signs": ["fever"]},
    )
    page = staff_client(c.priya).get(reverse("clinic_home")).content.decode()
    assert page.index(">sam<") < page.index(">maya<")
    assert "Warning sign: reported fever." in page and "tier-now" in page


def test_a_receptionist_sees_contacts_and_nothing_clinical() -> None:
    p, c = setup()
    logged_in(p.sam).post(
        reverse("check_in"),
        {"pain_now": "3", "spasm_episodes": "1", "new_warning_signs": ["fever"]},
    )
    home = staff_client(c.rob).get(reverse("clinic_home")).content.decode()
    assert "maya@example.org" in home and "fever" not in home and "Warning sign" not in home
    record = staff_client(c.rob).get(record_url(p.sam)).content.decode()
    assert "sam@example.org" in record and "fever" not in record and "Programme" not in record
    chart = reverse("clinic_patient_chart", args=[p.sam.patient.pk, "pain"])
    assert staff_client(c.rob).get(chart).status_code == 404


def test_the_record_shows_the_plan_checks_and_history_and_the_look_is_audited() -> None:
    p, c = setup()
    page = staff_client(c.priya).get(record_url(p.maya))
    html = page.content.decode()
    assert (
        page.status_code == 200
        and "Checks (triage history)" in html
        and "Day 1 of the plan" in html
    )
    assert AuditEvent.objects.filter(
        action="record.viewed", actor=c.priya, patient=p.maya.patient
    ).exists()
    assert staff_client(c.otto).get(record_url(p.maya)).status_code == 404


def change(client: Any, user: Any, **data: str) -> Any:
    return client.post(reverse("clinic_change_programme", args=[user.patient.pk]), data)


def test_a_swap_and_a_lock_reach_the_patients_today_and_survive_a_check_in() -> None:
    p, c = setup()
    physio = staff_client(c.priya)
    names = [x["exercise"] for x in p.maya_plan.state["prescriptions"]]
    assert "bridge" in names and "pelvic_tilt" not in names
    response = change(
        physio,
        p.maya,
        kind="swap",
        exercise="bridge",
        to="pelvic_tilt",
        note="Gentler while it settles",
    )
    assert response.status_code == 302
    change(physio, p.maya, kind="lock", exercise="*", note="Hold everything until I see you")
    today = logged_in(p.maya).get(reverse("today")).content.decode()
    assert "Changed by your physiotherapist" in today and "Hold everything until I see you" in today
    assert "Pelvic tilt" in today
    logged_in(p.maya).post(
        reverse("check_in"),
        {"pain_now": "2", "spasm_episodes": "0", "exercises_done": ["pelvic_tilt"],
         "pain_during_exercise": "1", "new_warning_signs": ["none"]},
    )  # fmt: skip
    state = Plan.objects.get(pk=p.maya_plan.pk).state
    assert "pelvic_tilt" in [x["exercise"] for x in state["prescriptions"]]
    assert "bridge" not in [x["exercise"] for x in state["prescriptions"]]
    assert AuditEvent.objects.filter(action="programme.changed", actor=c.priya).count() == 2


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        ({"kind": "zap", "exercise": "bridge"}, "kind: must be one of"),
        (
            {"kind": "add", "exercise": "burpee"},
            "exercise: &#x27;burpee&#x27; is not in the exercise catalogue",
        ),
        (
            {"kind": "dose", "exercise": "bridge", "sets": "40"},
            "sets: must be an integer from 1 to 10",
        ),
        ({"kind": "dose", "exercise": "bridge", "sets": "9"}, "sets: must be at most"),
        ({"kind": "dose", "exercise": "bridge", "sets": "x"}, "sets: must be a whole number"),
        (
            {"kind": "swap", "exercise": "bridge", "to": ""},
            "to: None is not in the exercise catalogue",
        ),
        ({"kind": "remove"}, "exercise: choose an exercise"),
    ],
)
def test_a_change_outside_the_rules_is_refused_naming_the_field(
    data: dict[str, str], problem: str
) -> None:
    p, c = setup()
    response = change(staff_client(c.priya), p.maya, **data)
    assert response.status_code == 400 and problem in response.content.decode()
    assert not ProgrammeChange.objects.exists()


def test_no_exercise_is_added_for_an_urgent_patient_whatever_the_physio_does() -> None:
    p, c = setup()
    logged_in(p.maya).post(
        reverse("check_in"),
        {"pain_now": "3", "spasm_episodes": "1", "new_warning_signs": ["fever"]},
    )
    response = change(staff_client(c.priya), p.maya, kind="add", exercise="walking")
    assert response.status_code == 400
    assert "no exercises while the patient is at the urgent level" in response.content.decode()
    assert not ProgrammeChange.objects.exists()


@pytest.mark.parametrize("who", ["rob", "otto"])
def test_only_their_physio_may_change_the_programme(who: str) -> None:
    p, c = setup()
    response = change(staff_client(getattr(c, who)), p.maya, kind="lock", exercise="*")
    assert response.status_code == 404 and not ProgrammeChange.objects.exists()


def test_questionnaires_are_scored_by_the_domain_and_odi_keeps_only_section_scores() -> None:
    p, c = setup()
    physio = staff_client(c.priya)
    url = reverse("clinic_record_questionnaire", args=[p.maya.patient.pk])
    odi = {
        "kind": "odi", "pain_intensity": "2", "personal_care": "1", "lifting": "3",
        "walking": "1", "sitting": "2", "standing": "2", "sleeping": "1", "sex_life": "",
        "social_life": "1", "travelling": "2",
    }  # fmt: skip
    assert physio.post(url, odi).status_code == 302
    saved = QuestionnaireResponse.objects.get(kind="odi")
    assert saved.score["percent"] == 33.3 and saved.answers["sex_life"] is None
    bad = physio.post(url, {**odi, "lifting": "7"})
    assert bad.status_code == 400 and "lifting: must be" in bad.content.decode()
    too_few = physio.post(url, {"kind": "odi", "pain_intensity": "2"})
    assert too_few.status_code == 400 and "at least 8 of 10 sections" in too_few.content.decode()
    psfs = {"kind": "psfs", "activity": ["Putting on socks", "Gardening"], "rating": ["4", "3"]}
    assert physio.post(url, psfs).status_code == 302
    assert QuestionnaireResponse.objects.get(kind="psfs").score["mean"] == 3.5
    assert physio.post(url, {"kind": "nprs", "score": "11"}).status_code == 400
    page = physio.get(record_url(p.maya)).content.decode()
    assert "33.3%" in page and "Putting on socks 4" in page


def test_a_clinic_adds_a_patient_with_no_login_and_invites_them() -> None:
    _, c = setup()
    reception = staff_client(c.rob)
    response = reception.post(
        reverse("clinic_new_patient"),
        {"name": "Nora Quinn", "email": "nora@example.org", "phone": "0400 000 000",
         "location": c.location.pk, "lead_physio": c.priya.staff.pk},
    )  # fmt: skip
    nora = Patient.objects.get(name="Nora Quinn")
    assert response.status_code == 302 and nora.clinic == c.clinic and nora.user is None
    assert nora.timezone == "Australia/Melbourne"
    assert reception.post(reverse("clinic_new_patient"), {"name": ""}).status_code == 400
    mail.outbox.clear()
    reception.post(reverse("clinic_invite", args=[nora.pk]))
    [invite] = mail.outbox
    link = next(line for line in invite.body.splitlines() if "/account/signup/?invite=" in line)
    path = link.split("testserver", 1)[1]
    from django.test import Client

    newcomer = Client()
    newcomer.post(
        path,
        {"username": "nora", "email": "nora@example.org", "timezone": "Australia/Melbourne",
         "password1": "a long passphrase 42", "password2": "a long passphrase 42"},
    )  # fmt: skip
    nora.refresh_from_db()
    assert nora.user is not None and nora.user.username == "nora"
    assert Patient.objects.filter(name="Nora Quinn").count() == 1
    # The link is spent: a second sign-up with it gets a record of its own, not Nora's.
    Client().post(
        path,
        {"username": "mallory", "email": "mallory@example.org", "timezone": "UTC",
         "password1": "a long passphrase 43", "password2": "a long passphrase 43"},
    )  # fmt: skip
    nora.refresh_from_db()
    assert nora.user.username == "nora"
    assert Patient.objects.get(user__username="mallory").pk != nora.pk


def test_the_queue_makes_the_same_few_queries_for_any_caseload() -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.web.people import person

    _, c = setup()
    physio = staff_client(c.priya)

    def count() -> int:
        with CaptureQueriesContext(connection) as seen:
            assert physio.get(reverse("clinic_home") + "?physio=all").status_code == 200
        return len(seen)

    few = count()
    for n in range(25):
        user, _ = person(f"patient{n}", onset_days=3, pain_now=4)
        logged_in(user).post(
            reverse("check_in"),
            {"pain_now": "5", "spasm_episodes": "2", "new_warning_signs": ["none"]},
        )
    clinic_for_all = Patient.objects.exclude(clinic=c.clinic).exclude(user__isnull=True)
    clinic_for_all.update(clinic=c.clinic, lead_physio=c.priya.staff)
    assert Patient.objects.filter(clinic=c.clinic).count() == 28  # with Eve, who has no plan
    assert count() == few
