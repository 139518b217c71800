"""Progression: carry a plan forward through the person's check-ins (the pain-monitoring model).

The check-ins are replayed day by day, so the result at any date depends only on what was known
then. The rules, in order:
- a new warning sign stops every exercise and re-triages at once;
- the pain limit during exercise is 5/10 or that day's resting pain plus 1, whichever is higher
  (a person who starts the day at 6/10 is not "over the limit" before they move);
- regress one step when pain during exercise went above the limit, pain had not settled by the
  next morning, or pain rose week on week;
- hold when pain during exercise was 4/10 up to the limit;
- progress only after at least 2 of the last 3 sessions at the current dose had pain during exercise
  of at most 3/10 that settled by the next morning.
Graded-activity plans (STarT Back high) follow one rule instead of the pain limit: do the planned
amount and stop there, whatever the pain does; the amount rises after sessions that settled by the
next morning, and falls when pain has not settled or rose week on week.
Walking is never paused for pain: at its gentlest it stays, in the shortest bouts, and says so.
Moving up to phase 3 or 4 also needs resting pain at 4/10 or less and meaningfully lower than at
the start, and stops for good once "not improving after two weeks" has fired.
After any change the evidence starts again, so one good run never moves a dose twice.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from functools import lru_cache
from typing import Any, NamedTuple

from backcare.domain import catalogue
from backcare.domain.catalogue import Dose
from backcare.domain.causes import contributing_causes
from backcare.domain.changes import Change, ClinicianChange
from backcare.domain.checkin import CheckInLike, one_per_day
from backcare.domain.dosing import Ladder, ladder
from backcare.domain.improvement import improving, pain_improved
from backcare.domain.plan import PlanState, Prescription, leg_symptoms, phase_cap, prescribe
from backcare.domain.progress_summary import Trend, Week, trend, weekly
from backcare.domain.triage import Level, Triage, triage
from backcare.domain.wording import sentence

ENGINE_VERSION = "progress-2026.12.1"
PAIN_LIMIT = 5  # pain-monitoring model: pain during exercise may reach 5/10 ...
ABOVE_RESTING = 1  # ... or the day's resting pain plus 1, if that is higher
HOLD_FROM = 4
GOOD_AT_MOST = 3
PHASE_3_RESTING_PAIN = 4  # product threshold: resting pain to move up to phase 3 or 4
RESTING_DAYS = 3  # resting pain for a phase move: the mean of the last three check-ins
GOOD_SESSIONS = 2
WINDOW = 3
WEEKLY_RISE = 1.0  # product threshold: a rise of a whole point in weekly mean pain
MIN_DAYS_PER_WEEK = 3  # a weekly mean needs at least this many check-ins to be trusted
NO_IMPROVEMENT_DAYS = 14
WEEK = timedelta(days=7)


_LAST_THREE = (1 << WINDOW) - 1
_GOOD_IN = tuple(bin(bits).count("1") for bits in range(1 << WINDOW))


def pain_limit(resting: int) -> int:
    """The most pain allowed during exercise on a day whose resting pain is `resting`."""
    return max(PAIN_LIMIT, resting + ABOVE_RESTING)


class Action(StrEnum):
    PROGRESS = "progress"
    HOLD = "hold"
    REGRESS = "regress"
    STOP = "stop"
    CHANGE = "change"  # made by the physiotherapist


class Decision(NamedTuple):
    """What happened to one exercise, and why (a NamedTuple: immutable and cheap to make).

    `code` is why (a cause: `pain_during_above_limit`), `outcome` what it did (`back_to`), and
    `values` the numbers behind both; `reason` is the English for them (domain/wording.py).
    """

    on: date | None
    exercise: str
    action: Action
    dose: Dose | None = None
    swapped_to: str | None = None
    code: str = ""
    outcome: str = ""
    values: Mapping[str, Any] | None = None

    @property
    def reason(self) -> str:
        """Made when it is read, not when the decision is: a replay makes about a hundred
        decisions and shows a handful, and the sentences were about 8% of its time. The cause's
        and the outcome's values share one mapping (their keys never overlap), so the sentence
        is the one made from them apart."""
        values = self.values or {}
        return sentence(self.code, values, self.outcome, values)


# Python 3.11 looks an enum member up through its class on every `Action.HOLD` (about 70 ns;
# some 400 a replay, about 6% of its time): the replay's rules use these names instead.
_HOLD, _PROGRESS, _REGRESS = Action.HOLD, Action.PROGRESS, Action.REGRESS

Cause = tuple[str, dict[str, Any]]
# A decision as the replay records it: day, exercise, action, cause, outcome, dose, swapped to.
# A replay records every progress and regress for the history but shows a handful, so the
# `Decision` (and its sentence) is made only when it is read (`Progression.history`).
Record = tuple[date | None, str, Action, Cause, Cause, Dose | None, str | None]


# The check-ins before a snapshot that a resumed replay needs: the rules look back at most a
# fortnight (the weekly comparison, at one check-in a day) and three check-ins (resting pain).
SNAPSHOT_TAIL = 14


@dataclass(frozen=True, slots=True)
class Snapshot:
    """The engine's state after the check-in of `on`, so a later check-in can carry on from it
    instead of replaying from the plan's first day. `first` is the first check-in's day. A
    snapshot is only good while nothing on or before `on` changes: a late or edited check-in,
    or a clinician's change dated before it, means carrying on from an earlier one."""

    on: date
    first: date
    data: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class Progression:
    status: str
    phase: int | None
    decisions: tuple[Decision, ...]
    log: tuple[Record, ...]  # the history as recorded; `history` makes its decisions
    weeks: tuple[Week, ...]
    trend: Trend
    state: PlanState
    retriage: Triage | None = None
    advice: catalogue.Message | None = None
    version: str = ENGINE_VERSION
    snapshot: Snapshot | None = None  # after the last check-in (None once stopped)

    @property
    def history(self) -> tuple[Decision, ...]:
        """Every decision made, oldest first: made afresh on each read, as only a full result
        (the CLI, the API's history) reads it and a check-in's step does not."""
        return tuple(_decision(*r) for r in self.log)


