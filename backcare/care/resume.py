"""Where a check-in's replay carries on from: the newest snapshot of the plan's engine state
before the check-in's day, and whether a physiotherapist has changed the plan. Read on its own
(read_resume) or with the plan itself (access.access_active_plan_to_check_in), so the guard and
the action share it without the guard depending on the actions."""

from __future__ import annotations

import json
from datetime import date
from typing import Any, NamedTuple

from django.db import connection

from backcare.care.models import Plan, ProgrammeChange, ProgressionStep
from backcare.domain.progress import Snapshot

# The newest snapshot before a day (its one parameter), and whether the plan has any
# physiotherapist's change, as two columns: through the ORM they were two queries, and building
# their SQL cost a check-in more than running them (most plans have no change, so their query
# was all cost). `{plan}` is the plan's id: a parameter, or the plan's column when they are read
# with the plan itself (access_active_plan_to_check_in).
_RESUME_COLUMNS = (
    "(SELECT engine_state FROM {steps} WHERE plan_id = {plan} AND snapshot_on < %s "
    "ORDER BY snapshot_on DESC, id DESC LIMIT 1)",
    "EXISTS (SELECT 1 FROM {changes} WHERE plan_id = {plan})",
)


class Resume(NamedTuple):
    """Where a replay for a check-in on the day before `before` carries on from."""

    before: date
    snapshot: Snapshot | None
    changed: bool  # whether a physiotherapist has changed the plan (plan_changes has some)


def resume_columns(plan: str) -> tuple[str, str]:
    """_RESUME_COLUMNS for the plan whose id is the SQL `plan` (one parameter: the day)."""
    names = {
        "steps": ProgressionStep._meta.db_table,
        "changes": ProgrammeChange._meta.db_table,
        "plan": plan,
    }
    snapshot, changed = _RESUME_COLUMNS
    return snapshot.format(**names), changed.format(**names)


def resume_of(found: Any, changed: Any, *, before: date) -> Resume:
    """A Resume from the two columns, as the database's driver returned them."""
    if not found:
        return Resume(before, None, bool(changed))
    state = found if isinstance(found, dict) else json.loads(found)
    snap = Snapshot(
        date.fromisoformat(state["on"]), date.fromisoformat(state["first"]), state["data"]
    )
    return Resume(before, snap, bool(changed))


def read_resume(active: Plan, *, before: date) -> Resume:
    """The newest snapshot of the plan's engine state taken before `before` that still holds
    (a check-in saved on or before a snapshot's day clears it: see do_check_in), and whether
    the replay has clinician changes to read."""
    sql = "SELECT " + ", ".join(resume_columns("%s"))
    with connection.cursor() as cursor:
        cursor.execute(sql, [active.pk, before, active.pk])
        found, changed = cursor.fetchone()
    return resume_of(found, changed, before=before)
