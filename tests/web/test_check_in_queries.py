"""A check-in POST costs a fixed, small number of database round trips, on day 1 as on day 60:
the session's user comes with their patient record, the plan is read once, and the week's
summary is made from the rows the replay already read. Each query is named below, so a new one
fails the test and has to say why it is worth a round trip."""

from __future__ import annotations

import random
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from backcare.accounts.backends import PATH
from backcare.care import actions
from backcare.care.actions import (
    base_state,
    do_change_programme,
    do_check_in,
    plan_changes,
    step_json,
)
from backcare.care.models import CheckIn, Plan, ProgressionStep, WeekSummary
from backcare.domain.changes import Change, ClinicianChange
from backcare.domain.progress import progress
from tests.web.people import clinic_for, logged_in, person, today_of
from tests.web.test_week_summaries import moved_back, value

pytestmark = pytest.mark.django_db

FORM = {
    "pain_now": "3",
    "spasm_episodes": "2",
    "exercises_done": ["walking"],
    "pain_during_exercise": "2",
    "new_warning_signs": ["none"],
}

# The first check-in of a day: what each round trip is for.
EXPECTED = [
    "select django_session",  # the session
    "select accounts_user",  # the user, with their patient record and staff role (one join)
    # the active plan, read once and handed on, with the newest snapshot of the engine's state
    # and whether a physiotherapist changed the plan (their changes are read only then: see
    # test_a_changed_plan_reads_its_changes)
    "select care_plan",
    "select care_checkin",  # the check-ins since the snapshot (and the week's, for its summary)
    "update care_plan",  # the plan's new state, if nobody changed it meanwhile
    "insert care_checkin",  # the check-in (an upsert)
    "insert care_weeksummary",  # the week's summary (an upsert)
    "insert care_progressionstep",  # what progression decided, with its snapshot
    "insert care_auditevent",  # the audit row
]
TRANSACTION = re.compile(r"^(SAVEPOINT|RELEASE SAVEPOINT|BEGIN|COMMIT)", re.IGNORECASE)


def shape(sql: str) -> str:
    """ "select care_plan" for a query's verb and its first table."""
    words = sql.replace('"', "").split()
    verb = words[0].lower()
    if verb == "select":
        table = _outer_from(words)
    elif verb == "insert":
        table = words[2]
    else:
        table = words[1]
    return f"{verb} {table}"


def _outer_from(words: list[str]) -> str:
    """The table after the FROM outside every parenthesis (a column may be a subquery); for a
    select of subqueries alone, the first one's."""
    depth, first = 0, None
    for n, word in enumerate(words):
        if word.upper() == "FROM":
            if depth == 0:
                return words[n + 1]
            first = first or words[n + 1]
        depth += word.count("(") - word.count(")")
    return first or "?"


def posted(client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url, FORM)
    assert response.status_code == 302, response.status_code
    return [shape(q["sql"]) for q in queries.captured_queries if not TRANSACTION.match(q["sql"])]


def test_a_first_check_in_of_the_day_makes_these_queries_and_no_more() -> None:
    user, _ = person("maya", onset_days=4, pain_now=4)
    client = logged_in(user)
    assert posted(client, reverse("check_in")) == EXPECTED
    assert CheckIn.objects.filter(patient=user.patient).count() == 1
    assert WeekSummary.objects.filter(patient=user.patient).get().days_checked_in == 1


def test_sixty_days_of_history_cost_no_more_queries_than_none() -> None:
    user, plan = person("maya", onset_days=4, pain_now=4)
    plan = moved_back(plan, today_of(user) - timedelta(days=60))
    rng = random.Random(5)  # noqa: S311 - test data
    now = timezone.now()
    for n in range(60):
        do_check_in(user, user.patient, value(plan.created_on + timedelta(days=n), rng), now=now)
    assert posted(logged_in(user), reverse("check_in")) == EXPECTED


def test_a_changed_plan_reads_its_changes() -> None:
    user, plan = person("maya", onset_days=4, pain_now=4)
    clinic = clinic_for(user)
    change = ClinicianChange(on=today_of(user), kind=Change.LOCK, note="Hold it for a week.")
    _, problems = do_change_programme(
        clinic.priya, user.patient, change, today=today_of(user), now=timezone.now()
    )
    assert not problems
    expected = [*EXPECTED]
    expected.insert(expected.index("select care_checkin") + 1, "select care_programmechange")
    assert posted(logged_in(user), reverse("check_in")) == expected
    plan = Plan.objects.get(pk=plan.pk)
    stored = actions._stored_check_ins(plan)
    replayed = progress(base_state(plan), stored, today=today_of(user), changes=plan_changes(plan))
    unchanged = progress(base_state(plan), stored, today=today_of(user))
    assert plan.state == replayed.state.model_dump(mode="json")
    shown = ProgressionStep.objects.filter(plan=plan).latest("pk").result
    assert shown == step_json(replayed) != step_json(unchanged)  # the lock is in it


def test_a_plan_ahead_of_the_persons_date_reads_its_snapshot_for_the_plans_day() -> None:
    """Moved west, the person's date is behind the plan's (queries.plan_today): the snapshot
    read with the plan was for the wrong day, so the check-in reads the right one."""
    user, _ = person("maya", zone="Pacific/Kiritimati", onset_days=4, pain_now=4)
    client = logged_in(user)
    assert posted(client, reverse("check_in")) == EXPECTED
    saved = CheckIn.objects.get(patient=user.patient)
    user.patient.__class__.objects.filter(pk=user.patient.pk).update(timezone="Pacific/Pago_Pago")
    again = posted(client, reverse("check_in"))
    assert again.count("select care_progressionstep") == 1  # the snapshot before the plan's day
    assert CheckIn.objects.get(patient=user.patient).date == saved.date


def test_the_session_user_comes_with_their_patient_record() -> None:
    user, _ = person("maya", onset_days=4, pain_now=4)
    client = logged_in(user)
    assert client.session["_auth_user_backend"] == PATH
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("today")).status_code == 200
    assert not [q for q in queries.captured_queries if 'FROM "care_patient"' in q["sql"]]