@dataclass(slots=True, eq=False)
class _Track:
    """One exercise in the programme: where it is on its ladder and the evidence at that dose."""

    exercise: str
    ladder: Ladder
    rung: int
    why: str
    start: Dose  # the dose its ladder was built from
    generation: int = 0
    window: int = 0  # the last three settled sessions at this dose, as bits (1 = good)
    settled: int = 0
    complete: bool = False  # at full dose with nowhere to move on
    active: bool = True

    @property
    def dose(self) -> Dose:
        return self.ladder.rungs[self.rung]


@dataclass(slots=True, eq=False)
class _Session:
    on: date
    pain_during: int | None
    baseline: int
    entries: list[tuple[_Track, int]]  # each exercise done, with its dose generation then
    limit: int = PAIN_LIMIT
    settled: bool | None = None
    good: bool = False


@dataclass(slots=True)
class _Replay:
    state: PlanState
    tracks: dict[str, _Track] = field(default_factory=dict)
    sessions: list[_Session] = field(default_factory=list)
    history: list[Record] = field(default_factory=list)
    latest: dict[str, Record] = field(default_factory=dict)
    phase: int | None = None
    phase_started_on: date = date.min
    next_weekly: date = date.max
    last_regress: date = date.min
    next_review: date = date.max
    max_phase: int = 4
    ins: Sequence[CheckInLike] = ()
    built_up: set[str] = field(default_factory=set)
    moved_past: set[str] = field(default_factory=set)
    stalled_on: date | None = None  # the day "not improving after two weeks" first fired
    window_from: int = 0  # the first check-in of the last seven days
    window_pain: int = 0
    window_episodes: int = 0
    changes: Sequence[ClinicianChange] = ()
    next_change: int = 0
    locked: set[str] = field(default_factory=set)  # exercise ids, or "*" for all of them
    taken: Snapshot | None = None
    first: date | None = None  # the first check-in's day, when `ins` starts later (a snapshot's)

    def __post_init__(self) -> None:
        self.tracks = {
            p.exercise: _track(p.exercise, p.dose, p.why) for p in self.state.prescriptions
        }
        self.phase = self.state.phase
        self.phase_started_on = self.state.phase_started_on
        self.next_weekly = self.state.created_on + WEEK
        self.max_phase = phase_cap(self.state.assessment)
        self._schedule_review()

    def _schedule_review(self) -> None:
        """The first day the programme may move to the next phase."""
        if self.phase is None or self.phase >= self.max_phase:
            self.next_review = date.max
            return
        days = catalogue.phases()[self.phase].review_after_days
        self.next_review = self.phase_started_on + timedelta(days=days)

    def run(self, ins: Sequence[CheckInLike], *, until: date | None = None, start: int = 0) -> None:
        """Replay the check-ins, oldest first, one a day, with the clinician's changes in their
        place; then the changes made after the last check-in, up to `until`. Check-ins before
        `start` were replayed already (a snapshot): they are only the rules' look back."""
        self.ins = ins
        tracks_get = self.tracks.get
        sessions = self.sessions
        for index in range(start, len(ins)):
            c = ins[index]
            on = c.date
            if self.next_change < len(self.changes):  # most days have no change to apply
                self._apply_changes(before=on)
            if c.pain_next_morning is not None and sessions:
                last = sessions[-1]
                if last.settled is None and last.on < on:
                    self._morning(c.pain_next_morning, last, on)
            if c.exercises_done:
                tracks_get = self.tracks.get  # the programme may have changed this morning
                done = [
                    (t, t.generation)
                    for d in c.exercises_done
                    if (t := tracks_get(d.exercise)) is not None
                ]
                if done:
                    self._session(c, done)
            if on >= self.next_weekly:
                self._weekly(index)
            self._watch_improvement(index)
            if on >= self.next_review and 2 * len(self.built_up) >= len(self.tracks):
                self._maybe_next_phase(on, index)
        if until is not None:
            self.snapshot_now()
            self._apply_changes(before=until + timedelta(days=1))

    def snapshot_now(self) -> None:
        """Keep the state after the last check-in, before any change made since."""
        if self.ins:
            self.taken = self.to_snapshot(self.ins[-1].date)

    def to_snapshot(self, on: date) -> Snapshot:
        """Everything the replay needs to carry on after `on`, as JSON-able data."""
        registry: dict[int, int] = {}
        tracks: list[dict[str, Any]] = []

        def ref(t: _Track) -> int:
            if id(t) not in registry:
                registry[id(t)] = len(tracks)
                tracks.append(
                    {
                        "exercise": t.exercise, "start": _dose_json(t.start), "rung": t.rung,
                        "why": t.why, "generation": t.generation, "window": t.window,
                        "settled": t.settled, "complete": t.complete, "active": t.active,
                    }
                )  # fmt: skip
            return registry[id(t)]

        active = [ref(t) for t in self.tracks.values()]
        sessions = [
            {
                "on": s.on.isoformat(), "pain_during": s.pain_during, "baseline": s.baseline,
                "entries": [[ref(t), g] for t, g in s.entries], "limit": s.limit,
                "settled": s.settled, "good": s.good,
            }
            for s in self.sessions[-(WINDOW + 1) :]
        ]  # fmt: skip
        latest = {e: _latest_json(d) for e, d in self.latest.items()}
        window_from = self.ins[self.window_from].date if self.ins[self.window_from :] else on
        return Snapshot(
            on=on,
            first=self.first or (self.ins[0].date if self.ins else on),
            data={
                "version": ENGINE_VERSION, "tracks": tracks, "active": active,
                "sessions": sessions, "latest": latest, "phase": self.phase,
                "phase_started_on": self.phase_started_on.isoformat(),
                "next_weekly": _day_json(self.next_weekly),
                "last_regress": _day_json(self.last_regress),
                "next_review": _day_json(self.next_review),
                "built_up": sorted(self.built_up), "moved_past": sorted(self.moved_past),
                "stalled_on": _day_json(self.stalled_on) if self.stalled_on else None,
                "window_from": window_from.isoformat(),
                "window_pain": self.window_pain, "window_episodes": self.window_episodes,
                "locked": sorted(self.locked),
            },
        )  # fmt: skip

    def restore(self, snap: Snapshot, tail: Sequence[CheckInLike]) -> None:
        """Carry on from `snap`; `tail` is the last check-ins up to `snap.on` (SNAPSHOT_TAIL)."""
        d = snap.data
        self.first = snap.first
        made = []
        for raw in d["tracks"]:
            t = _track(raw["exercise"], _dose_from_json(raw["start"]), raw["why"])
            t.rung, t.generation, t.window = raw["rung"], raw["generation"], raw["window"]
            t.settled, t.complete, t.active = raw["settled"], raw["complete"], raw["active"]
            made.append(t)
        self.tracks = {made[i].exercise: made[i] for i in d["active"]}
        self.sessions = [
            _Session(
                date.fromisoformat(s["on"]), s["pain_during"], s["baseline"],
                [(made[i], g) for i, g in s["entries"]], s["limit"], s["settled"], s["good"],
            )
            for s in d["sessions"]
        ]  # fmt: skip
        self.latest = {e: _latest_from_json(e, raw) for e, raw in d["latest"].items()}
        self.phase = d["phase"]
        self.phase_started_on = date.fromisoformat(d["phase_started_on"])
        self.next_weekly = _day_from_json(d["next_weekly"])
        self.last_regress = _day_from_json(d["last_regress"])
        self.next_review = _day_from_json(d["next_review"])
        self.built_up, self.moved_past = set(d["built_up"]), set(d["moved_past"])
        self.stalled_on = _day_from_json(d["stalled_on"]) if d["stalled_on"] else None
        start = date.fromisoformat(d["window_from"])
        self.window_from = next((i for i, c in enumerate(tail) if c.date >= start), len(tail))
        self.window_pain, self.window_episodes = d["window_pain"], d["window_episodes"]
        self.locked = set(d["locked"])
        self.next_change = sum(1 for c in self.changes if c.on < snap.on)

    def _locked(self, t: _Track) -> bool:
        return "*" in self.locked or t.exercise in self.locked

    def _apply_changes(self, *, before: date) -> None:
        while self.next_change < len(self.changes) and self.changes[self.next_change].on < before:
            self._apply(self.changes[self.next_change])
            self.next_change += 1

    def _apply(self, c: ClinicianChange) -> None:
        """One change, as the physiotherapist made it. Content and safety were checked when it
        was made (`check_change`); a change that no longer fits (its exercise has since been
        swapped by progression, say) does nothing."""
        if self.phase is None:
            return  # no exercises at this level, whatever the change
        why: Cause = ("clinician", {"note": c.note, "change": c.kind.value})
        told = (
            f"Changed by your physiotherapist: {c.note}"
            if c.note
            else ("Changed by your physiotherapist.")
        )
        t = self.tracks.get(c.exercise)
        if c.kind is Change.ADD and c.exercise not in self.tracks:
            dose = c.dose or catalogue.exercises()[c.exercise].dose
            new = _track(c.exercise, dose, told)
            self.tracks[c.exercise] = new
            self._decide(
                c.exercise, c.on, Action.CHANGE, why, new.dose, outcome=("added", self._dose(new))
            )
        elif c.kind is Change.REMOVE and t is not None:
            t.active = False
            del self.tracks[c.exercise]
            self._decide(c.exercise, c.on, Action.CHANGE, why, outcome=("removed", {}))
        elif c.kind is Change.SWAP and t is not None and c.to and c.to not in self.tracks:
            entry = catalogue.exercises()[c.to]
            new = _track(c.to, c.dose or entry.dose, told)
            self._replace(t, new)
            values = {"to": entry.name, "dose": new.ladder.texts[new.rung]}
            self._decide(
                c.exercise, c.on, Action.CHANGE, why, new.dose, swapped_to=c.to,
                outcome=("swapped", values),
            )  # fmt: skip
        elif c.kind is Change.DOSE and t is not None and c.dose is not None:
            new = _track(c.exercise, c.dose, told)
            self._replace(t, new)
            self._decide(
                c.exercise,
                c.on,
                Action.CHANGE,
                why,
                new.dose,
                outcome=("dose_set", self._dose(new)),
            )
        elif c.kind is Change.LOCK:
            self.locked.add(c.exercise)
            if t is not None:
                t.why = told
            self._decide(c.exercise, c.on, _HOLD, why, outcome=("locked_here", {}))
        elif c.kind is Change.UNLOCK:
            self.locked.discard(c.exercise)
            self._decide(c.exercise, c.on, _HOLD, why, outcome=("unlocked", {}))
        elif c.kind is Change.NOTE and t is not None:
            t.why = told

    def _watch_improvement(self, index: int) -> None:
        """Whether, two weeks in, the last seven days are meaningfully better than the start:
        the same rule and window as the progress summary (progress_summary.trend)."""
        c = self.ins[index]
        self.window_pain += c.pain_now
        self.window_episodes += c.spasm_episodes
        cutoff = c.date - WEEK
        while self.ins[self.window_from].date <= cutoff:
            old = self.ins[self.window_from]
            self.window_pain -= old.pain_now
            self.window_episodes -= old.spasm_episodes
            self.window_from += 1
        if self.stalled_on is not None:
            return
        if (c.date - self.state.created_on).days < NO_IMPROVEMENT_DAYS:
            return
        days = index + 1 - self.window_from
        a = self.state.assessment
        if not _week_improving(
            a.pain_now, a.spasm_episodes_per_day, self.window_pain, self.window_episodes, days
        ):
            self.stalled_on = c.date

    def _morning(self, morning: int, last: _Session, on: date) -> None:
        settled = morning <= last.baseline
        # A graded plan's session is good when it was done as planned and settled overnight.
        good = settled and (
            self.state.graded or (last.pain_during is not None and last.pain_during <= GOOD_AT_MOST)
        )
        last.settled, last.good = settled, good
        ready = []
        for t, generation in last.entries:
            if t.generation == generation and t.active:
                t.window = window = ((t.window << 1) | good) & _LAST_THREE
                t.settled += 1
                if good and not t.complete and _GOOD_IN[window] >= GOOD_SESSIONS:
                    ready.append(t)
        if not settled:
            why: Cause = ("not_settled", {"morning": morning, "baseline": last.baseline})
            for t, _ in last.entries:
                self._regress(t, on, why)
            return
        for t in ready:
            if t.active:  # an earlier exercise in this loop may have taken its place
                self._progress(t, on)

    def _session(self, c: CheckInLike, done: list[tuple[_Track, int]]) -> None:
        """`done`: each exercise done, with its dose generation (the session's entries)."""
        pain = c.pain_during_exercise
        limit = pain_limit(c.pain_now)
        self.sessions.append(_Session(c.date, pain, c.pain_now, done, limit))
        if pain is None or self.state.graded:
            return  # a graded plan stops at the planned amount, whatever the pain does
        if pain > limit:
            why: Cause = ("pain_during_above_limit", {"pain": pain, "limit": limit})
            for t, _ in done:
                self._regress(t, c.date, why)
        elif pain >= HOLD_FROM:
            within: Cause = ("pain_during_within_limit", {"pain": pain, "limit": limit})
            for t, _ in done:
                self._decide(t.exercise, c.date, _HOLD, within)

    def _progress(self, t: _Track, on: date) -> None:
        good = _GOOD_IN[t.window]
        seen = min(t.settled, WINDOW)
        why: Cause = ("good_sessions", {"good": good, "seen": seen, "graded": self.state.graded})
        if self.locked and self._locked(t):
            self._decide(t.exercise, on, _HOLD, ("locked", {}))
            return
        if t.rung + 1 < len(t.ladder.rungs):
            t.rung += 1
            _fresh(t)
            self._decide(t.exercise, on, _PROGRESS, why, t.dose, outcome=("now", self._dose(t)))
            return
        nxt = catalogue.exercises()[t.exercise].progression
        if nxt is None or nxt in self.tracks or not self._fits(nxt):
            self._decide(t.exercise, on, _HOLD, why, outcome=("full_dose", {}))
            t.complete = True
            return
        self._swap(t, nxt, on, _PROGRESS, why, "move_on")

    def _regress(self, t: _Track, on: date, why: Cause) -> None:
        if not t.active:
            return
        self.last_regress = on
        floor = t.ladder.floor
        if not catalogue.exercises()[t.exercise].pause_for_pain and t.rung <= floor:
            self._shortest(t, on, why)
            return
        if t.rung > floor:
            t.rung -= 1
            _fresh(t)
            back = ("back_to", self._dose(t))
            self._decide(t.exercise, on, _REGRESS, why, t.dose, outcome=back)
            return
        easier = catalogue.exercises()[t.exercise].regression
        if easier is not None and easier not in self.tracks:
            self._swap(t, easier, on, _REGRESS, why, "swap_easier")
            return
        if easier is not None:
            t.active = False
            del self.tracks[t.exercise]
            keep = ("pause_keep", {"to": catalogue.exercises()[easier].name})
            self._decide(t.exercise, on, _REGRESS, why, outcome=keep)
            return
        if t.rung == floor and floor > 0:
            t.rung = floor - 1
            _fresh(t)
            ease = ("ease_off", self._dose(t))
            self._decide(t.exercise, on, _REGRESS, why, t.dose, outcome=ease)
            return
        self._decide(t.exercise, on, _HOLD, why, outcome=("gentlest", {}))

    def _shortest(self, t: _Track, on: date, why: Cause) -> None:
        """Walking is never paused for pain: it drops to its shortest bout, and stays there."""
        if t.rung > 0:
            t.rung = 0
            _fresh(t)
            short = ("shortest", self._dose(t))
            self._decide(t.exercise, on, _REGRESS, why, t.dose, outcome=short)
            return
        stay = ("stay_shortest", {"dose": t.ladder.texts[0]})
        self._decide(t.exercise, on, _HOLD, why, outcome=stay)

    def _swap(
        self, old: _Track, new_id: str, on: date, action: Action, why: Cause, outcome: str
    ) -> None:
        entry = catalogue.exercises()[new_id]
        name = catalogue.exercises()[old.exercise].name
        new = _track(new_id, entry.dose, f"Took over from {name}.")
        self._replace(old, new)
        values = {"to": entry.name, "dose": new.ladder.texts[new.rung]}
        self._decide(
            old.exercise, on, action, why, new.dose, swapped_to=new_id, outcome=(outcome, values)
        )

    def _replace(self, old: _Track, new: _Track) -> None:
        """`new` takes `old`'s place in the programme's order."""
        self.tracks = {
            (new.exercise if e == old.exercise else e): (new if e == old.exercise else t)
            for e, t in self.tracks.items()
        }
        old.active = False

    @staticmethod
    def _dose(t: _Track) -> dict[str, Any]:
        return {"dose": t.ladder.texts[t.rung]}

    def _decide(
        self,
        exercise: str,
        on: date,
        action: Action,
        why: Cause,
        dose: Dose | None = None,
        swapped_to: str | None = None,
        outcome: Cause = ("", {}),
    ) -> None:
        record = (on, exercise, action, why, outcome, dose, swapped_to)
        self.latest[exercise] = record
        if action is _HOLD:
            return  # holds are the common case and change nothing: not in the history
        if action is _PROGRESS:
            self.built_up.add(exercise)
            if swapped_to is not None:
                self.moved_past.add(exercise)
        self.history.append(record)

    def _weekly(self, index: int) -> None:
        c = self.ins[index]
        self.next_weekly = c.date + WEEK
        week_ago, fortnight_ago = c.date - WEEK, c.date - WEEK - WEEK
        this: list[int] = []
        before: list[int] = []
        for earlier_c in reversed(self.ins[max(0, index - 13) : index + 1]):
            if earlier_c.date > week_ago:
                this.append(earlier_c.pain_now)
            elif earlier_c.date > fortnight_ago:
                before.append(earlier_c.pain_now)
        if len(this) < MIN_DAYS_PER_WEEK or len(before) < MIN_DAYS_PER_WEEK:
            return
        now, earlier = sum(this) / len(this), sum(before) / len(before)
        if now - earlier >= WEEKLY_RISE:
            why: Cause = ("weekly_rise", {"before": earlier, "after": now})
            for t in list(self.tracks.values()):
                self._regress(t, c.date, why)

    def _maybe_next_phase(self, on: date, index: int) -> None:
        if "*" in self.locked:
            return  # the physiotherapist holds the whole programme where it is
        if on - self.last_regress < WEEK:
            return
        recent = [s for s in self.sessions[-WINDOW - 1 :] if s.settled is not None][-WINDOW:]
        if sum(s.good for s in recent) < GOOD_SESSIONS:
            return
        over = [s for s in recent if s.pain_during is not None and s.pain_during > s.limit]
        if over and not self.state.graded:
            return
        if self.phase is not None and self.phase + 1 >= 3 and not self._ready_for_strength(index):
            return
        self._advance(on)

    def _ready_for_strength(self, index: int) -> bool:
        """Phase 3 and 4 need resting pain of 4/10 or less that has fallen meaningfully since the
        start, and are closed for good once "not improving after two weeks" has fired."""
        if self.stalled_on is not None:
            return False
        last = self.ins[max(0, index + 1 - RESTING_DAYS) : index + 1]
        resting = sum(c.pain_now for c in last) / len(last)
        start = self.state.assessment.pain_now
        return resting <= PHASE_3_RESTING_PAIN and pain_improved(start, resting)

    def _advance(self, on: date) -> None:
        if self.phase is None:
            return
        self.phase += 1
        self.phase_started_on = on
        self._schedule_review()
        causes = contributing_causes(self.state.assessment)
        fresh = [
            p
            for p in prescribe(
                self.phase,
                causes,
                graded=self.state.graded,
                pregnant=self.state.assessment.pregnant_or_recent_birth,
                leg_symptoms=leg_symptoms(self.state.assessment),
            )
            if p.exercise not in self.moved_past
        ]
        self.built_up = set()
        kept = self.tracks
        for t in kept.values():
            t.active = False
        self.tracks = {}
        for p in fresh:
            t = kept.get(p.exercise) or _track(p.exercise, p.dose, p.why)
            t.why = p.why  # kept at its dose, but now part of the new phase, and says so
            t.active = True
            self.tracks[p.exercise] = t
        name = catalogue.phases()[self.phase].name
        ready: Cause = ("phase_ready", {"phase": self.phase, "name": name})
        self.history.append((on, "*", _PROGRESS, ready, ("", {}), None, None))

    def _fits(self, exercise: str) -> bool:
        return min(catalogue.exercises()[exercise].phases) <= self.max_phase

    def waiting(self, t: _Track) -> Decision:
        good = _GOOD_IN[t.window]
        why: Cause
        if self._locked(t):
            why = ("locked", {})
        elif t.complete:
            why = ("at_full_dose", {})
        elif not t.settled and not self._pending(t):
            why = ("no_sessions_yet", {})
        else:
            why = ("building_evidence", {"good": good, "needed": GOOD_SESSIONS})
        return _decision(None, t.exercise, _HOLD, why, dose=t.dose)

    def _pending(self, t: _Track) -> bool:
        """Whether the last session, not yet settled, included this exercise at this dose."""
        last = self.sessions[-1] if self.sessions else None
        return last is not None and any(x is t and g == t.generation for x, g in last.entries)

    def decision(self, exercise: str) -> Decision | None:
        latest = self.latest.get(exercise)
        return None if latest is None else _decision(*latest)

    def prescriptions(self) -> list[Prescription]:
        # Every dose here came from validated content or a validated plan, so skip re-validation.
        return [
            Prescription.model_construct(exercise=e, dose=t.dose, why=t.why)
            for e, t in self.tracks.items()
        ]


