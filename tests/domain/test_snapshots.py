"""Progression from snapshots gives what a replay from the plan's first day gives.

A random history is played the way the web app plays it: check-ins mostly on the day, some late
(a forgotten day filled in) and some edited (a day checked in twice), and a physiotherapist's
changes in between. After every event the result of a full replay is compared with the result
of carrying on from the newest snapshot still good for it, given only the check-ins that
carrying on needs. A snapshot stops being good once a check-in on or before its day changes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backcare.domain.changes import Change, ClinicianChange
from backcare.domain.checkin import CheckIn
from backcare.domain.plan import PlanState
from backcare.domain.progress import SNAPSHOT_TAIL, Progression, Snapshot, progress
from tests.domain.test_progress import START, day, phase_2

EVERYTHING = [p.exercise for p in phase_2().prescriptions]


@st.composite
def check_ins(draw: st.DrawFn, n: int) -> CheckIn:
    pain = draw(st.integers(0, 9))
    exercised = draw(st.booleans())
    signs = ["fever"] if draw(st.integers(0, 60)) == 0 else []
    return day(
        n,
        pain=pain,
        during=draw(st.integers(0, 9)) if exercised else None,
        morning=draw(st.one_of(st.none(), st.integers(0, 9))),
        done=draw(st.lists(st.sampled_from(EVERYTHING), min_size=1, max_size=3, unique=True)),
        episodes=draw(st.integers(0, 6)),
        signs=signs,
    )


CHANGES = [
    (Change.LOCK, "*"),
    (Change.UNLOCK, "*"),
    (Change.LOCK, "bridge"),
    (Change.UNLOCK, "bridge"),
    (Change.NOTE, "bridge"),
]


@st.composite
def histories(draw: st.DrawFn) -> list[tuple[str, int, Any]]:
    """Events: ("in", day, check-in) or ("change", day, change), in the order they happen."""
    events: list[tuple[str, int, Any]] = []
    today = 0
    for _ in range(draw(st.integers(1, 45))):
        today += draw(st.sampled_from([0, 1, 1, 1, 1, 2, 4]))
        kind = draw(st.sampled_from(["in"] * 8 + ["late"] + ["change"]))
        if kind == "change":
            what, exercise = draw(st.sampled_from(CHANGES))
            on = START + timedelta(days=today)
            events.append(("change", today, ClinicianChange(on=on, kind=what, exercise=exercise)))
            continue
        n = today if kind == "in" else max(0, today - draw(st.integers(1, 10)))
        events.append(("in", today, draw(check_ins(n))))
    return events


@dataclass
class Plan:
    """What the web app keeps: the check-ins, the changes, and the snapshots the steps hold."""

    state: PlanState
    stored: dict[date, CheckIn] = field(default_factory=dict)
    changes: list[ClinicianChange] = field(default_factory=list)
    snapshots: list[Snapshot] = field(default_factory=list)  # oldest first

    def ins(self) -> list[CheckIn]:
        return [self.stored[d] for d in sorted(self.stored)]

    def save(self, c: CheckIn) -> None:
        self.stored[c.date] = c
        self.snapshots = [s for s in self.snapshots if s.on < c.date]

    def resumed(self, today: date) -> Progression:
        snap = self.snapshots[-1] if self.snapshots else None
        ins = self.ins()
        if snap is not None:  # only what carrying on needs: the tail and what came after
            before = [c for c in ins if c.date <= snap.on][-SNAPSHOT_TAIL:]
            ins = before + [c for c in ins if c.date > snap.on]
        result = progress(self.state, ins, today=today, changes=self.changes, resume=snap)
        if result.snapshot is not None:
            self.snapshots.append(result.snapshot)
        return result


def same(full: Progression, resumed: Progression) -> None:
    assert resumed.status == full.status
    assert resumed.phase == full.phase
    assert resumed.decisions == full.decisions
    assert resumed.state == full.state
    assert resumed.trend == full.trend
    assert resumed.advice == full.advice
    assert resumed.retriage == full.retriage
    assert (resumed.snapshot is None) == (full.snapshot is None)
    if full.snapshot is not None and resumed.snapshot is not None:
        assert resumed.snapshot.on == full.snapshot.on
        assert resumed.snapshot.first == full.snapshot.first
        assert resumed.snapshot.data == full.snapshot.data
    # The decisions made since the snapshot are the last of the full history.
    assert tuple(full.history[len(full.history) - len(resumed.history) :]) == resumed.history


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(histories())
def test_carrying_on_from_a_snapshot_is_the_same_as_replaying_everything(
    events: list[tuple[str, int, Any]],
) -> None:
    plan = Plan(phase_2())
    for kind, today_n, value in events:
        today = START + timedelta(days=today_n)
        if kind == "in":
            plan.save(value)
        else:
            plan.changes.append(value)
        full = progress(plan.state, plan.ins(), today=today, changes=plan.changes)
        same(full, plan.resumed(today))


def test_a_long_history_resumes_with_only_its_last_fortnight() -> None:
    """Day 120 costs what day 1 costs: the resumed replay reads 15 check-ins, not 121."""
    state = phase_2()
    ins = [day(n, pain=2, during=2, morning=2, done=EVERYTHING) for n in range(120)]
    before = progress(state, ins, today=ins[-1].date)
    assert before.snapshot is not None and before.snapshot.on == ins[-1].date
    new = day(120, pain=2, during=2, morning=2, done=EVERYTHING)
    tail = [*ins[-SNAPSHOT_TAIL:], new]
    resumed = progress(state, tail, today=new.date, resume=before.snapshot)
    full = progress(state, [*ins, new], today=new.date)
    same(full, resumed)


def test_a_snapshot_from_another_engine_version_or_a_removed_day_is_not_used() -> None:
    state = phase_2()
    ins = [day(n, pain=2, during=2, morning=2) for n in range(10)]
    snap = progress(state, ins, today=ins[-1].date).snapshot
    assert snap is not None
    old = Snapshot(snap.on, snap.first, {**snap.data, "version": "an older engine"})
    full = progress(state, ins, today=ins[-1].date)
    same(full, progress(state, ins, today=ins[-1].date, resume=old))
    gone = ins[:-1]  # the snapshot's own day is not there: replay from the start
    same(
        progress(state, gone, today=ins[-1].date),
        progress(state, gone, today=ins[-1].date, resume=snap),
    )
