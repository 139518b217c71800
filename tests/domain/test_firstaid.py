"""Ice and heat timing: never longer than the limit, and the skin gets its 2 hours."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from backcare.domain import catalogue
from backcare.domain.firstaid import Application, may_apply, suggested_times

NOON = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)


def used(kind: str, ended_minutes_ago: int, minutes: int = 20) -> Application:
    end = NOON - timedelta(minutes=ended_minutes_ago)
    return Application(kind, end - timedelta(minutes=minutes), end)  # type: ignore[arg-type]


def test_first_application_of_the_day_is_allowed_for_at_most_20_minutes() -> None:
    check = may_apply("cold", now=NOON, earlier=[])
    assert check.allowed and check.max_minutes == 20


def test_it_refuses_before_the_skin_has_had_two_hours() -> None:
    check = may_apply("heat", now=NOON, earlier=[used("cold", ended_minutes_ago=119)])
    assert not check.allowed
    assert check.next_allowed_at == NOON + timedelta(minutes=1)
    assert "2 hours" in check.reason


def test_it_allows_again_after_two_hours() -> None:
    assert may_apply("cold", now=NOON, earlier=[used("cold", ended_minutes_ago=120)]).allowed


def test_it_refuses_more_than_the_daily_limit() -> None:
    morning = [used("cold", ended_minutes_ago=150 + 180 * n) for n in range(4)]
    check = may_apply("cold", now=NOON, earlier=morning)
    assert not check.allowed
    assert check.next_allowed_at == datetime(2026, 11, 22, tzinfo=UTC)


def test_suggested_times_leave_room_for_the_skin() -> None:
    times = suggested_times(catalogue.first_aid().cold)
    assert times == (time(8), time(11), time(14), time(17))
