"""Weekly summaries and the trend since the assessment: getting better, or not."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from backcare.domain.assessment import Assessment
from backcare.domain.checkin import CheckIn
from backcare.domain.questionnaires import Change, nprs_change


@dataclass(frozen=True, slots=True)
class Week:
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


def weekly(ins: Sequence[CheckIn], *, start: date, today: date) -> tuple[Week, ...]:
    count = (today - start).days // 7 + 1 if today >= start else 0
    buckets: list[list[CheckIn]] = [[] for _ in range(count)]
    for c in ins:
        index = (c.date - start).days // 7
        if 0 <= index < count:
            buckets[index].append(c)
    return tuple(
        Week(
            start=start + timedelta(days=7 * n),
            end=start + timedelta(days=7 * n + 6),
            days_checked_in=len(days),
            mean_pain=_mean([c.pain_now for c in days]),
            spasm_episodes=sum(c.spasm_episodes for c in days),
            episodes_per_day=_mean([c.spasm_episodes for c in days]),
            exercise_days=sum(1 for c in days if c.exercises_done),
        )
        for n, days in enumerate(buckets)
    )


def trend(a: Assessment, ins: Sequence[CheckIn], *, today: date) -> Trend:
    """The last seven days against the assessment: lower pain or fewer spasms is improvement."""
    recent = [c for c in ins if today - timedelta(days=7) < c.date <= today]
    pain_now = _mean([c.pain_now for c in recent])
    episodes_now = _mean([c.spasm_episodes for c in recent])
    if pain_now is None or episodes_now is None:
        return Trend(
            None, a.spasm_episodes_per_day, None, False, ("No check-ins in the last week.",)
        )
    pain = nprs_change(a.pain_now, pain_now)
    days = (today - ins[0].date).days + 1 if ins else 0
    lines = [_pain_line(pain, days), _episodes_line(a.spasm_episodes_per_day, episodes_now)]
    improving = pain.improved or episodes_now < a.spasm_episodes_per_day
    return Trend(pain, a.spasm_episodes_per_day, episodes_now, improving, tuple(lines))


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


def _episodes_line(before: int, now: float) -> str:
    if now < before:
        return f"Spasm episodes down from {before} to {now:g} a day."
    if now > before:
        return f"Spasm episodes up from {before} to {now:g} a day."
    return f"Spasm episodes unchanged at {now:g} a day."


def _mean(values: Sequence[int]) -> float | None:
    return round(sum(values) / len(values), 1) if values else None
