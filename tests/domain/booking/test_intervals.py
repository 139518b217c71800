"""Sets of instants: joined, intersected and cut exactly as sets of seconds would be."""

from __future__ import annotations

from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backcare.domain.booking.intervals import Span, covers, intersect, merged, overlaps, subtract


@pytest.mark.parametrize(
    ("spans", "expected"),
    [
        ([], []),
        ([(5, 5)], []),
        ([(3, 4), (1, 2)], [(1, 2), (3, 4)]),
        ([(1, 3), (3, 5)], [(1, 5)]),
        ([(1, 10), (2, 3)], [(1, 10)]),
        ([(1, 4), (2, 6), (8, 9)], [(1, 6), (8, 9)]),
    ],
)
def test_merged(spans: list[Span], expected: list[Span]) -> None:
    assert merged(spans) == expected


@pytest.mark.parametrize(
    ("a", "b", "cut", "common"),
    [
        ([(0, 10)], [(2, 4), (6, 8)], [(0, 2), (4, 6), (8, 10)], [(2, 4), (6, 8)]),
        ([(0, 10)], [(0, 10)], [], [(0, 10)]),
        ([(0, 10)], [(-5, 3), (9, 20)], [(3, 9)], [(0, 3), (9, 10)]),
        ([(0, 2), (4, 6)], [(1, 5)], [(0, 1), (5, 6)], [(1, 2), (4, 5)]),
        ([(0, 2)], [], [(0, 2)], []),
        ([], [(0, 2)], [], []),
    ],
)
def test_subtract_and_intersect(
    a: list[Span], b: list[Span], cut: list[Span], common: list[Span]
) -> None:
    assert subtract(a, b) == cut
    assert intersect(a, b) == common


def test_covers_needs_one_span_and_overlaps_needs_a_shared_second() -> None:
    spans = [(0, 10), (20, 30)]
    assert covers(spans, 0, 10) and covers(spans, 22, 25)
    assert not covers(spans, 5, 21) and not covers(spans, 10, 12) and not covers([], 0, 1)
    assert overlaps(spans, 9, 11) and not overlaps(spans, 10, 20)


span_lists = st.lists(
    st.tuples(st.integers(0, 40), st.integers(0, 40)).map(lambda t: (min(t), max(t))),
    max_size=6,
)


def _seconds(spans: list[Span]) -> set[int]:
    return {s for start, end in spans for s in range(start, end)}


@given(span_lists, span_lists)
def test_operations_match_sets_of_seconds(a: list[Span], b: list[Span]) -> None:
    ma, mb = merged(a), merged(b)
    assert _seconds(ma) == _seconds(a)
    assert _seconds(subtract(ma, mb)) == _seconds(a) - _seconds(b)
    assert _seconds(intersect(ma, mb)) == _seconds(a) & _seconds(b)
    for result in (ma, subtract(ma, mb), intersect(ma, mb)):
        assert all(s < e for s, e in result)
        assert all(x[1] < y[0] for x, y in pairwise(result))


@given(span_lists, st.integers(0, 40), st.integers(1, 10))
def test_covers_matches_sets_of_seconds(a: list[Span], start: int, length: int) -> None:
    wanted = set(range(start, start + length))
    assert covers(merged(a), start, start + length) == (wanted <= _seconds(a))
