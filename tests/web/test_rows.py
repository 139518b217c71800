"""backcare.lib.rows reads and writes what the ORM would: the same values back from a row, the
same row stored, on SQLite and on PostgreSQL (`make test-postgres` runs these too)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.forms.models import model_to_dict
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from backcare.accounts.models import User
from backcare.care.models import Action, AuditEvent, CheckIn, Plan, WeekSummary
from backcare.lib import rows
from tests.web.people import clinic_for, person, today_of

pytestmark = pytest.mark.django_db


def every_column(obj) -> dict:
    return {f.attname: getattr(obj, f.attname) for f in type(obj)._meta.concrete_fields}


def test_select_one_reads_the_row_as_the_orm_does() -> None:
    user, plan = person("maya", onset_days=4, pain_now=4)
    found = rows.select_one(Plan, patient_id=user.patient.pk, is_active=True)
    assert found is not None
    assert every_column(found) == every_column(Plan.objects.get(pk=plan.pk))
    assert not found._state.adding
    assert rows.select_one(Plan, patient_id=user.patient.pk, is_active=False) is None


def test_insert_stores_what_create_stores() -> None:
    user, _ = person("maya", onset_days=4, pain_now=4)
    now = timezone.now()
    fields = {
        "actor": user, "patient": user.patient, "action": Action.CHECK_IN_SAVED,
        "object_type": "CheckIn", "object_id": 7, "details": {"level": "self_care", "n": [1]},
        "at": now,
    }  # fmt: skip
    made = rows.insert(AuditEvent(**fields))
    by_orm = AuditEvent.objects.create(**fields)
    assert made.pk is not None and made.pk != by_orm.pk
    stored, expected = AuditEvent.objects.get(pk=made.pk), AuditEvent.objects.get(pk=by_orm.pk)
    assert every_column(stored) | {"id": 0} == every_column(expected) | {"id": 0}


def test_an_upsert_updates_the_row_it_meets_and_takes_its_id() -> None:
    user, plan = person("maya", onset_days=4, pain_now=4)
    day, now = today_of(user), timezone.now()

    def check_in(pain: int, signs: list[str]) -> CheckIn:
        return CheckIn(
            patient=user.patient, date=day, pain_now=pain, spasm_episodes=1,
            exercises_done=[{"exercise": "walking", "sets": 1}], new_warning_signs=signs,
            sleep="", created_at=now,
        )  # fmt: skip

    update = ("pain_now", "new_warning_signs")
    first = rows.insert(check_in(3, []), unique=("patient", "date"), update=update)
    again = rows.insert(check_in(6, ["fever"]), unique=("patient", "date"), update=update)
    assert again.pk == first.pk
    stored = CheckIn.objects.get(patient=user.patient)
    assert (stored.pain_now, stored.new_warning_signs, stored.created_at) == (6, ["fever"], now)
    week = WeekSummary(
        patient=user.patient, plan=plan, starts_on=day, days_checked_in=1, pain_total=3,
        spasm_total=1, exercise_days=1, pains=[3], spasms=[1],
    )  # fmt: skip
    rows.insert(week, unique=("plan", "starts_on"), update=("pain_total", "pains"))
    assert model_to_dict(WeekSummary.objects.get(), exclude=["id"]) == model_to_dict(
        week, exclude=["id"]
    )


def test_update_changes_only_the_rows_matching_every_column() -> None:
    _, plan = person("maya", onset_days=4, pain_now=4)
    later = plan.updated_at + timedelta(seconds=1)
    stale = {"id": plan.pk, "is_active": True, "updated_at": later}
    assert rows.update(Plan, stale, {"phase": 3, "updated_at": later}) == 0
    current = {"id": plan.pk, "is_active": True, "updated_at": plan.updated_at}
    state = {**plan.state, "phase": 3}
    assert rows.update(Plan, current, {"phase": 3, "state": state, "updated_at": later}) == 1
    plan.refresh_from_db()
    assert (plan.phase, plan.state, plan.updated_at) == (3, state, later)
    assert rows.update(Plan, current, {"phase": 2, "updated_at": later}) == 0  # moved on


def test_a_prepared_select_related_reads_what_the_orm_reads() -> None:
    maya, _ = person("maya", onset_days=4, pain_now=4)
    nobody = User.objects.create_user("nobody", password="x")  # neither patient nor staff
    priya = clinic_for(maya).priya
    prepared = rows.Prepared(
        lambda pk: User.objects.select_related("patient", "staff").filter(pk=pk)[:1], -7
    )
    for user in (maya, priya, nobody):
        found = prepared.first(user.pk)
        by_orm = User.objects.select_related("patient", "staff").get(pk=user.pk)
        assert found is not None and not found._state.adding
        assert every_column(found) == every_column(by_orm)
        for record in ("patient", "staff"):
            # Joined in the same row: reading the record asks nothing more of the database.
            with CaptureQueriesContext(connection) as asked:
                mine = getattr(found, record, None)
            assert not asked.captured_queries
            theirs = getattr(by_orm, record, None)
            assert (mine and every_column(mine)) == (theirs and every_column(theirs))
    assert prepared.first(10**9) is None


def test_a_stand_in_must_be_exactly_one_parameter() -> None:
    person("maya", onset_days=4, pain_now=4)
    twice = rows.Prepared(lambda pk: User.objects.filter(pk=pk, id__gte=pk)[:1], -7)
    with pytest.raises(ValueError, match="stand-in -7"):
        twice.first(1)
