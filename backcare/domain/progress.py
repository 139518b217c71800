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

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from typing import NamedTuple

from backcare.domain import catalogue
from backcare.domain.catalogue import Dose
from backcare.domain.causes import contributing_causes
from backcare.domain.checkin import CheckInLike, one_per_day
from backcare.domain.dosing import Ladder, ladder
from backcare.domain.improvement import improving, pain_improved
from backcare.domain.plan import PlanState, Prescription, leg_symptoms, phase_cap, prescribe
from backcare.domain.progress_summary import Trend, Week, trend, weekly
from backcare.domain.triage import Level, Triage, triage

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


def _limit_words(limit: int) -> str:
    if limit == PAIN_LIMIT:
        return f"your limit of {limit}/10"
    return f"your limit of {limit}/10 (your pain before you started, plus 1)"


class Action(StrEnum):
    PROGRESS = "progress"
    HOLD = "hold"
    REGRESS = "regress"
    STOP = "stop"


class Decision(NamedTuple):
    """What happened to one exercise, and why (a NamedTuple: immutable and cheap to make)."""

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


@dataclass(slots=True, eq=False)
class _Track:
    """One exercise in the programme: where it is on its ladder and the evidence at that dose."""

    exercise: str
    ladder: Ladder
    rung: int
    why: str
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


Latest = Decision | tuple[date, Action, str, Dose | None, str | None]