def _decision(
    on: date | None,
    exercise: str,
    action: Action,
    why: Cause,
    outcome: Cause = ("", {}),
    dose: Dose | None = None,
    swapped_to: str | None = None,
) -> Decision:
    code, values = why
    merged = {**values, **outcome[1]} if outcome[1] else values
    return Decision(on, exercise, action, dose, swapped_to, code, outcome[0], merged)


@lru_cache(maxsize=4096)
def _week_improving(
    start_pain: int, start_episodes: int, pain: int, episodes: int, days: int
) -> bool:
    """Whether `days` check-ins with these totals are meaningfully better than the start, with
    their means rounded as the progress summary rounds them. Kept: the same few small totals
    come round day after day, and the two round() calls were about 4% of a replay."""
    return improving(start_pain, round(pain / days, 1), start_episodes, round(episodes / days, 1))


def _track(exercise: str, dose: Dose, why: str) -> _Track:
    steps = ladder(dose, catalogue.exercises()[exercise].dose)
    return _Track(exercise=exercise, ladder=steps, rung=steps.entry, why=why, start=dose)


@lru_cache(maxsize=1024)
def _dumped(dose: Dose) -> Mapping[str, Any]:
    return dose.model_dump()


def _dose_json(dose: Dose) -> dict[str, Any]:
    """A dose as snapshot data: doses are frozen values and a programme's few recur in every
    snapshot, so each is dumped once (a copy each time, as the caller owns its data)."""
    return dict(_dumped(dose))


