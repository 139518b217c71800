"""Keeping each plan's weekly summaries (`WeekSummary`) current with its check-ins.

Every write of a check-in calls `refresh_week` inside its own transaction: the week is summed
again from its (at most seven) check-ins rather than nudged by a difference, so a late, edited
or repeated check-in leaves the same row as a summary made from scratch (`fill_weeks`).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from backcare.care.models import CheckIn, Plan, WeekSummary
from backcare.domain.progress_summary import Day, WeekDays, week_days, week_start
from backcare.lib import rows

SIX_DAYS = timedelta(days=6)
FIELDS = ["days_checked_in", "pain_total", "spasm_total", "exercise_days", "pains", "spasms"]


def _days(rows: Iterable[tuple[date, int, int, Any]]) -> list[Day]:
    return [Day(on, pain, spasms, bool(done)) for on, pain, spasms, done in rows]


def _check_ins(patient_id: int, first: date, last: date | None = None) -> list[Day]:
    found = CheckIn.objects.filter(patient_id=patient_id, date__gte=first)
    if last is not None:
        found = found.filter(date__lte=last)
    return _days(found.values_list("date", "pain_now", "spasm_episodes", "exercises_done"))


def _row(plan: Plan, week: WeekDays) -> WeekSummary:
    return WeekSummary(
        patient_id=plan.patient_id,
        plan_id=plan.pk,
        starts_on=week.starts_on,
        days_checked_in=week.days_checked_in,
        pain_total=week.pain_total,
        spasm_total=week.spasm_total,
        exercise_days=week.exercise_days,
        pains=list(week.pains),
        spasms=list(week.spasms),
    )


def _save(plan: Plan, weeks: list[WeekDays]) -> None:
    WeekSummary.objects.bulk_create(
        [_row(plan, w) for w in weeks],
        update_conflicts=True,
        unique_fields=["plan", "starts_on"],
        update_fields=FIELDS,
    )


def refresh_week(plan: Plan, on: date, *, read: Any = None) -> None:
    """Sum again the week of `plan`'s episode that holds `on` (a day with a check-in written).

    `read` (actions.Read): the check-ins the replay has just read, every one from its `since`
    on; when they hold the whole week it is summed from them, without asking again.
    """
    if on < plan.episode_started_on:
        return  # before the episode: Progress never shows it
    begin = week_start(plan.episode_started_on, on)
    last = begin + SIX_DAYS
    if read is not None and read.since <= begin:
        days = _days(
            (c.date, c.pain_now, c.spasm_episodes, c.exercises_done)
            for c in read.rows
            if begin <= c.date <= last
        )
    else:
        days = _check_ins(plan.patient_id, begin, last)
    weeks = week_days(begin, days)
    for week in weeks:  # the one week holding `on`, in SQL made once (backcare.lib.rows)
        rows.insert(_row(plan, week), unique=("plan", "starts_on"), update=tuple(FIELDS))
    if not weeks:
        WeekSummary.objects.filter(plan=plan, starts_on=begin).delete()


def fill_weeks(plan: Plan) -> None:
    """Every week of `plan`'s episode from its check-ins: for a new plan (an episode carried on
    has weeks already) and for check-ins written in bulk (demo and benchmark data)."""
    WeekSummary.objects.filter(plan=plan).delete()
    _save(
        plan,
        week_days(plan.episode_started_on, _check_ins(plan.patient_id, plan.episode_started_on)),
    )
