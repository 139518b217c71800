"""First aid for today: ice or heat with safe timing, resting positions, and what to do or avoid."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Literal

from backcare.domain import catalogue
from backcare.domain.assessment import Assessment
from backcare.domain.catalogue import AdviceItem, Position, Thermal

Kind = Literal["cold", "heat"]
DAY_STARTS = time(8, 0)


@dataclass(frozen=True, slots=True)
class ThermalPlan:
    kind: Kind
    content: Thermal
    suggested_times: tuple[time, ...]
    why: str


@dataclass(frozen=True, slots=True)
class FirstAidToday:
    """`comfort_only`: positions and ice or heat while waiting to be seen (urgent), without the
    advice on walking and getting back to activity."""

    thermal: tuple[ThermalPlan, ...]
    positions: tuple[Position, ...]
    advice: tuple[AdviceItem, ...]
    comfort_only: bool = False


def spacing(item: Thermal) -> timedelta:
    """Start-to-start gap: the longest application plus the skin's recovery, in whole hours."""
    hours = math.ceil(item.max_minutes / 60 + item.skin_recovery_hours)
    return timedelta(hours=hours)


def suggested_times(item: Thermal) -> tuple[time, ...]:
    first = DAY_STARTS.hour * 60 + DAY_STARTS.minute
    gap = int(spacing(item).total_seconds() // 60)
    minutes = (first + n * gap for n in range(item.max_per_day))
    return tuple(time(m // 60, m % 60) for m in minutes if m < 24 * 60)


def first_aid_for(a: Assessment, days_in: int, level: str) -> FirstAidToday | None:
    """First aid on a plan's day `days_in`: none for an emergency (go now), comfort while waiting
    for an urgent appointment, and the full first aid otherwise, adapted in pregnancy."""
    if level == "emergency":
        return None
    aid = first_aid_today(a.onset_days + days_in, pregnant=a.pregnant_or_recent_birth)
    if level == "urgent":
        return FirstAidToday(aid.thermal, aid.positions, (), comfort_only=True)
    return aid


def first_aid_today(onset_days: int, *, pregnant: bool = False) -> FirstAidToday:
    """Ice leads in the first 48 hours after onset, heat after; both are safe choices throughout.

    In pregnancy, positions flat on the back are left out and heat is kept off the belly (ACOG
    committee opinion 804: no lying flat on the back for long after the first trimester).
    """
    aid = catalogue.first_aid()
    heat_content = aid.heat
    positions = aid.position
    if pregnant:
        heat_content = aid.heat.model_copy(update={"how": [*aid.heat.how, aid.pregnancy.heat]})
        positions = [p for p in aid.position if p.in_pregnancy]
    cold_window = aid.cold.use_within_hours or 0
    early = onset_days * 24 < cold_window
    cold = ThermalPlan(
        "cold",
        aid.cold,
        suggested_times(aid.cold),
        "Cold is most useful in the first two days after a spasm starts."
        if early
        else "Cold can still dull the pain if you prefer it to heat.",
    )
    heat = ThermalPlan(
        "heat",
        heat_content,
        suggested_times(aid.heat),
        "Heat can relax tight muscles; use it instead of ice if it feels better."
        if early
        else "After the first two days, heat usually helps tight muscles relax.",
    )
    return FirstAidToday(
        thermal=(cold, heat) if early else (heat, cold),
        positions=tuple(positions),
        advice=tuple(aid.advice),
    )


@dataclass(frozen=True, slots=True)
class Application:
    kind: Kind
    started_at: datetime
    ended_at: datetime


@dataclass(frozen=True, slots=True)
class ThermalCheck:
    allowed: bool
    reason: str
    next_allowed_at: datetime | None
    max_minutes: int


def may_apply(kind: Kind, *, now: datetime, earlier: Sequence[Application]) -> ThermalCheck:
    """Whether ice or heat may start now, given today's earlier applications (same day, same place).

    The skin needs its recovery time after either kind, so the gap is counted from the end of the
    last application of ice or heat; the daily limit counts the kind being asked for. `now` is
    aware and in the person's own zone: "today" is the person's day, not the server's.
    """
    item = catalogue.first_aid().cold if kind == "cold" else catalogue.first_aid().heat
    recovery = timedelta(hours=item.skin_recovery_hours)
    last_end = max((a.ended_at for a in earlier), default=None)
    if last_end is not None and now < last_end + recovery:
        return ThermalCheck(
            allowed=False,
            reason=f"Your skin needs {item.skin_recovery_hours} hours to recover between "
            "applications of ice or heat.",
            next_allowed_at=last_end + recovery,
            max_minutes=item.max_minutes,
        )
    day = now.date()
    same_day = [
        a for a in earlier if a.kind == kind and a.started_at.astimezone(now.tzinfo).date() == day
    ]
    if len(same_day) >= item.max_per_day:
        tomorrow = datetime.combine(now.date() + timedelta(days=1), time(0), tzinfo=now.tzinfo)
        return ThermalCheck(
            allowed=False,
            reason=f"{item.name} has been used {len(same_day)} times today, the most advised.",
            next_allowed_at=tomorrow,
            max_minutes=item.max_minutes,
        )
    return ThermalCheck(
        allowed=True,
        reason=f"Apply for {item.min_minutes} to {item.max_minutes} minutes, never longer.",
        next_allowed_at=None,
        max_minutes=item.max_minutes,
    )
