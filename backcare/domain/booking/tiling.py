"""Laying one practitioner's appointments end to end through their free time."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence

from backcare.domain.booking.intervals import Span


def tile(
    grid: Sequence[int],
    free: list[Span],
    busy: list[Span],
    length: int,
    step: int,
    earliest: int,
    cursor: int,
) -> tuple[list[int], int]:
    """Slot starts (instants from `grid`) laid end to end through `free`, and the new cursor.

    A slot of `length` seconds must lie inside one free span; with its buffer (`step` = length +
    buffer) it must not touch a `busy` span; the next slot starts at the first grid time at or
    after the previous start + step (and after `cursor`, carried over from earlier days). Starts
    before `earliest` take their place in the tiling but are not returned, so the slots shown do
    not move as the clock does. `free` and `busy` are merged spans, `grid` is sorted.
    """
    out: list[int] = []
    count, taken = len(grid), len(busy)
    j = 0
    for low, high in free:
        i = bisect_left(grid, low if low > cursor else cursor)
        last = high - length  # the latest start that still ends inside this span
        while i < count:
            start = grid[i]
            if start > last:
                break
            while j < taken and busy[j][1] <= start:
                j += 1
            if j < taken and busy[j][0] < start + step:
                i = bisect_left(grid, busy[j][1], i + 1)
                continue
            if start >= earliest:
                out.append(start)
            cursor = start + step
            i = bisect_left(grid, cursor, i + 1)
    return out, cursor
