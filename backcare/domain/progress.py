"""Progression: carry a plan forward through the person's check-ins (the pain-monitoring model).

The check-ins are replayed day by day, so the result at any date depends only on what was known
then. The rules, in order:
- a new warning sign stops every exercise and re-triages at once;
- regress one step when pain during exercise was above 5/10, pain had not settled by the next
  morning, or pain rose week on week;
- hold when pain during exercise was 4-5/10;
- progress only after at least 2 of the last 3 sessions at the current dose had pain during exercise
  of at most 3/10 that settled by the next morning (graded plans: at most 5/10, on a set schedule).
After any change the evidence starts again, so one good run never moves a dose twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from enum import StrEnum

from backcare.domain import catalogue
from backcare.domain.catalogue import Dose
from backcare.domain.causes import contributing_causes
from backcare.domain.checkin import CheckIn, one_per_day
from backcare.domain.dosing import describe, gentlest, step_down, step_up
from backcare.domain.plan import PlanState, Prescription, prescribe
from backcare.domain.progress_summary import Trend, Week, trend, weekly
from backcare.domain.triage import Level, Triage, triage

ENGINE_VERSION = "progress-2026.11.1"
REGRESS_ABOVE = 5
HOLD_FROM = 4
GOOD_AT_MOST = 3
GOOD_AT_MOST_GRADED = 5
GOOD_SESSIONS = 2
WINDOW = 3
WEEKLY_RISE = 1.0  # product threshold: a rise of a whole point in weekly mean pain
MIN_DAYS_PER_WEEK = 3  # a weekly mean needs at least this many check-ins to be trusted
NO_IMPROVEMENT_DAYS = 14


class Action(StrEnum):
    PROGRESS = "progress"
    HOLD = "hold"
    REGRESS = "regress"
    STOP = "stop"


@dataclass(frozen=True, slots=True)
class Decision:
    on: date | None
    exercise: str
    action: Action
    reason: str
    dose: Dose | None = None
    swapped_to: str | None = None


@dataclass(frozen=True, slots=True)
class Progression:
    status: str
    phase: int | None
    decisions: tuple[Decision, ...]
    history: tuple[Decision, ...]
    weeks: tuple[Week, ...]
    trend: Trend
    state: PlanState
    retriage: Triage | None = None
    advice: catalogue.Message | None = None
    version: str = ENGINE_VERSION


@dataclass(slots=True)
class _Session:
    on: date
    pain_during: int | None
    baseline: int
    exercises: frozenset[str]
    settled: bool | None = None

    def good(self, limit: int) -> bool:
        return self.pain_during is not None and self.pain_during <= limit and self.settled is True


@dataclass(slots=True)
class _Replay:
    state: PlanState
    doses: dict[str, Prescription] = field(default_factory=dict)
    evidence: dict[str, list[_Session]] = field(default_factory=dict)
    sessions: list[_Session] = field(default_factory=list)
    history: list[Decision] = field(default_factory=list)
    latest: dict[str, Decision] = field(default_factory=dict)
    phase: int | None = None
    phase_started_on: date = date.min
    last_weekly: date = date.min
    last_regress: date = date.min
    built_up: set[str] = field(default_factory=set)
    moved_past: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.doses = {p.exercise: p for p in self.state.prescriptions}
        self.evidence = {e: [] for e in self.doses}
        self.phase = self.state.phase
        self.phase_started_on = self.state.phase_started_on
        self.last_weekly = self.state.created_on

    @property
    def max_phase(self) -> int:
        return 1 if self.state.level == Level.SEE_DOCTOR.value else 4

    @property
    def good_limit(self) -> int:
        return GOOD_AT_MOST_GRADED if self.state.graded else GOOD_AT_MOST

    def check_in(self, c: CheckIn, history: Sequence[CheckIn]) -> None:
        if c.pain_next_morning is not None:
            self._morning(c)
        done = {d.exercise for d in c.exercises_done} & set(self.doses)
        if done:
            self._session(c, frozenset(done))
        self._weekly(c, history)
        self._maybe_next_phase(c.date)

    def _morning(self, c: CheckIn) -> None:
        last = next((s for s in reversed(self.sessions) if s.on < c.date), None)
        if last is None or last.settled is not None:
            return
        if c.pain_next_morning is None:
            return
        last.settled = c.pain_next_morning <= last.baseline
        if not last.settled:
            why = (
                f"pain had not settled by the next morning ({c.pain_next_morning}/10, "
                f"against {last.baseline}/10 the day before)"
            )
            for exercise in sorted(last.exercises & set(self.doses), key=self._order):
                self._regress(exercise, c.date, why)
            return
        for exercise in sorted(last.exercises & set(self.doses), key=self._order):
            self._consider_progress(exercise, c.date)

    def _session(self, c: CheckIn, done: frozenset[str]) -> None:
        session = _Session(c.date, c.pain_during_exercise, c.pain_now, done)
        self.sessions.append(session)
        for exercise in done:
            self.evidence[exercise].append(session)
        pain = c.pain_during_exercise
        for exercise in sorted(done, key=self._order):
            if pain is not None and pain > REGRESS_ABOVE:
                self._regress(exercise, c.date, f"pain during exercise was {pain}/10, above 5")
            elif pain is not None and pain >= HOLD_FROM and not self.state.graded:
                self._decide(
                    exercise,
                    c.date,
                    Action.HOLD,
                    f"pain during exercise was {pain}/10: acceptable, so stay at this dose",
                )

    def _consider_progress(self, exercise: str, on: date) -> None:
        recent = [s for s in self.evidence[exercise] if s.settled is not None][-WINDOW:]
        good = sum(s.good(self.good_limit) for s in recent)
        if good < GOOD_SESSIONS:
            return
        rule = "at most 5/10 on your graded schedule" if self.state.graded else "at most 3/10"
        why = f"{good} of your last {len(recent)} sessions had pain {rule} that settled by morning"
        self._progress(exercise, on, why)

    def _progress(self, exercise: str, on: date, why: str) -> None:
        current = self.doses[exercise]
        higher = step_up(current.dose)
        if higher is not None:
            self._set_dose(exercise, higher)
            self._decide(exercise, on, Action.PROGRESS, f"{why}: now {describe(higher)}", higher)
            return
        nxt = catalogue.exercises()[exercise].progression
        if nxt is None or nxt in self.doses or not self._fits(nxt):
            self._decide(exercise, on, Action.HOLD, f"{why}, and this is its full dose: keep it up")
            return
        self._swap(exercise, nxt, on, Action.PROGRESS, f"{why}, at full dose: move on to")

    def _regress(self, exercise: str, on: date, why: str) -> None:
        if exercise not in self.doses:
            return
        self.last_regress = on
        current = self.doses[exercise].dose
        lower = step_down(current, catalogue.exercises()[exercise].dose)
        if lower is not None:
            self._set_dose(exercise, lower)
            self._decide(exercise, on, Action.REGRESS, f"{why}: back to {describe(lower)}", lower)
            return
        easier = catalogue.exercises()[exercise].regression
        if easier is not None and easier not in self.doses:
            self._swap(exercise, easier, on, Action.REGRESS, f"{why}: swap to the easier")
            return
        if easier is not None:
            del self.doses[exercise]
            name = catalogue.exercises()[easier].name
            self._decide(exercise, on, Action.REGRESS, f"{why}: pause it and keep to {name}")
            return
        softer = gentlest(current)
        if softer is None:
            self._decide(
                exercise,
                on,
                Action.HOLD,
                f"{why}, and this is already the gentlest dose: if it keeps hurting, leave it "
                "out and tell your physiotherapist",
            )
            return
        self._set_dose(exercise, softer)
        self._decide(exercise, on, Action.REGRESS, f"{why}: ease off to {describe(softer)}", softer)

    def _swap(self, old: str, new: str, on: date, action: Action, why: str) -> None:
        entry = catalogue.exercises()[new]
        order = list(self.doses)
        position = order.index(old)
        replaced = Prescription(exercise=new, dose=entry.dose, why=f"Replaced {old}.")
        items = list(self.doses.values())
        items[position] = replaced
        self.doses = {p.exercise: p for p in items}
        self.evidence[new] = []
        text = f"{why} {entry.name} ({describe(entry.dose)})"
        self._decide(old, on, action, text, entry.dose, swapped_to=new)

    def _set_dose(self, exercise: str, dose: Dose) -> None:
        self.doses[exercise] = self.doses[exercise].model_copy(update={"dose": dose})
        self.evidence[exercise] = []

    def _decide(
        self,
        exercise: str,
        on: date,
        action: Action,
        reason: str,
        dose: Dose | None = None,
        swapped_to: str | None = None,
    ) -> None:
        decision = Decision(
            on, exercise, action, reason[0].upper() + reason[1:] + ".", dose, swapped_to
        )
        self.latest[exercise] = decision
        if action is Action.PROGRESS:
            self.built_up.add(exercise)
            if swapped_to is not None:
                self.moved_past.add(exercise)
        if action is not Action.HOLD:
            self.history.append(decision)

    def _weekly(self, c: CheckIn, history: Sequence[CheckIn]) -> None:
        if c.date < self.last_weekly + timedelta(days=7):
            return
        self.last_weekly = c.date
        this = [h.pain_now for h in history if c.date - timedelta(days=7) < h.date <= c.date]
        before = [
            h.pain_now
            for h in history
            if c.date - timedelta(days=14) < h.date <= c.date - timedelta(days=7)
        ]
        if len(this) < MIN_DAYS_PER_WEEK or len(before) < MIN_DAYS_PER_WEEK:
            return
        now, earlier = sum(this) / len(this), sum(before) / len(before)
        if now - earlier >= WEEKLY_RISE:
            why = f"your average pain rose from {earlier:.1f} to {now:.1f} out of 10 this week"
            for exercise in list(self.doses):
                self._regress(exercise, c.date, why)

    def _maybe_next_phase(self, on: date) -> None:
        if self.phase is None or self.phase >= self.max_phase:
            return
        if 2 * len(self.built_up) < len(self.doses):
            return
        template = catalogue.phases()[self.phase]
        if on < self.phase_started_on + timedelta(days=template.review_after_days):
            return
        if on - self.last_regress < timedelta(days=7):
            return
        recent = [s for s in self.sessions if s.settled is not None][-WINDOW:]
        if sum(s.good(self.good_limit) for s in recent) < GOOD_SESSIONS:
            return
        if any(s.pain_during is not None and s.pain_during > REGRESS_ABOVE for s in recent):
            return
        self._advance(on)

    def _advance(self, on: date) -> None:
        if self.phase is None:
            return
        self.phase += 1
        self.phase_started_on = on
        causes = contributing_causes(self.state.assessment)
        fresh = [
            p
            for p in prescribe(self.phase, causes, graded=self.state.graded)
            if p.exercise not in self.moved_past
        ]
        self.built_up = set()
        kept = {e: p for e, p in self.doses.items() if e in {f.exercise for f in fresh}}
        self.doses = {p.exercise: kept.get(p.exercise, p) for p in fresh}
        for exercise in self.doses:
            self.evidence.setdefault(exercise, [])
        name = catalogue.phases()[self.phase].name
        self.history.append(
            Decision(
                on,
                "*",
                Action.PROGRESS,
                f"You have built up most of your exercises, your recent sessions were "
                f"comfortable and settled by the next morning, and nothing has flared for a "
                f"week: your programme moves on to phase {self.phase} ({name}).",
            )
        )

    def _fits(self, exercise: str) -> bool:
        return min(catalogue.exercises()[exercise].phases) <= self.max_phase

    def _order(self, exercise: str) -> int:
        return list(self.doses).index(exercise) if exercise in self.doses else 0

    def waiting(self, exercise: str) -> Decision:
        recent = [s for s in self.evidence[exercise] if s.settled is not None][-WINDOW:]
        good = sum(s.good(self.good_limit) for s in recent)
        if not self.evidence[exercise]:
            why = "No sessions recorded at this dose yet: keep going as prescribed."
        else:
            why = (
                f"{good} of the {GOOD_SESSIONS} comfortable sessions needed to progress so far: "
                "stay at this dose."
            )
        return Decision(None, exercise, Action.HOLD, why, self.doses[exercise].dose)


def progress(state: PlanState, check_ins: Sequence[CheckIn], *, today: date) -> Progression:
    ins = [c for c in one_per_day(check_ins) if state.created_on <= c.date <= today]
    weeks = weekly(ins, start=state.created_on, today=today)
    summary = trend(state.assessment, ins, today=today)
    stop_at = next((i for i, c in enumerate(ins) if c.new_warning_signs), None)
    replay = _Replay(state)
    for i, c in enumerate(ins[:stop_at]):
        replay.check_in(c, ins[: i + 1])
    if stop_at is not None:
        return _stopped(state, replay, ins, ins[stop_at], weeks, summary)
    last_day = ins[-1].date if ins else None
    decisions = tuple(
        d if (d := replay.latest.get(e)) is not None and d.on == last_day else replay.waiting(e)
        for e in replay.doses
    )
    gone = tuple(d for e, d in replay.latest.items() if e not in replay.doses and d.on == last_day)
    level = state.level
    advice = None
    stalled = (today - state.created_on).days >= NO_IMPROVEMENT_DAYS and not summary.improving
    if stalled and level == Level.SELF_CARE.value:
        level, advice = Level.SEE_DOCTOR.value, catalogue.messages()["no_improvement"]
    new_state = state.model_copy(
        update={
            "phase": replay.phase,
            "phase_started_on": replay.phase_started_on,
            "level": level,
            "prescriptions": list(replay.doses.values()),
        }
    )
    return Progression(
        status="continue",
        phase=replay.phase,
        decisions=gone + decisions,
        history=tuple(replay.history),
        weeks=weeks,
        trend=summary,
        state=new_state,
        advice=advice,
    )


def _stopped(
    state: PlanState,
    replay: _Replay,
    ins: Sequence[CheckIn],
    sign_day: CheckIn,
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
    why = f"on {sign_day.date} you reported a new warning sign ({listed}): {again.title.lower()}"
    decisions = tuple(
        replace(Decision(sign_day.date, e, Action.STOP, why[0].upper() + why[1:] + ".", None))
        for e in replay.doses
    )
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
        decisions=decisions,
        history=(*replay.history, *decisions),
        weeks=weeks,
        trend=summary,
        state=new_state,
        retriage=again,
        advice=catalogue.messages()["stop"],
    )
