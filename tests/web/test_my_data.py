"""My data: a person can download everything of theirs, and delete it all for good."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from backcare.accounts.models import User
from backcare.care.models import AssessmentRecord, AuditEvent, CheckIn, Plan, ProgressionStep
from tests.web.people import PASSWORD, People, logged_in, today_of

pytestmark = pytest.mark.django_db


def check_in(client: Client, pain: str = "3") -> None:
    form = {
        "pain_now": pain,
        "spasm_episodes": "2",
        "exercises_done": ["bridge", "walking"],
        "pain_during_exercise": "2",
        "pain_next_morning": "",
        "new_warning_signs": ["none"],
    }
    response = client.post(reverse("check_in"), form)
    assert response.status_code == 302


def holdings(user: User) -> dict[str, int]:
    return {
        "assessments": AssessmentRecord.objects.filter(user=user).count(),
        "plans": Plan.objects.filter(user=user).count(),
        "check_ins": CheckIn.objects.filter(user=user).count(),
        "steps": ProgressionStep.objects.filter(plan__user=user).count(),
    }


# Export


def test_the_export_is_a_json_download_of_the_persons_own_data(team: People) -> None:
    maya = logged_in(team.maya)
    check_in(maya, pain="3")
    check_in(logged_in(team.sam), pain="7")
    response = maya.get(reverse("export_data"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    day = today_of(team.maya).isoformat()
    assert response["Content-Disposition"] == (
        f'attachment; filename="backcare-my-data-{day}.json"'
    )
    assert "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data["profile"] == {
        "username": "maya",
        "email": "maya@example.org",
        "timezone": "Europe/London",
        "date_joined": data["profile"]["date_joined"],
        "clinic": None,
    }
    assert [c["pain_now"] for c in data["check_ins"]] == [3]
    mine = CheckIn.objects.get(user=team.maya)
    assert [c["id"] for c in data["check_ins"]] == [mine.pk]
    assert [p["id"] for p in data["plans"]] == [team.maya_plan.pk]
    assert data["plans"][0]["is_active"] is True
    assert data["assessments"][0]["id"] == team.maya_plan.assessment_id
    assert data["assessments"][0]["triage"] == team.maya_plan.assessment.triage
    assert data["assessments"][0]["policy_version"]
    [step] = data["progression_steps"]
    assert step["check_in_id"] == mine.pk and step["engine_version"].startswith("progress-")
    actions = {e["action"] for e in data["audit_events"]}
    assert {"assessment.saved", "plan.started", "check_in.saved"} <= actions
    assert "sam@example.org" not in response.content.decode()


def test_the_export_never_includes_the_password_hash(team: People) -> None:
    body = logged_in(team.maya).get(reverse("export_data")).content.decode()
    assert "password" not in body and team.maya.password not in body


def test_the_export_needs_a_login() -> None:
    response = Client().get(reverse("export_data"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_the_export_takes_a_fixed_number_of_queries(
    team: People, django_assert_max_num_queries: Any
) -> None:
    maya = logged_in(team.maya)
    check_in(maya)
    step = ProgressionStep.objects.get(plan=team.maya_plan)
    for days_ago in range(1, 6):
        earlier = CheckIn.objects.create(
            user=team.maya,
            date=today_of(team.maya) - timedelta(days=days_ago),
            pain_now=5,
            spasm_episodes=1,
            created_at=timezone.now(),
        )
        step.pk = None
        step.check_in = earlier
        step.save()
    with django_assert_max_num_queries(8):
        response = maya.get(reverse("export_data"))
    data = json.loads(response.content)
    assert len(data["check_ins"]) == 6 and len(data["progression_steps"]) == 6


def test_the_export_query_count_does_not_grow_with_the_data(team: People) -> None:
    maya = logged_in(team.maya)
    with CaptureQueriesContext(connection) as before:
        maya.get(reverse("export_data"))
    check_in(maya)
    with CaptureQueriesContext(connection) as after:
        maya.get(reverse("export_data"))
    assert len(after.captured_queries) == len(before.captured_queries)


# Delete


def test_the_delete_page_explains_what_goes_and_asks_for_the_password(team: People) -> None:
    response = logged_in(team.maya).get(reverse("delete_account"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "cannot be undone" in html and "check-ins" in html and "care plans" in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert '<label for="id_password">' in html and 'type="password"' in html
    assert html.count("<h1") == 1 and "<script" not in html and " style=" not in html


def test_deleting_needs_a_login() -> None:
    response = Client().post(reverse("delete_account"), {"password": PASSWORD})
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_the_delete_form_is_csrf_protected(team: People) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(team.maya)
    response = client.post(reverse("delete_account"), {"password": PASSWORD})
    assert response.status_code == 403
    assert User.objects.filter(pk=team.maya.pk).exists()


def test_a_wrong_password_deletes_nothing(team: People) -> None:
    client = logged_in(team.maya)
    check_in(client)
    before = holdings(team.maya)
    response = client.post(reverse("delete_account"), {"password": "not my password"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "That is not your current password" in html
    assert 'id="id_password_error"' in html and "error-summary" in html
    assert User.objects.filter(pk=team.maya.pk).exists()
    assert holdings(team.maya) == before
    assert client.get(reverse("today")).status_code == 200


def test_the_right_password_deletes_everything_of_theirs_and_logs_out(team: People) -> None:
    client = logged_in(team.maya)
    check_in(client)
    check_in(logged_in(team.sam))
    maya_before = holdings(team.maya)
    assert maya_before == {"assessments": 1, "plans": 1, "check_ins": 1, "steps": 1}
    sam_before = holdings(team.sam)
    totals = {
        "assessments": AssessmentRecord.objects.count(),
        "plans": Plan.objects.count(),
        "check_ins": CheckIn.objects.count(),
        "steps": ProgressionStep.objects.count(),
    }

    response = client.post(reverse("delete_account"), {"password": PASSWORD}, follow=True)

    assert response.redirect_chain == [(reverse("home"), 302)]
    assert "have been deleted" in response.content.decode()
    assert not User.objects.filter(username="maya").exists()
    assert AssessmentRecord.objects.count() == totals["assessments"] - 1
    assert Plan.objects.count() == totals["plans"] - 1
    assert CheckIn.objects.count() == totals["check_ins"] - 1
    assert ProgressionStep.objects.count() == totals["steps"] - 1
    assert holdings(team.sam) == sam_before
    deleted = AuditEvent.objects.get(action="account.deleted")
    assert deleted.user is None and deleted.object_id is None
    assert not AuditEvent.objects.filter(user_id=team.maya.pk).exists()
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("today")).status_code == 302
