"""A day's check-in: pain, spasm episodes, what was done, how it felt, and anything new."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from operator import lt
from typing import Annotated, Literal, Protocol, TypeVar

from pydantic import BaseModel, Field, field_validator

from backcare.domain import catalogue
from backcare.domain.assessment import WARNING_SIGNS, WarningSign
from backcare.domain.validation import STRICT, InputError

Score10 = Annotated[int, Field(ge=0, le=10)]
# How the back let the person sleep last night (the check-in's sleep question).
Sleep = Literal["well", "woke_sometimes", "badly"]


class ExerciseDone(BaseModel):
    model_config = STRICT

    exercise: str
    sets: Annotated[int, Field(ge=0, le=20)]
    reps: Annotated[int, Field(ge=0, le=200)] | None = None

    @field_validator("exercise")
    @classmethod
    def _known(cls, value: str) -> str:
        if value not in catalogue.exercises():
            raise ValueError("must be an exercise id from the catalogue (see `backcare exercises`)")
        return value


class CheckIn(BaseModel):
    """`new_warning_signs` is required: an empty list is an explicit "none of these"."""

    model_config = STRICT

    date: date
    pain_now: Score10
    spasm_episodes: Annotated[int, Field(ge=0)]
    exercises_done: Annotated[list[ExerciseDone], Field(max_length=40)] = []
    pain_during_exercise: Score10 | None = None
    pain_next_morning: Score10 | None = None
    new_warning_signs: Annotated[list[WarningSign], Field(max_length=len(WARNING_SIGNS))]
    sleep: Sleep | None = None  # optional: not answered is not "slept well"


class CheckIns(BaseModel):
    """The check-ins file of `backcare progress`: one check-in per day."""

    model_config = STRICT

    check_ins: Annotated[list[CheckIn], Field(max_length=3660)]


class DoneLike(Protocol):
    @property
    def exercise(self) -> str: ...


class CheckInLike(Protocol):
    """What the engine reads of a check-in: a validated `CheckIn`, or a stored one that was
    validated on its way in (the web layer passes plain tuples, much cheaper to make)."""

    @property
    def date(self) -> date: ...
    @property
    def pain_now(self) -> int: ...
    @property
    def spasm_episodes(self) -> int: ...
    @property
    def exercises_done(self) -> Sequence[DoneLike]: ...
    @property
    def pain_during_exercise(self) -> int | None: ...
    @property
    def pain_next_morning(self) -> int | None: ...
    @property
    def new_warning_signs(self) -> Sequence[str]: ...
    @property
    def sleep(self) -> str | None: ...


C = TypeVar("C", bound=CheckInLike)


def one_per_day(check_ins: Sequence[C]) -> list[C]:
    """The check-ins sorted by date, refusing two for the same day."""
    dates = [c.date for c in check_ins]
    if all(map(lt, dates, dates[1:])):  # each day before the next, compared in C
        return list(check_ins)  # already in order, one a day: the common case
    seen: dict[date, int] = {}
    problems = []
    for index, item in enumerate(check_ins):
        if item.date in seen:
            problems.append(
                f"check_ins[{index}].date: {item.date} already has a check-in "
                f"(check_ins[{seen[item.date]}]); one check-in per day"
            )
        seen.setdefault(item.date, index)
    if problems:
        raise InputError(problems)
    return sorted(check_ins, key=lambda c: c.date)