@dataclass(slots=True)
class _Replay:
    state: PlanState
    tracks: dict[str, _Track] = field(default_factory=dict)
    sessions: list[_Session] = field(default_factory=list)
    history: list[Decision] = field(default_factory=list)
    latest: dict[str, Latest] = field(default_factory=dict)
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

    def run(self, ins: Sequence[CheckInLike]) -> None:
        """Replay the check-ins, oldest first, one a day."""
        self.ins = ins
        tracks_get = self.tracks.get
        sessions = self.sessions
        for index, c in enumerate(ins):
            on = c.date
            if c.pain_next_morning is not None and sessions:
                last = sessions[-1]
                if last.settled is None and last.on < on:
                    self._morning(c.pain_next_morning, last, on)
            if c.exercises_done:
                tracks_get = self.tracks.get  # the programme may have changed this morning
                done = [t for d in c.exercises_done if (t := tracks_get(d.exercise)) is not None]
                if done:
                    self._session(c, done)
            if on >= self.next_weekly:
                self._weekly(index)
            self._watch_improvement(index)
            if on >= self.next_review and 2 * len(self.built_up) >= len(self.tracks):
                self._maybe_next_phase(on, index)

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
        pain = round(self.window_pain / days, 1)
        episodes = round(self.window_episodes / days, 1)
        if not improving(a.pain_now, pain, a.spasm_episodes_per_day, episodes):
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
            why = (
                f"Pain had not settled by the next morning ({morning}/10, "
                f"against {last.baseline}/10 the day before)"
            )
            for t, _ in last.entries:
                self._regress(t, on, why)
            return
        for t in ready:
            if t.active:  # an earlier exercise in this loop may have taken its place
                self._progress(t, on)

    def _session(self, c: CheckInLike, done: list[_Track]) -> None:
        pain = c.pain_during_exercise
        entries = [(t, t.generation) for t in done]
        limit = pain_limit(c.pain_now)
        self.sessions.append(_Session(c.date, pain, c.pain_now, entries, limit))
        if pain is None or self.state.graded:
            return  # a graded plan stops at the planned amount, whatever the pain does
        if pain > limit:
            why = f"Pain during exercise was {pain}/10, above {_limit_words(limit)}"
            for t in done:
                self._regress(t, c.date, why)
        elif pain >= HOLD_FROM:
            why = (
                f"Pain during exercise was {pain}/10, within {_limit_words(limit)}: "
                "acceptable, so stay at this dose"
            )
            for t in done:
                self._decide(t.exercise, c.date, Action.HOLD, why)

    def _progress(self, t: _Track, on: date) -> None:
        good = _GOOD_IN[t.window]
        seen = min(t.settled, WINDOW)
        if self.state.graded:
            why = f"{good} of your last {seen} sessions were done as planned and settled by morning"
        else:
            why = (
                f"{good} of your last {seen} sessions had pain at most 3/10 that settled by morning"
            )
        if t.rung + 1 < len(t.ladder.rungs):
            t.rung += 1
            _fresh(t)
            self._decide(
                t.exercise, on, Action.PROGRESS, f"{why}: now {t.ladder.texts[t.rung]}", t.dose
            )
            return
        nxt = catalogue.exercises()[t.exercise].progression
        if nxt is None or nxt in self.tracks or not self._fits(nxt):
            self._decide(
                t.exercise, on, Action.HOLD, f"{why}, and this is its full dose: keep it up"
            )
            t.complete = True
            return
        self._swap(t, nxt, on, Action.PROGRESS, f"{why}, at full dose: move on to")

    def _regress(self, t: _Track, on: date, why: str) -> None:
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
            self._decide(
                t.exercise, on, Action.REGRESS, f"{why}: back to {t.ladder.texts[t.rung]}", t.dose
            )
            return
        easier = catalogue.exercises()[t.exercise].regression
        if easier is not None and easier not in self.tracks:
            self._swap(t, easier, on, Action.REGRESS, f"{why}: swap to the easier")
            return
        if easier is not None:
            t.active = False
            del self.tracks[t.exercise]
            name = catalogue.exercises()[easier].name
            self._decide(t.exercise, on, Action.REGRESS, f"{why}: pause it and keep to {name}")
            return
        if t.rung == floor and floor > 0:
            t.rung = floor - 1
            _fresh(t)
            self._decide(
                t.exercise,
                on,
                Action.REGRESS,
                f"{why}: ease off to {t.ladder.texts[t.rung]}",
                t.dose,
            )
            return
        self._decide(
            t.exercise,
            on,
            Action.HOLD,
            f"{why}, and this is already the gentlest dose: if it keeps hurting, leave it "
            "out and tell your physiotherapist",
        )

    def _shortest(self, t: _Track, on: date, why: str) -> None:
        """Walking is never paused for pain: it drops to its shortest bout, and stays there."""
        never = "walking is never stopped for pain"
        if t.rung > 0:
            t.rung = 0
            _fresh(t)
            text = f"{why}: keep going in the shortest bouts, {t.ladder.texts[0]}; {never}"
            self._decide(t.exercise, on, Action.REGRESS, text, t.dose)
            return
        text = f"{why}. Keep going in the shortest bouts, {t.ladder.texts[0]}; {never}"
        self._decide(t.exercise, on, Action.HOLD, text)

    def _swap(self, old: _Track, new_id: str, on: date, action: Action, why: str) -> None:
        entry = catalogue.exercises()[new_id]
        name = catalogue.exercises()[old.exercise].name
        new = _track(new_id, entry.dose, f"Took over from {name}.")
        self.tracks = {
            (new_id if e == old.exercise else e): (new if e == old.exercise else t)
            for e, t in self.tracks.items()
        }
        old.active = False
        text = f"{why} {entry.name} ({new.ladder.texts[new.rung]})"
        self._decide(old.exercise, on, action, text, new.dose, swapped_to=new_id)

    def _decide(
        self,
        exercise: str,
        on: date,
        action: Action,
        reason: str,  # a sentence without its full stop
        dose: Dose | None = None,
        swapped_to: str | None = None,
    ) -> None:
        if action is Action.HOLD:
            # Holds are the common case and change nothing: keep them light until output.
            self.latest[exercise] = (on, action, reason, dose, swapped_to)
            return
        decision = Decision(on, exercise, action, reason + ".", dose, swapped_to)
        self.latest[exercise] = decision
        if action is Action.PROGRESS:
            self.built_up.add(exercise)
            if swapped_to is not None:
                self.moved_past.add(exercise)
        self.history.append(decision)

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
            why = f"Your average pain rose from {earlier:.1f} to {now:.1f} out of 10 this week"
            for t in list(self.tracks.values()):
                self._regress(t, c.date, why)

    def _maybe_next_phase(self, on: date, index: int) -> None:
        if on - self.last_regress < timedelta(days=7):
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

    def waiting(self, t: _Track) -> Decision:
        good = _GOOD_IN[t.window]
        if t.complete:
            why = "You are at the full dose of this exercise: keep it up."
        elif not t.settled and not self._pending(t):
            why = "No sessions recorded at this dose yet: keep going as prescribed."
        else:
            why = (
                f"{good} of the {GOOD_SESSIONS} comfortable sessions needed to progress so far: "
                "stay at this dose."
            )
        return Decision(None, t.exercise, Action.HOLD, why, t.dose)

    def _pending(self, t: _Track) -> bool:
        """Whether the last session, not yet settled, included this exercise at this dose."""
        last = self.sessions[-1] if self.sessions else None
        return last is not None and any(x is t and g == t.generation for x, g in last.entries)

    def decision(self, exercise: str) -> Decision | None:
        latest = self.latest.get(exercise)
        if latest is None or isinstance(latest, Decision):
            return latest
        on, action, reason, dose, swapped_to = latest
        return Decision(on, exercise, action, reason + ".", dose, swapped_to)

    def prescriptions(self) -> list[Prescription]:
        # Every dose here came from validated content or a validated plan, so skip re-validation.
        return [
            Prescription.model_construct(exercise=e, dose=t.dose, why=t.why)
            for e, t in self.tracks.items()
        ]


def _track(exercise: str, dose: Dose, why: str) -> _Track:
    steps = ladder(dose, catalogue.exercises()[exercise].dose)
    return _Track(exercise=exercise, ladder=steps, rung=steps.entry, why=why)


def _fresh(t: _Track) -> None:
    """A new dose: the evidence for it starts again."""
    t.generation += 1
    t.window = t.settled = 0
    t.complete = False


def progress(state: PlanState, check_ins: Sequence[CheckInLike], *, today: date) -> Progression:
    ins = [c for c in one_per_day(check_ins) if state.created_on <= c.date <= today]
    weeks = weekly(ins, start=state.created_on, today=today)
    summary = trend(state.assessment, ins, today=today)
    stop_at = next((i for i, c in enumerate(ins) if c.new_warning_signs), None)
    replay = _Replay(state)
    replay.run(ins[:stop_at])
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
        history=tuple(replay.history),
        weeks=weeks,
        trend=summary,
        state=new_state,
        advice=advice,
    )


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
    why = f"On {sign_day.date} you reported a new warning sign ({listed}): {again.title.lower()}"
    decisions = tuple(
        Decision(sign_day.date, e, Action.STOP, why + ".", None) for e in replay.tracks
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