def _day_json(day: date) -> str:
    return day.isoformat()


def _day_from_json(text: str) -> date:
    return date.fromisoformat(text)


def _latest_json(d: Record) -> dict[str, Any]:
    on, exercise, action, cause, (outcome, outcome_values), dose, swapped_to = d
    full = action is not _HOLD  # "full": a decision of the history, not a hold
    return {
        "on": on.isoformat() if on else None, "action": action.value, "code": cause[0],
        "values": cause[1], "outcome": outcome, "outcome_values": outcome_values,
        "dose": _dose_json(dose) if dose else None, "swapped_to": swapped_to,
        "full": full, "exercise": exercise if full else "",
    }  # fmt: skip


def _dose_from_json(raw: dict[str, Any]) -> Dose:
    """A snapshot's dose, checked as any dose is; a programme's few doses recur in every
    snapshot, and doses are frozen values, so each is checked once per process."""
    return _dose_of(tuple(raw.items()))


@lru_cache(maxsize=1024)
def _dose_of(items: tuple[tuple[str, Any], ...]) -> Dose:
    return Dose.model_validate(dict(items))


def _latest_from_json(exercise: str, raw: dict[str, Any]) -> Record:
    on = date.fromisoformat(raw["on"]) if raw["on"] else None
    dose = _dose_from_json(raw["dose"]) if raw["dose"] else None
    why: Cause = (raw["code"], raw["values"])
    outcome: Cause = (raw["outcome"], raw["outcome_values"])
    if raw["full"]:
        exercise = raw["exercise"]
    elif on is None:
        raise ValueError("a snapshot's latest decision has no day")
    return (on, exercise, Action(raw["action"]), why, outcome, dose, raw["swapped_to"])


