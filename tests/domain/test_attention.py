"""The attention queue: every rule, its threshold edges, and the order of the queue."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from backcare.domain import content
from backcare.domain.attention import Day, Snapshot, Tier, flags, queue, rules, words

TODAY = date(2026, 12, 10)
NOW = datetime(2026, 12, 10, 9, 0, tzinfo=UTC)


def days(*pains: int, spasms: int | tuple[int, ...] = 1, last: date = TODAY) -> list[Day]:
    """Daily check-ins ending on `last`, with these pains (oldest first)."""
    n = len(pains)
    counts = spasms if isinstance(spasms, tuple) else (spasms,) * n
    return [
        Day(last - timedelta(days=n - 1 - i), pain, count)
        for i, (pain, count) in enumerate(zip(pains, counts, strict=True))
    ]


def snap(**overrides: Any) -> Snapshot:
    base: dict[str, Any] = {
        "patient_id": 1,
        "name": "Maya",
        "days": days(4, 4, 4, 4),
        "last_check_in": TODAY,
        "plan_started_on": TODAY - timedelta(days=5),
        "episode_started_on": TODAY - timedelta(days=5),
        "baseline_pain": 6,
        "baseline_spasms": 3,
        "recheck_due_on": TODAY + timedelta(days=9),
    }
    base.update(overrides)
    if "days" in overrides and "last_check_in" not in overrides:
        base["last_check_in"] = overrides["days"][-1].on if overrides["days"] else None
    return Snapshot(**base)


def codes(s: Snapshot) -> list[str]:
    return [f.code for f in flags(s, today=TODAY, now=NOW)]


def test_every_rule_has_a_tier_text_and_known_sources() -> None:
    known = content.sources()
    assert rules()
    for r in rules().values():
        assert r.text and r.source_ids and all(i in known for i in r.source_ids)


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({}, []),
        ({"stopped_on": TODAY, "stop_signs": ("fever",)}, ["warning_sign"]),
        ({"level": "urgent"}, ["warning_sign"]),
        ({"level": "emergency"}, ["warning_sign"]),
        ({"days": days(4, 4, 4, 7)}, ["pain_high", "pain_up"]),
        ({"days": days(6, 6, 6, 7)}, ["pain_high", "pain_up_a_little"]),  # 7/10, up only 1
        ({"days": days(3, 3, 3, 5)}, ["pain_up"]),  # up 2 exactly
        ({"days": days(4, 4, 4, 5)}, ["pain_up_a_little"]),  # 5/10 and up 1
        ({"days": days(3, 3, 3, 4)}, []),  # up 1 but below 5
        ({"days": days(5)}, []),  # nothing to compare with yet
        ({"days": days(4, 4, 4, 4), "last_check_in": TODAY - timedelta(days=3)}, ["no_check_in"]),
        ({"days": [], "last_check_in": None, "plan_started_on": TODAY - timedelta(days=2)}, []),
        (
            {"days": [], "last_check_in": None, "plan_started_on": TODAY - timedelta(days=3)},
            ["no_check_in"],
        ),
        (
            {"days": [], "last_check_in": None, "plan_started_on": TODAY - timedelta(days=14)},
            ["no_check_in_long"],
        ),
        ({"recheck_due_on": TODAY}, ["recheck_overdue"]),
        ({"recheck_due_on": TODAY - timedelta(days=4)}, ["recheck_overdue"]),
        ({"unanswered_since": NOW - timedelta(hours=2)}, ["message_unanswered"]),
    ],
)
def test_each_rule_fires_at_its_threshold_and_not_below(
    overrides: dict[str, Any], expected: list[str]
) -> None:
    assert sorted(codes(snap(**overrides))) == sorted(expected)


def test_a_message_waits_medium_then_high_after_a_day() -> None:
    fresh = flags(snap(unanswered_since=NOW - timedelta(hours=2)), today=TODAY, now=NOW)
    old = flags(snap(unanswered_since=NOW - timedelta(hours=30)), today=TODAY, now=NOW)
    assert fresh[0].tier is Tier.MEDIUM and old[0].tier is Tier.HIGH


@pytest.mark.parametrize(
    ("this_week", "last_week", "rising"),
    [
        ((3,) * 7, (1,) * 7, True),  # up 2 a day
        ((2,) * 7, (1,) * 7, True),  # up 1 a day
        ((13,) * 7, (10,) * 7, True),  # up 30 %
        ((12,) * 7, (10,) * 7, True),  # up 2 a day, 20 %
        ((1,) * 7, (1,) * 7, False),
        ((0,) * 7, (1,) * 7, False),
    ],
)
def test_spasm_episodes_rising_week_on_week(
    this_week: tuple[int, ...], last_week: tuple[int, ...], rising: bool
) -> None:
    history = days(*([4] * 14), spasms=last_week + this_week)
    assert ("spasms_rising" in codes(snap(days=history))) is rising


def test_not_improving_after_two_weeks_uses_the_meaningful_change_rule() -> None:
    start = TODAY - timedelta(days=15)
    stuck = snap(days=days(*([5] * 14), spasms=3), episode_started_on=start)
    better = snap(days=days(*([4] * 14), spasms=3), episode_started_on=start)  # 6 -> 4
    fewer = snap(days=days(*([6] * 14), spasms=2), episode_started_on=start)  # 3 -> 2 a day
    assert "not_improving" in codes(stuck)
    assert "not_improving" not in codes(better)
    assert "not_improving" not in codes(fewer)


def test_a_warning_sign_is_always_first_and_the_queue_sorts_by_tier_then_waiting() -> None:
    calm = snap(patient_id=1, name="Ann")
    late = snap(patient_id=2, name="Bob", recheck_due_on=TODAY - timedelta(days=5))
    later = snap(patient_id=3, name="Cy", recheck_due_on=TODAY - timedelta(days=1))
    sore = snap(patient_id=4, name="Di", days=days(4, 4, 4, 8))
    sign = snap(
        patient_id=5, name="Ed", stopped_on=TODAY, stop_signs=("fever",), days=days(4, 4, 4, 8)
    )
    order = queue([calm, late, later, sore, sign], today=TODAY, now=NOW)
    assert [e.snapshot.name for e in order] == ["Ed", "Di", "Bob", "Cy", "Ann"]
    assert order[0].flags[0].code == "warning_sign"
    assert order[0].reason == "Warning sign: reported fever. Programme stopped until re-checked."
    assert order[-1].tier is None and order[-1].reason == "Nothing needs attention."


@pytest.mark.parametrize(
    ("overrides", "line"),
    [
        ({"days": days(4, 4, 4, 8)}, "Pain 8/10 on the latest check-in."),
        ({"days": days(3, 3, 3, 5)}, "Pain up 2 to 5/10 (from 3 the week before)."),
        ({"last_check_in": TODAY - timedelta(days=4)}, "No check-in for 4 days."),
        ({"recheck_due_on": TODAY}, "Two-weekly check due today."),
        ({"recheck_due_on": TODAY - timedelta(days=1)}, "Two-weekly check overdue by 1 day."),
        ({"unanswered_since": NOW - timedelta(hours=26)}, "Message unanswered for 26 hours."),
    ],
)
def test_each_flag_reads_as_one_line(overrides: dict[str, Any], line: str) -> None:
    first = flags(snap(**overrides), today=TODAY, now=NOW)[0]
    assert words(first) == line
