"""My data: a person can download everything of theirs, and delete it all for good."""

from __future__ import annotations

import io
import json
from datetime import timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from axes.models import AccessLog
from django.apps import apps
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from backcare.accounts.models import User
from backcare.care.actions import do_claim_assessment, do_save_assessment, do_start_thermal
from backcare.care.models import (
    AssessmentRecord,
    AuditEvent,
    CheckIn,
    Plan,
    ProgressionStep,
    ThermalApplication,
)
from backcare.care.views.my_data import NOT_THE_PERSONS, PERSONS_TABLES
from backcare.domain.assessment import Assessment
from tests.domain.people import answers
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
        "assessments": AssessmentRecord.objects.filter(patient__user=user).count(),
        "plans": Plan.objects.filter(patient__user=user).count(),
        "check_ins": CheckIn.objects.filter(patient__user=user).count(),
        "steps": ProgressionStep.objects.filter(plan__patient__user=user).count(),
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
        "region": "",
        "date_joined": data["profile"]["date_joined"],
        "clinic": None,
    }
    assert [c["pain_now"] for c in data["check_ins"]] == [3]
    mine = CheckIn.objects.get(patient__user=team.maya)
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


def test_the_export_has_the_ice_and_heat_sessions_and_the_logins(team: People) -> None:
    now = timezone.now()
    assert do_start_thermal(team.maya, team.maya.patient, "cold", now=now).allowed
    do_start_thermal(team.sam, team.sam.patient, "heat", now=now)
    client = Client()
    assert client.post(reverse("login"), {"username": "maya", "password": PASSWORD}).status_code
    data = json.loads(client.get(reverse("export_data")).content)
    [cold] = data["thermal_applications"]
    mine = ThermalApplication.objects.get(patient__user=team.maya)
    assert cold["kind"] == "cold" and cold["id"] == mine.pk and cold["stopped_at"] is None
    assert cold["started_at"] and cold["ends_at"]
    [login] = data["logins"]
    assert login["ip_address"] == "127.0.0.1" and login["at"]


def test_every_table_that_points_at_a_person_is_in_the_export() -> None:
    people_models = {apps.get_model(settings.AUTH_USER_MODEL), apps.get_model("care.Patient")}
    pointing = {
        model._meta.label
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if field.concrete and field.is_relation and field.related_model in people_models
    }
    assert "care.ThermalApplication" in pointing
    missing = pointing - set(PERSONS_TABLES) - NOT_THE_PERSONS
    assert not missing, f"export (and delete) these, listing them in PERSONS_TABLES: {missing}"


def test_every_listed_table_is_a_key_of_the_export(team: People) -> None:
    data = json.loads(logged_in(team.maya).get(reverse("export_data")).content)
    assert set(PERSONS_TABLES.values()) <= set(data)


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
            patient=team.maya.patient,
            date=today_of(team.maya) - timedelta(days=days_ago),
            pain_now=5,
            spasm_episodes=1,
            created_at=timezone.now(),
        )
        step.pk = None
        step.check_in = earlier
        step.save()
    with django_assert_max_num_queries(16):  # the session, the user, the patient, one per table
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
    assert deleted.actor is None and deleted.object_id is None
    assert not AuditEvent.objects.filter(actor_id=team.maya.pk).exists()
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("today")).status_code == 302


