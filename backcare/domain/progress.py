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

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from functools import cache

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
WEEK = timedelta(days=7)


def _sentence(reason: str) -> str:
    return reason[0].upper() + reason[1:] + "."


@cache
def _gentlest(exercise: str) -> Dose | None:
    return gentlest(catalogue.exercises()[exercise].dose)


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
    doses: dict[str, int]  # exercise -> the dose generation it was done at
    settled: bool | None = None
    good: bool = False


@dataclass(slots=True)
class _Replay:
    state: PlanState
    doses: dict[str, Dose] = field(default_factory=dict)
    why: dict[str, str] = field(default_factory=dict)
    outcomes: dict[str, list[bool]] = field(default_factory=dict)  # settled sessions at this dose
    done_at_dose: dict[str, int] = field(default_factory=dict)
    generation: dict[str, int] = field(default_factory=dict)
    sessions: list[_Session] = field(default_factory=list)
    history: list[Decision] = field(default_factory=list)
    latest: dict[str, Decision | tuple[date, Action, str, Dose | None, str | None]] = field(
        default_factory=dict
    )
    complete: set[str] = field(default_factory=set)  # at full dose with nowhere to move on
    phase: int | None = None
    phase_started_on: date = date.min
    last_weekly: date = date.min
    last_regress: date = date.min
    next_review: date = date.max
    good_limit: int = GOOD_AT_MOST
    max_phase: int = 4
    built_up: set[str] = field(default_factory=set)
    moved_past: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.doses = {p.exercise: p.dose for p in self.state.prescriptions}
        self.why = {p.exercise: p.why for p in self.state.prescriptions}
        for exercise in self.doses:
            self._fresh(exercise)
        self.phase = self.state.phase
        self.phase_started_on = self.state.phase_started_on
        self.last_weekly = self.state.created_on
        self.good_limit = GOOD_AT_MOST_GRADED if self.state.graded else GOOD_AT_MOST
        self.max_phase = 1 if self.state.level == Level.SEE_DOCTOR.value else 4
        self._schedule_review()

    def _schedule_review(self) -> None:
        """The first day the programme may move to the next phase."""
        if self.phase is None or self.phase >= self.max_phase:
            self.next_review = date.max
            return
        days = catalogue.phases()[self.phase].review_after_days
        self.next_review = self.phase_started_on + timedelta(days=days)

    def check_in(self, c: CheckIn, pain_by_day: Mapping[date, int]) -> None:
        if c.pain_next_morning is not None and self.sessions:
            last = self.sessions[-1]
            if last.settled is None and last.on < c.date:
                self._morning(c.pain_next_morning, last, c.date)
        if c.exercises_done:
            names = {d.exercise for d in c.exercises_done}
            done = [e for e in self.doses if e in names]
            if done:
                self._session(c, done)
        if c.date >= self.last_weekly + WEEK:
            self._weekly(c, pain_by_day)
        if self.phase is not None and c.date >= self.next_review:
            self._maybe_next_phase(c.date)

    def _morning(self, morning: int, last: _Session, on: date) -> None:
        settled = morning <= last.baseline
        good = settled and last.pain_during is not None and last.pain_during <= self.good_limit
        last.settled, last.good = settled, good
        generation = self.generation
        current = [e for e, g in last.doses.items() if generation[e] == g and e in self.doses]
        for exercise in current:
            self.outcomes[exercise].append(good)
        if not settled:
            why = (
                f"pain had not settled by the next morning ({morning}/10, "
                f"against {last.baseline}/10 the day before)"
            )
            for exercise in [e for e in self.doses if e in last.doses]:
                self._regress(exercise, on, why)
        elif good:
            for exercise in current:
                if exercise not in self.doses or exercise in self.complete:
                    continue  # moved on earlier in this loop, or nowhere further to go
                if self.outcomes[exercise][-WINDOW:].count(True) >= GOOD_SESSIONS:
                    self._consider_progress(exercise, on)

    def _session(self, c: CheckIn, done: list[str]) -> None:
        generation = self.generation
        pain = c.pain_during_exercise
        self.sessions.append(_Session(c.date, pain, c.pain_now, {e: generation[e] for e in done}))
        for exercise in done:
            self.done_at_dose[exercise] += 1
        if pain is None:
            return
        if pain > REGRESS_ABOVE:
            why = f"pain during exercise was {pain}/10, above 5"
            for exercise in done:
                self._regress(exercise, c.date, why)
        elif pain >= HOLD_FROM and not self.state.graded:
            why = f"pain during exercise was {pain}/10: acceptable, so stay at this dose"
            for exercise in done:
                self._decide(exercise, c.date, Action.HOLD, why)

    def _consider_progress(self, exercise: str, on: date) -> None:
        recent = self.outcomes[exercise][-WINDOW:]
        good = recent.count(True)
        if good < GOOD_SESSIONS:
            return
        rule = "at most 5/10 on your graded schedule" if self.state.graded else "at most 3/10"
        why = f"{good} of your last {len(recent)} sessions had pain {rule} that settled by morning"
        self._progress(exercise, on, why)

    def _progress(self, exercise: str, on: date, why: str) -> None:
        higher = step_up(self.doses[exercise])
        if higher is not None:
            self._set_dose(exercise, higher)
            self._decide(exercise, on, Action.PROGRESS, f"{why}: now {describe(higher)}", higher)
            return
        nxt = catalogue.exercises()[exercise].progression
        if nxt is None or nxt in self.doses or not self._fits(nxt):
            self._decide(exercise, on, Action.HOLD, f"{why}, and this is its full dose: keep it up")
            self.complete.add(exercise)
            return
        self._swap(exercise, nxt, on, Action.PROGRESS, f"{why}, at full dose: move on to")

    def _regress(self, exercise: str, on: date, why: str) -> None:
        if exercise not in self.doses:
            return
        self.last_regress = on
        current = self.doses[exercise]
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
        softer = _gentlest(exercise)
        if softer is None or softer == current:
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
        self.doses = {
            (new if e == old else e): (entry.dose if e == old else d) for e, d in self.doses.items()
        }
        self.why[new] = f"Took over from {catalogue.exercises()[old].name}."
        self._fresh(new)
        text = f"{why} {entry.name} ({describe(entry.dose)})"
        self._decide(old, on, action, text, entry.dose, swapped_to=new)

    def _set_dose(self, exercise: str, dose: Dose) -> None:
        self.doses[exercise] = dose
        self._fresh(exercise)

    def _fresh(self, exercise: str) -> None:
        """A new dose: the evidence for it starts again."""
        self.generation[exercise] = self.generation.get(exercise, 0) + 1
        self.complete.discard(exercise)
        self.outcomes[exercise] = []
        self.done_at_dose[exercise] = 0

    def _decide(
        self,
        exercise: str,
        on: date,
        action: Action,
        reason: str,
        dose: Dose | None = None,
        swapped_to: str | None = None,
    ) -> None:
        if action is Action.HOLD:
            # Holds are the common case and change nothing: keep them light until output.
            self.latest[exercise] = (on, action, reason, dose, swapped_to)
            return
        decision = Decision(on, exercise, action, _sentence(reason), dose, swapped_to)
        self.latest[exercise] = decision
        if action is Action.PROGRESS:
            self.built_up.add(exercise)
            if swapped_to is not None:
                self.moved_past.add(exercise)
        self.history.append(decision)

    def _weekly(self, c: CheckIn, pain_by_day: Mapping[date, int]) -> None:
        self.last_weekly = c.date
        days = [c.date - timedelta(days=n) for n in range(14)]
        this = [pain_by_day[d] for d in days[:7] if d in pain_by_day]
        before = [pain_by_day[d] for d in days[7:] if d in pain_by_day]
        if len(this) < MIN_DAYS_PER_WEEK or len(before) < MIN_DAYS_PER_WEEK:
            return
        now, earlier = sum(this) / len(this), sum(before) / len(before)
        if now - earlier >= WEEKLY_RISE:
            why = f"your average pain rose from {earlier:.1f} to {now:.1f} out of 10 this week"
            for exercise in list(self.doses):
                self._regress(exercise, c.date, why)

    def _maybe_next_phase(self, on: date) -> None:
        if 2 * len(self.built_up) < len(self.doses):
            return
        if on - self.last_regress < timedelta(days=7):
            return
        recent = [s for s in self.sessions[-WINDOW - 1 :] if s.settled is not None][-WINDOW:]
        if sum(s.good for s in recent) < GOOD_SESSIONS:
            return
        if any(s.pain_during is not None and s.pain_during > REGRESS_ABOVE for s in recent):
            return
        self._advance(on)

    def _advance(self, on: date) -> None:
        if self.phase is None:
            return
        self.phase += 1
        self.phase_started_on = on
        self._schedule_review()
        causes = contributing_causes(self.state.assessment)
        fresh = [
            p
            for p in prescribe(self.phase, causes, graded=self.state.graded)
            if p.exercise not in self.moved_past
        ]
        self.built_up = set()
        self.doses = {p.exercise: self.doses.get(p.exercise, p.dose) for p in fresh}
        self.why.update({p.exercise: p.why for p in fresh})
        for exercise in self.doses:
            if exercise not in self.generation:
                self._fresh(exercise)
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

    def _in_order(self, exercises: Collection[str]) -> list[str]:
        """The given exercises in programme order (a list, so the programme may change after)."""
        return [e for e in self.doses if e in exercises]

    def waiting(self, exercise: str) -> Decision:
        good = self.outcomes[exercise][-WINDOW:].count(True)
        if not self.done_at_dose[exercise]:
            why = "No sessions recorded at this dose yet: keep going as prescribed."
        else:
            why = (
                f"{good} of the {GOOD_SESSIONS} comfortable sessions needed to progress so far: "
                "stay at this dose."
            )
        return Decision(None, exercise, Action.HOLD, why, self.doses[exercise])

    def decision(self, exercise: str) -> Decision | None:
        latest = self.latest.get(exercise)
        if latest is None or isinstance(latest, Decision):
            return latest
        on, action, reason, dose, swapped_to = latest
        return Decision(on, exercise, action, _sentence(reason), dose, swapped_to)

    def prescriptions(self) -> list[Prescription]:
        return [
            Prescription(exercise=e, dose=d, why=self.why.get(e, "")) for e, d in self.doses.items()
        ]


def progress(state: PlanState, check_ins: Sequence[CheckIn], *, today: date) -> Progression:
    ins = [c for c in one_per_day(check_ins) if state.created_on <= c.date <= today]
    weeks = weekly(ins, start=state.created_on, today=today)
    summary = trend(state.assessment, ins, today=today)
    stop_at = next((i for i, c in enumerate(ins) if c.new_warning_signs), None)
    replay = _Replay(state)
    pain_by_day: dict[date, int] = {}
    for c in ins[:stop_at]:
        pain_by_day[c.date] = c.pain_now
        replay.check_in(c, pain_by_day)
    if stop_at is not None:
        return _stopped(state, replay, ins, ins[stop_at], weeks, summary)
    last_day = ins[-1].date if ins else None
    decisions = tuple(
        d if (d := replay.decision(e)) is not None and d.on == last_day else replay.waiting(e)
        for e in replay.doses
    )
    gone = tuple(
        d
        for e in replay.latest
        if e not in replay.doses and (d := replay.decision(e)) is not None and d.on == last_day
    )
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
            "prescriptions": replay.prescriptions(),
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
        Decision(sign_day.date, e, Action.STOP, _sentence(why), None) for e in replay.doses
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
