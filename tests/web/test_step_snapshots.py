"""Each progression step keeps the engine's state, and the next check-in carries on from it:
the plan ends where a replay from the first day ends, late and edited check-ins included, and a
check-in on day 60 reads the last fortnight's rows, not sixty."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from backcare.care import actions
from backcare.care.actions import base_state, do_check_in, plan_changes
from backcare.care.models import Plan, ProgressionStep
from backcare.domain.checkin import CheckIn as CheckInValue
from backcare.domain.progress import SNAPSHOT_TAIL, progress
from tests.web.people import person, today_of

pytestmark = pytest.mark.django_db


def value(on, pain: int = 3, **extra):
    return CheckInValue.model_validate(
        {
            "date": on,
            "pain_now": pain,
            "spasm_episodes": 1,
            "exercises_done": [{"exercise": "walking", "sets": 1}],
            "pain_during_exercise": 2,
            "pain_next_morning": 2,
            "new_warning_signs": [],
            **extra,
        }
    )


def started_on(plan: Plan, day) -> None:
    """Move the plan's start back to `day`, so it has room for a long history before today."""
    for field in ("base_state", "state"):
        data = getattr(plan, field)
        data["created_on"] = day.isoformat()
        data["phase_started_on"] = day.isoformat()
    Plan.objects.filter(pk=plan.pk).update(
        created_on=day, base_state=plan.base_state, state=plan.state
    )
    plan.refresh_from_db()


def full_replay(plan: Plan, today):
    plan.refresh_from_db()
    stored = actions._stored_check_ins(plan)
    return progress(base_state(plan), stored, today=today, changes=plan_changes(plan))


def test_check_ins_carry_on_from_the_last_step_and_match_a_full_replay() -> None:
    user, plan = person("maya", onset_days=4, pain_now=4)
    base = today_of(user) - timedelta(days=25)
    started_on(plan, base)
    now = timezone.now()
    for n in range(20):
        do_check_in(user, user.patient, value(base + timedelta(days=n), pain=2 + n % 3), now=now)
    assert ProgressionStep.objects.filter(plan=plan, snapshot_on__isnull=False).count() == 20
    # A late one (a forgotten day) and an edited one (day 5 again) clear the snapshots from
    # their day on.
    do_check_in(user, user.patient, value(base + timedelta(days=22)), now=now)
    do_check_in(user, user.patient, value(base + timedelta(days=21), pain=6), now=now)
    latest = ProgressionStep.objects.latest("pk")
    assert latest.snapshot_on == base + timedelta(days=21)  # as of the day checked in
    assert not ProgressionStep.objects.filter(plan=plan, snapshot_on=base + timedelta(days=22))
    do_check_in(user, user.patient, value(base + timedelta(days=5), pain=8), now=now)
    assert (
        not ProgressionStep.objects.filter(plan=plan, snapshot_on__gte=base + timedelta(days=5))
        .exclude(pk=ProgressionStep.objects.latest("pk").pk)
        .exists()
    )
    *_, result = do_check_in(user, user.patient, value(base + timedelta(days=23)), now=now)
    expected = full_replay(plan, base + timedelta(days=23))
    plan.refresh_from_db()
    assert result.state == expected.state
    assert result.decisions == expected.decisions
    assert plan.state == expected.state.model_dump(mode="json")


def test_a_check_in_reads_only_the_rows_a_resumed_replay_needs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    user, plan = person("sam", onset_days=4, pain_now=4)
    base = today_of(user) - timedelta(days=70)
    started_on(plan, base)
    now = timezone.now()
    for n in range(60):
        do_check_in(user, user.patient, value(base + timedelta(days=n)), now=now)
    read: list[int] = []
    real = actions._stored_check_ins

    def counted(active, **kw):
        rows = real(active, **kw)
        read.append(len(rows))
        return rows

    monkeypatch.setattr(actions, "_stored_check_ins", counted)
    do_check_in(user, user.patient, value(base + timedelta(days=60)), now=now)
    assert read == [SNAPSHOT_TAIL]