def _fresh(t: _Track) -> None:
    """A new dose: the evidence for it starts again."""
    t.generation += 1
    t.window = t.settled = 0
    t.complete = False


def progress(
    state: PlanState,
    check_ins: Sequence[CheckInLike],
    *,
    today: date,
    changes: Sequence[ClinicianChange] = (),
    resume: Snapshot | None = None,
) -> Progression:
    """Progression through the check-ins and the clinician's changes, as of `today`.

    With `resume`, a snapshot of an earlier replay of the same plan, the replay carries on from
    it: `check_ins` need only hold the last `SNAPSHOT_TAIL` up to `resume.on` (the rules' look
    back) and everything after it, and the result is the same as replaying from the plan's first day
    (tests/domain/test_snapshots.py). The caller must not resume from a snapshot taken before a
    check-in on or before its day changed. Without a full history, `weeks` is empty and
    `history` holds only the decisions made after the snapshot.
    """
    ins = [c for c in one_per_day(check_ins) if state.created_on <= c.date <= today]
    if resume is not None and not usable(resume, ins):
        resume = None
    replay = _Replay(state, changes=sorted(changes, key=lambda c: c.on))
    start = 0
    if resume is not None:
        start = next((i for i, c in enumerate(ins) if c.date > resume.on), len(ins))
        ins = ins[max(0, start - SNAPSHOT_TAIL) :]
        start = min(start, SNAPSHOT_TAIL)
        replay.restore(resume, ins[:start])
        weeks: tuple[Week, ...] = ()
    else:
        weeks = weekly(ins, start=state.created_on, today=today)
    # The trend reads the last seven days: at one check-in a day, among the last seven of `ins`.
    first = resume.first if resume else (ins[0].date if ins else None)
    summary = trend(state.assessment, ins[-WEEK.days :], today=today, first=first)
    stop_at = next((i for i, c in enumerate(ins) if c.new_warning_signs), None)
    replay.run(ins[:stop_at], until=None if stop_at is not None else today, start=start)
    if stop_at is not None:
        return _stopped(state, replay, ins, ins[stop_at], weeks, summary)
    last_day = ins[-1].date if ins else None
    decisions = tuple(
        d if (d := replay.decision(e)) is not None and d.on == last_day else replay.waiting(t)
        for e, t in replay.tracks.items()
    )
    gone = tuple(
        d
        for e in replay.latest
        if e not in replay.tracks and (d := replay.decision(e)) is not None and d.on == last_day
    )
    level = state.level
    advice = None
    now_stalled = (today - state.created_on).days >= NO_IMPROVEMENT_DAYS and not summary.improving
    if replay.stalled_on is not None or now_stalled:
        advice = catalogue.messages()["no_improvement"]
        if level == Level.SELF_CARE.value:
            level = Level.SEE_DOCTOR.value
    new_state = state.model_copy(
        update={
            "phase": replay.phase,
            "phase_started_on": replay.phase_started_on,
            "level": level,
            "prescriptions": replay.prescriptions(),
        }
    )
    return Progression(
        status="continue",
        phase=replay.phase,
        decisions=gone + decisions,
        log=tuple(replay.history),
        weeks=weeks,
        trend=summary,
        state=new_state,
        advice=advice,
        snapshot=replay.taken,
    )


