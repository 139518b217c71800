"""The one meaningful-change rule: pain 2 points or 30 %, spasm episodes 1 a day or 30 %."""

from __future__ import annotations

import pytest

from backcare.domain.improvement import episodes_improved, improving, pain_improved


@pytest.mark.parametrize(
    ("before", "after", "improved"),
    [
        (6, 5.9, False),  # a tenth of a point is not a change anyone feels
        (6, 5, False),
        (6, 4.2, True),  # exactly 30 %
        (6, 4.3, False),
        (6, 4, True),  # 2 points
        (3, 2, True),  # 1 point is 33 %
        (8, 6.5, False),
        (8, 6, True),
        (0, 0, False),
        (2, 3, False),  # worse is never better
        (10, 8, True),
    ],
)
def test_pain_improved(before: float, after: float, improved: bool) -> None:
    assert pain_improved(before, after) is improved


@pytest.mark.parametrize(
    ("before", "after", "improved"),
    [
        (3, 2, True),  # one fewer a day
        (3, 2.5, False),
        (10, 7, True),  # 30 %
        (10, 9.5, False),
        (10, 9, True),  # one fewer a day, though only 10 %
        (0, 0, False),
        (1, 0, True),
        (2, 3, False),
    ],
)
def test_episodes_improved(before: float, after: float, improved: bool) -> None:
    assert episodes_improved(before, after) is improved


@pytest.mark.parametrize(
    ("pain", "episodes", "expected"),
    [
        ((6, 6), (3, 3), False),
        ((6, 4), (3, 3), True),
        ((6, 6), (3, 2), True),
        ((6, 5.9), (3, 2.8), False),
    ],
)
def test_improving_is_either(
    pain: tuple[float, float], episodes: tuple[float, float], expected: bool
) -> None:
    assert improving(pain[0], pain[1], episodes[0], episodes[1]) is expected
