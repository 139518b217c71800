"""Who needs attention: a physiotherapist's caseload sorted by the reason to look first.

Pure: the web layer gathers each patient's numbers (`Snapshot`) in a fixed handful of queries and
passes the day in. Every rule is a reviewed threshold in content/attention.toml with its sources;
a flag carries its code and values, and `words()` turns it into the one line the queue shows.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from functools import cache
from typing import Any

from backcare.domain import content
from backcare.domain.improvement import improving


class Tier(StrEnum):
    NOW = "now"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"

    @property
    def rank(self) -> int:
        return _RANK[self]


_RANK = {tier: n for n, tier in enumerate(Tier)}


@dataclass(frozen=True, slots=True)
class Rule:
    code: str
    tier: Tier
    text: str
    source_ids: tuple[str, ...]
    values: Mapping[str, Any]

    @property
    def source(self) -> str:
        return content.cite(self.source_ids)


@cache
def rules() -> Mapping[str, Rule]:
    out = {}
    for code, raw in content.read("attention")["rules"].items():
        values = {k: v for k, v in raw.items() if k not in ("tier", "text", "sources")}
        out[code] = Rule(code, Tier(raw["tier"]), raw["text"], tuple(raw["sources"]), values)
    return out


@dataclass(frozen=True, slots=True)
class Day:
    """One check-in, as much of it as the queue reads."""

    on: date
    pain: int
    spasms: int


@dataclass(frozen=True, slots=True)
class Snapshot:
    """What the queue knows about one patient today."""

    patient_id: int
    name: str
    days: Sequence[Day]  # the last 14 days of check-ins at least, oldest first
    last_check_in: date | None
    plan_started_on: date | None
    episode_started_on: date | None
    baseline_pain: int | None
    baseline_spasms: int | None
    stopped_on: date | None = None
    stop_signs: tuple[str, ...] = ()
    level: str | None = None
    recheck_due_on: date | None = None
    unanswered_since: datetime | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)
    today: date | None = None  # the patient's own date; else the queue's


@dataclass(frozen=True, slots=True)
class Flag:
    code: str
    tier: Tier
    values: Mapping[str, Any]
    since: date | None = None


@dataclass(frozen=True, slots=True)
class Entry:
    snapshot: Snapshot
    flags: tuple[Flag, ...]

    @property
    def tier(self) -> Tier | None:
        return min((f.tier for f in self.flags), key=lambda t: t.rank, default=None)

    @property
    def reason(self) -> str:
        """The first flag in one line; the queue shows the others on demand."""
        return words(self.flags[0]) if self.flags else "Nothing needs attention."


WEEK = timedelta(days=7)


def _mean(values: Iterable[float]) -> float | None:
    items = list(values)
    return sum(items) / len(items) if items else None


def flags(s: Snapshot, *, today: date, now: datetime) -> tuple[Flag, ...]:
    """Every rule that fires for this patient, most urgent first."""
    today = s.today or today
    r = rules()
    out: list[Flag] = []
    if s.stopped_on is not None or s.level in ("emergency", "urgent"):
        signs = ", ".join(sign.replace("_", " ") for sign in s.stop_signs)
        out.append(
            Flag("warning_sign", r["warning_sign"].tier, {"signs": signs, "level": s.level or ""},
                 s.stopped_on)
        )  # fmt: skip
    out += _pain(s, r)
    out += _spasms(s, r, today)
    out += _silence(s, r, today)
    if s.recheck_due_on is not None and today >= s.recheck_due_on:
        days = (today - s.recheck_due_on).days
        out.append(Flag("recheck_overdue", r["recheck_overdue"].tier, {"days": days},
                        s.recheck_due_on))  # fmt: skip
    if s.unanswered_since is not None:
        hours = (now - s.unanswered_since).total_seconds() / 3600
        rule = r["message_unanswered"]
        tier = rule.tier if hours >= rule.values["hours"] else Tier.MEDIUM
        out.append(Flag("message_unanswered", tier, {"hours": int(hours)},
                        s.unanswered_since.date()))  # fmt: skip
    out += _not_improving(s, r, today)
    return tuple(sorted(out, key=lambda f: f.tier.rank))


def _pain(s: Snapshot, r: Mapping[str, Rule]) -> list[Flag]:
    if not s.days:
        return []
    latest = s.days[-1]
    week_ago = latest.on - WEEK
    week_before = [d.pain for d in s.days[:-1] if week_ago <= d.on < latest.on]
    before = _mean(week_before)
    out = []
    if latest.pain >= r["pain_high"].values["at_least"]:
        out.append(Flag("pain_high", r["pain_high"].tier, {"pain": latest.pain}, latest.on))
    if before is not None:
        rise = latest.pain - before
        values = {"pain": latest.pain, "before": round(before, 1), "rise": round(rise, 1)}
        if rise >= r["pain_up"].values["rise"]:
            out.append(Flag("pain_up", r["pain_up"].tier, values, latest.on))
        elif (
            rise >= r["pain_up_a_little"].values["rise"]
            and latest.pain >= r["pain_up_a_little"].values["at_least"]
        ):
            out.append(Flag("pain_up_a_little", r["pain_up_a_little"].tier, values, latest.on))
    return out


def _week_means(s: Snapshot, today: date) -> tuple[float | None, float | None]:
    week_ago, fortnight_ago = today - WEEK, today - 2 * WEEK
    this: list[int] = []
    last: list[int] = []
    for d in s.days:
        if week_ago < d.on <= today:
            this.append(d.spasms)
        elif fortnight_ago < d.on <= week_ago:
            last.append(d.spasms)
    return _mean(this), _mean(last)


def _spasms(s: Snapshot, r: Mapping[str, Rule], today: date) -> list[Flag]:
    now_mean, before = _week_means(s, today)
    if now_mean is None or before is None:
        return []
    rule = r["spasms_rising"]
    rise = now_mean - before
    share = rise / before if before > 0 else (1.0 if rise > 0 else 0.0)
    if rise > 0 and (rise >= rule.values["rise_per_day"] or share >= rule.values["rise_share"]):
        values = {"now": round(now_mean, 1), "before": round(before, 1)}
        return [Flag("spasms_rising", rule.tier, values, today)]
    return []


def _silence(s: Snapshot, r: Mapping[str, Rule], today: date) -> list[Flag]:
    since = s.last_check_in or s.plan_started_on
    if since is None:
        return []
    days = (today - since).days
    for code in ("no_check_in_long", "no_check_in"):
        if days >= r[code].values["days"]:
            values = {"days": days, "ever": s.last_check_in is not None}
            return [Flag(code, r[code].tier, values, since)]
    return []


def _not_improving(s: Snapshot, r: Mapping[str, Rule], today: date) -> list[Flag]:
    start = s.episode_started_on
    if start is None or s.baseline_pain is None or s.baseline_spasms is None:
        return []
    if (today - start).days < 14:
        return []
    week_ago = today - WEEK
    recent = [d for d in s.days if week_ago < d.on <= today]
    pain, spasms = _mean(d.pain for d in recent), _mean(d.spasms for d in recent)
    if pain is None or spasms is None:
        return []
    if improving(s.baseline_pain, pain, s.baseline_spasms, spasms):
        return []
    values = {"pain": round(pain, 1), "baseline": s.baseline_pain, "days": (today - start).days}
    return [Flag("not_improving", r["not_improving"].tier, values, start)]


def queue(snapshots: Iterable[Snapshot], *, today: date, now: datetime) -> list[Entry]:
    """The caseload, most urgent first; among equals, the flag that has waited longest first;
    patients with nothing to look at last, by name."""
    entries = [Entry(s, flags(s, today=today, now=now)) for s in snapshots]

    def key(e: Entry) -> tuple[int, date, str]:
        tier = e.tier
        oldest = min((f.since for f in e.flags if f.since is not None), default=date.max)
        return (tier.rank if tier else len(Tier), oldest, e.snapshot.name.lower())

    return sorted(entries, key=key)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def words(f: Flag) -> str:
    """The one line the queue shows for a flag."""
    v = f.values
    match f.code:
        case "warning_sign":
            what = f"reported {v['signs']}" if v.get("signs") else f"now at {v['level']} level"
            return f"Warning sign: {what}. Programme stopped until re-checked."
        case "pain_high":
            return f"Pain {v['pain']}/10 on the latest check-in."
        case "pain_up" | "pain_up_a_little":
            return (
                f"Pain up {v['rise']:g} to {v['pain']}/10 (from {v['before']:g} the week before)."
            )
        case "spasms_rising":
            return (
                f"Spasm episodes rising: {v['now']:g} a day, from {v['before']:g} the week before."
            )
        case "no_check_in" | "no_check_in_long":
            if not v["ever"]:
                return f"No check-in yet, {_plural(v['days'], 'day')} into the plan."
            return f"No check-in for {_plural(v['days'], 'day')}."
        case "recheck_overdue":
            if v["days"] == 0:
                return "Two-weekly check due today."
            return f"Two-weekly check overdue by {_plural(v['days'], 'day')}."
        case "message_unanswered":
            return f"Message unanswered for {_plural(v['hours'], 'hour')}."
        case "not_improving":
            return (
                f"Not improving after {v['days']} days: pain {v['pain']:g}/10 "
                f"against {v['baseline']} at the start."
            )
    return f.code.replace("_", " ")