def test_deleting_removes_every_audit_row_about_the_person_and_keeps_one_without_details(
    team: People,
) -> None:
    now = timezone.now()
    before_signing_up = do_save_assessment(
        None, None, Assessment.model_validate(answers()), now=now
    )
    do_claim_assessment(team.maya, team.maya.patient, before_signing_up, now=now)
    do_start_thermal(team.maya, team.maya.patient, "cold", now=now)
    client = Client()
    client.post(reverse("login"), {"username": "maya", "password": PASSWORD})
    check_in(client)
    check_in(logged_in(team.sam))
    hers = set(AuditEvent.objects.filter(actor=team.maya).values_list("pk", flat=True)) | {
        AuditEvent.objects.get(actor=None, object_id=before_signing_up.pk).pk
    }
    assert len(hers) >= 6
    assert any(AuditEvent.objects.get(pk=pk).details for pk in hers)  # levels, statuses
    sams = set(AuditEvent.objects.filter(actor=team.sam).values_list("pk", flat=True))
    others = set(AuditEvent.objects.exclude(pk__in=hers).values_list("pk", flat=True))
    assert sams <= others
    assert AccessLog.objects.filter(username="maya").exists()

    client.post(reverse("delete_account"), {"password": PASSWORD})

    assert not AuditEvent.objects.filter(pk__in=hers).exists()
    [deleted] = AuditEvent.objects.exclude(pk__in=others)
    assert (deleted.action, deleted.actor, deleted.object_id, deleted.details) == (
        "account.deleted",
        None,
        None,
        {},
    )
    assert set(AuditEvent.objects.filter(actor=team.sam).values_list("pk", flat=True)) == sams
    assert not ThermalApplication.objects.exists()
    assert not AccessLog.objects.filter(username="maya").exists()


# Anonymous checks


def anonymous_check(hours_ago: float) -> AssessmentRecord:
    at = timezone.now() - timedelta(hours=hours_ago)
    return do_save_assessment(None, None, Assessment.model_validate(answers()), now=at)


def purge(now: str | None = None) -> str:
    out = io.StringIO()
    call_command("purge_anonymous_checks", *(["--now", now] if now else []), stdout=out)
    return out.getvalue()


def test_unclaimed_anonymous_checks_older_than_a_day_are_purged_with_their_audit_rows(
    team: People,
) -> None:
    old, older = anonymous_check(24.5), anonymous_check(24 * 30)
    recent = anonymous_check(23.5)
    claimed = anonymous_check(48)
    do_claim_assessment(team.maya, team.maya.patient, claimed, now=timezone.now())
    audited = AuditEvent.objects.filter(object_type="AssessmentRecord")

    said = purge()

    assert "Removed 2 anonymous checks (and 2 audit rows)" in said
    left = set(AssessmentRecord.objects.values_list("pk", flat=True))
    assert old.pk not in left and older.pk not in left
    assert {recent.pk, claimed.pk} <= left
    assert not audited.filter(object_id__in=[old.pk, older.pk]).exists()
    assert audited.filter(object_id=recent.pk).exists()
    [row] = AuditEvent.objects.filter(action="assessment.purged")
    assert row.details == {"count": 2, "unclaimed_for_hours": 24} and row.actor is None


def test_purging_twice_removes_nothing_more() -> None:
    anonymous_check(30)
    assert "Removed 1 anonymous check " in purge()
    assert "Removed 0 anonymous checks (and 0 audit rows)" in purge()
    assert AuditEvent.objects.filter(action="assessment.purged").count() == 1


@pytest.mark.parametrize(("minutes_past_a_day", "removed"), [(0, 0), (1, 1)])
def test_the_purge_takes_its_clock_as_an_option(minutes_past_a_day: int, removed: int) -> None:
    made = anonymous_check(0)
    then = made.created_at + timedelta(hours=24, minutes=minutes_past_a_day)
    said = purge(then.astimezone(ZoneInfo("Australia/Melbourne")).isoformat())
    assert f"Removed {removed} anonymous check" in said
    assert AssessmentRecord.objects.filter(pk=made.pk).exists() is (removed == 0)


@pytest.mark.parametrize("now", ["yesterday", "2026-12-01T11:00:00"])
def test_a_bad_clock_for_the_purge_is_refused_with_exit_code_2(now: str) -> None:
    anonymous_check(30)
    with pytest.raises(CommandError, match="--now") as refused:
        purge(now)
    assert refused.value.returncode == 2
    assert AssessmentRecord.objects.count() == 1


def test_make_run_purges_anonymous_checks_at_start() -> None:
    makefile = (Path(__file__).resolve().parents[2] / "Makefile").read_text()
    recipe = makefile.split("\nrun:", 1)[1].split("\n\n", 1)[0]
    assert "manage.py purge_anonymous_checks" in recipe
    assert (
        recipe.index("migrate") < recipe.index("purge_anonymous_checks") < recipe.index("gunicorn")
    )
