"""Episodes and re-checks: whether a new check continues a plan, replaces it, or starts afresh.

An episode is one bout of back pain, from the day it began until it settles. A person in a plan
re-takes the check every two weeks (and whenever they want to). A re-check that keeps the same
level continues the same plan, keeping its history, phase and doses; one at a different level
starts a new plan within the same episode, so Progress still shows the whole episode. A check
whose pain began after the current plan did is a new episode.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

RECHECK_AFTER_DAYS = 14  # NHS: most people improve a great deal within two weeks


class Use(StrEnum):
    CONTINUE = "continue"  # same episode, same level: keep the plan
    REPLACE = "replace"  # same episode, new level: a new plan, the same episode
    NEW_EPISODE = "new_episode"  # the pain began after the plan did: start afresh


def onset_day(checked_on: date, onset_days: int) -> date:
    return checked_on - timedelta(days=onset_days)


def use_of_check(
    *,
    plan_level: str | None,
    plan_created_on: date | None,
    level: str,
    checked_on: date,
    onset_days: int,
) -> Use:
    """What a new check does to the person's active plan (None: they have none)."""
    if plan_level is None or plan_created_on is None:
        return Use.NEW_EPISODE
    if onset_day(checked_on, onset_days) > plan_created_on:
        return Use.NEW_EPISODE
    return Use.CONTINUE if level == plan_level else Use.REPLACE


@dataclass(frozen=True, slots=True)
class Recheck:
    """When the next check is due, counted from the latest check behind the plan."""

    last_on: date
    due_on: date
    days_since: int

    @property
    def due(self) -> bool:
        return self.days_since >= RECHECK_AFTER_DAYS

    @property
    def days_overdue(self) -> int:
        return max(0, self.days_since - RECHECK_AFTER_DAYS)


def recheck(last_on: date, today: date) -> Recheck:
    return Recheck(
        last_on=last_on,
        due_on=last_on + timedelta(days=RECHECK_AFTER_DAYS),
        days_since=max(0, (today - last_on).days),
    )


def recheck_words(r: Recheck) -> str:
    """One sentence about the next check, the same on Today, Progress and the handout."""
    days = r.days_since
    since = f"{days} day{'s' if days != 1 else ''} since your last check"
    if r.due:
        return f"It has been {since}: time to take the check again."
    left = (r.due_on - r.last_on).days - days
    when = "tomorrow" if left == 1 else f"in {left} days"
    return f"Your next check is due on {_long(r.due_on)} ({when})."


def _long(day: date) -> str:
    return f"{day:%A} {day.day} {day:%B}"
