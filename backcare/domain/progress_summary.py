"""Weekly summaries and the trend since the assessment: getting better, or not."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import NamedTuple

from backcare.domain.assessment import Assessment
from backcare.domain.checkin import CheckInLike
from backcare.domain.improvement import episodes_improved, improving
from backcare.domain.questionnaires import Change, nprs_change

WEEK = timedelta(days=7)
SIX_DAYS = timedelta(days=6)


class Week(NamedTuple):
    start: date
    end: date
    days_checked_in: int
    mean_pain: float | None
    spasm_episodes: int
    episodes_per_day: float | None
    exercise_days: int


@dataclass(frozen=True, slots=True)
class Trend:
    pain: Change | None
    episodes_before: int
    episodes_now: float | None
    improving: bool
    summary: tuple[str, ...]


def weekly(ins: Sequence[CheckInLike], *, start: date, today: date) -> tuple[Week, ...]:
    """Seven-day blocks from `start` to `today`; `ins` is sorted by date."""
    out: list[Week] = []
    begin, end = start, start + SIX_DAYS
    days = pain = episodes = exercised = 0
    for c in ins:
        on = c.date
        if on < start:
            continue
        if on > today:
            break
        while on > end:
            out.append(_week(begin, end, days, pain, episodes, exercised))
            begin, end = begin + WEEK, end + WEEK
            days = pain = episodes = exercised = 0
        days += 1
        pain += c.pain_now
        episodes += c.spasm_episodes
        if c.exercises_done:
            exercised += 1
    while begin <= today:
        out.append(_week(begin, end, days, pain, episodes, exercised))
        begin, end = begin + WEEK, end + WEEK
        days = pain = episodes = exercised = 0
    return tuple(out)


def _week(begin: date, end: date, days: int, pain: int, episodes: int, exercised: int) -> Week:
    if not days:
        return Week(begin, end, 0, None, 0, None, exercised)
    return Week(
        begin, end, days, round(pain / days, 1), episodes, round(episodes / days, 1), exercised
    )


def trend(
    a: Assessment, ins: Sequence[CheckInLike], *, today: date, first: date | None = None
) -> Trend:
    """The last seven days against the assessment: a meaningful fall in pain or in spasm episodes
    is improvement (backcare/domain/improvement.py, the one rule for "improving")."""
    cutoff = today - timedelta(days=7)
    recent = [c for c in ins if cutoff < c.date <= today]
    if not recent:
        return Trend(
            None, a.spasm_episodes_per_day, None, False, ("No check-ins in the last week.",)
        )
    pain_now = round(sum(c.pain_now for c in recent) / len(recent), 1)
    episodes_now = round(sum(c.spasm_episodes for c in recent) / len(recent), 1)
    pain = nprs_change(a.pain_now, pain_now)
    days = (today - (first or ins[0].date)).days + 1  # `first`: when ins is only the recent tail
    lines = [_pain_line(pain, days), _episodes_line(a.spasm_episodes_per_day, episodes_now)]
    lines += _sleep_line(recent)
    better = improving(a.pain_now, pain_now, a.spasm_episodes_per_day, episodes_now)
    return Trend(pain, a.spasm_episodes_per_day, episodes_now, better, tuple(lines))


def _pain_line(pain: Change, days: int) -> str:
    span = f"over {days} day{'s' if days != 1 else ''}"
    if pain.difference == 0:
        return f"Pain unchanged at {pain.after:g}/10 on average {span}."
    direction = "down" if pain.improved else "up"
    verdict = (
        ("a meaningful improvement" if pain.improved else "a meaningful worsening")
        if pain.meaningful
        else f"not yet a meaningful change ({pain.threshold})"
    )
    size = abs(pain.difference)
    points = f"{size:g} point{'s' if size != 1 else ''}"
    average = f"from {pain.before:g} to {pain.after:g}/10 on average this week"
    return f"Pain {direction} {points} {span} ({average}): {verdict}."


def _sleep_line(recent: Sequence[CheckInLike]) -> list[str]:
    answered = [c.sleep for c in recent if c.sleep is not None]
    if not answered:
        return []
    disturbed = sum(s != "well" for s in answered)
    nights = f"{len(answered)} night{'s' if len(answered) != 1 else ''}"
    if not disturbed:
        return [f"Sleep: you slept well on all {nights} you told us about this week."]
    return [f"Sleep: your back woke you on {disturbed} of the {nights} you told us about."]


def _episodes_line(before: int, now: float) -> str:
    if now < before:
        verdict = (
            "a meaningful improvement"
            if episodes_improved(before, now)
            else "not yet a meaningful change (1 a day or 30%)"
        )
        return f"Spasm episodes down from {before} to {now:g} a day: {verdict}."
    if now > before:
        return f"Spasm episodes up from {before} to {now:g} a day."
    return f"Spasm episodes unchanged at {now:g} a day."


class Day(NamedTuple):
    """One check-in as a week's summary reads it."""

    on: date
    pain: int
    spasms: int
    exercised: bool


class WeekDays(NamedTuple):
    """A week of an episode as stored: its totals and each of its seven days (None: no check-in)."""

    starts_on: date
    days_checked_in: int
    pain_total: int
    spasm_total: int
    exercise_days: int
    pains: tuple[int | None, ...]
    spasms: tuple[int | None, ...]


def week_start(start: date, on: date) -> date:
    """The first day of the 7-day block, counted from `start`, that holds `on`."""
    return start + WEEK * ((on - start).days // 7)


def week_days(start: date, days: Iterable[Day]) -> list[WeekDays]:
    """The weeks from `start` that have check-ins, in order; days before `start` are left out."""
    by_week: dict[date, list[Day]] = {}
    for d in days:
        if d.on >= start:
            by_week.setdefault(week_start(start, d.on), []).append(d)
    return [_week_days(begin, by_week[begin]) for begin in sorted(by_week)]


def _week_days(begin: date, days: list[Day]) -> WeekDays:
    pains: list[int | None] = [None] * 7
    spasms: list[int | None] = [None] * 7
    for d in days:
        pains[(d.on - begin).days] = d.pain
        spasms[(d.on - begin).days] = d.spasms
    return WeekDays(
        begin,
        len(days),
        sum(d.pain for d in days),
        sum(d.spasms for d in days),
        sum(d.exercised for d in days),
        tuple(pains),
        tuple(spasms),
    )