def usable(snap: Snapshot, ins: Sequence[CheckInLike]) -> bool:
    """Whether a replay may carry on from `snap`: made by this engine, and its day among the
    check-ins (a snapshot is taken after a check-in, so a day with none means it was removed)."""
    if snap.data.get("version") != ENGINE_VERSION:
        return False
    return any(c.date == snap.on for c in ins)


def _stopped(
    state: PlanState,
    replay: _Replay,
    ins: Sequence[CheckInLike],
    sign_day: CheckInLike,
    weeks: tuple[Week, ...],
    summary: Trend,
) -> Progression:
    signs = {s for c in ins if c.date >= sign_day.date for s in c.new_warning_signs}
    days = (sign_day.date - state.created_on).days
    assessment = state.assessment.model_copy(
        update={
            **dict.fromkeys(signs, True),
            "pain_now": ins[-1].pain_now,
            "onset_days": state.assessment.onset_days + days,
        }
    )
    again = triage(assessment)
    listed = ", ".join(sorted(s.replace("_", " ") for s in signs))
    why: Cause = (
        "new_warning_sign",
        {
            "on": sign_day.date.isoformat(),
            "signs": listed,
            "sign_codes": sorted(signs),
            "level": again.level.value,
            "advice": again.title.lower(),
        },
    )
    stops: list[Record] = [
        (sign_day.date, e, Action.STOP, why, ("", {}), None, None) for e in replay.tracks
    ]
    new_state = state.model_copy(
        update={
            "phase": None,
            "level": again.level.value,
            "prescriptions": [],
            "assessment": assessment,
        }
    )
    return Progression(
        status="stop",
        phase=None,
        decisions=tuple(_decision(*r) for r in stops),
        log=(*replay.history, *stops),
        weeks=weeks,
        trend=summary,
        state=new_state,
        retriage=again,
        advice=catalogue.messages()["stop"],
    )
