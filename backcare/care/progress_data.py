"""What Progress shows, read from the person's records (the page, the clinic's record view and
the API's /me/progress all read it here): the episode's weekly summaries and its checks.

Two queries whatever the history's length: the plan's weekly summaries (`WeekSummary`, a row a
week, kept current by every check-in write: backcare/care/weeks.py) and the assessments.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property
from typing import Any, NamedTuple

from django.db.models import TextField
from django.db.models.functions import Cast

from backcare.care import charts
from backcare.care.models import AssessmentRecord, Plan, WeekSummary
from backcare.lib.timezones import local_today


class Week(NamedTuple):
    """A stored week of the episode: its check-in count and totals, and its seven days' values
    (None: no check-in) as stored, decoded only when asked for (the line charts, the first and
    last weeks' ends): the page's weekly tables read the totals, so a year-long episode's page
    decodes two weeks' lists, not fifty-two."""

    starts_on: date
    checked_in: int
    pain_total: int
    spasm_total: int
    stored_pains: str
    stored_spasms: str

    @property
    def pains(self) -> list[int | None]:
        return _days(self.stored_pains)

    @property
    def spasms(self) -> list[int | None]:
        return _days(self.stored_spasms)

    @property
    def mean_pain(self) -> float:
        return round(self.pain_total / self.checked_in, 1)

    @property
    def mean_spasms(self) -> float:
        return round(self.spasm_total / self.checked_in, 1)


def _days(stored: Any) -> list[int | None]:
    # SQLite and PostgreSQL give the JSON's text (see the Cast in episode_data).
    return list(json.loads(stored) if isinstance(stored, str) else stored)


@dataclass(frozen=True)
class Data:
    """The person's episode as its weekly summaries: one row a week however long it has run.
    The daily lists for the line charts are unpacked from the weeks' seven days."""

    today: date
    start: date
    end: date
    weeks: list[Week]
    exercised: dict[date, int]
    baseline_pain: int | None
    baseline_episodes: int | None

    @cached_property  # the tables, the charts and their words all ask for it
    def week_starts(self) -> list[date]:
        weeks = (self.today - self.start).days // 7 + 1
        return [self.start + timedelta(days=7 * i) for i in range(weeks)]

    @property
    def exercise_days(self) -> list[int]:
        return [self.exercised.get(s, 0) for s in self.week_starts]

    @property
    def has_check_ins(self) -> bool:
        return bool(self.weeks)

    def weeks_numbered(self) -> list[Week | None]:
        """Each week of the episode so far, in order: its summary, or None without check-ins."""
        by_start = {w.starts_on: w for w in self.weeks}
        return [by_start.get(s) for s in self.week_starts]

    def daily(self, which: str) -> tuple[list[date], list[int]]:
        """Every day with a check-in and its pain ("pains") or spasm episodes ("spasms")."""
        days, values = [], []
        for w in self.weeks:
            for i, v in enumerate(getattr(w, which)):
                if v is not None:
                    days.append(w.starts_on + timedelta(days=i))
                    values.append(v)
        return days, values

    def ends(self, which: str) -> tuple[list[date], list[int]]:
        """The first and last check-in (one if there is only one), all the chart words need."""
        if not self.weeks:
            return [], []
        first, last = self.weeks[0], self.weeks[-1]
        head = next((i, v) for i, v in enumerate(getattr(first, which)) if v is not None)
        tail = next(
            (6 - i, v) for i, v in enumerate(reversed(getattr(last, which))) if v is not None
        )
        days = [first.starts_on + timedelta(days=head[0]), last.starts_on + timedelta(days=tail[0])]
        values = [head[1], tail[1]]
        return (days[:1], values[:1]) if days[0] == days[1] else (days, values)


def episode_data(plan: Plan, today: date) -> Data:
    """The whole episode, which may span several plans when a re-check changed the level: the
    plan's weekly summaries carry the episode's weeks from its first day. No check-in is ever
    after the plan's today (`plan_today` is never before the latest one)."""
    start = plan.episode_started_on
    rows = (
        WeekSummary.objects.filter(plan=plan, starts_on__gte=start, starts_on__lte=today)
        .order_by("starts_on")
        .values_list(
            "starts_on", "days_checked_in", "pain_total", "spasm_total",
            Cast("pains", TextField()), Cast("spasms", TextField()), "exercise_days",
        )
    )  # fmt: skip
    weeks, exercised = [], {}
    for begin, days, pain, spasm, pains, spasms, exercise_days in rows:
        if days:
            weeks.append(Week(begin, days, pain, spasm, pains, spasms))
        exercised[begin] = exercise_days
    return Data(
        today=today,
        start=start,
        end=charts.axis_end(start, today),
        weeks=weeks,
        exercised=exercised,
        baseline_pain=plan.episode_pain,
        baseline_episodes=plan.episode_spasms,
    )


@dataclass(frozen=True)
class Check:
    """One assessment: its day in the person's time zone, and STarT Back if it was answered."""

    on: date
    startback: dict[str, Any] | None


def episode_checks(patient: Any, plan: Plan) -> list[Check]:
    """The episode's checks, each on its day in the person's zone."""
    rows = (
        AssessmentRecord.objects.filter(patient=patient)
        .order_by("created_at")
        .values_list("created_at", "triage__startback")
    )
    checks = [Check(local_today(patient, at), startback or None) for at, startback in rows]
    return [c for c in checks if c.on >= plan.episode_started_on]
