"""Progress charts as SVG text, from plain dates and numbers (no database, no request).

Readable without colour: each line has its own dash pattern and the legend says which is which
in words ("Dashed line: ..."); every chart has a title. The legend and the words name only what is
drawn: a line needs two days on the axis (a reference line over one day draws nothing), and the
person's own values are "a solid line with dots" only when two of them are joined.

No script of any kind: pygal's tooltip script is switched off (`js=[]`) and its inline config
script is removed from the tree. pygal does put a `<style>` element in the SVG, so a response
serving it needs `style-src 'unsafe-inline'`. The `*_words` functions say what each chart shows,
for alt text and captions.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

import pygal
from pygal.style import Style

from backcare.domain.questionnaires import nprs_change

WIDTH = 480
HEIGHT = 360
STARTBACK_MAX = 9
STARTBACK_LOW_RISK = 3  # a total of 3 or below is low risk (Hill 2008)

INK = "#1b1f24"
BLUE = "#0b5c8e"
BROWN = "#8a4b00"
GREY = "#4a5560"

# Lines take their series' width (pygal otherwise forces 1px); printed values sit above bars.
EXTRA_CSS = f"""
.series .line.reactive {{ stroke-width: inherit; }}
.text-overlay text.value {{ fill: {INK}; }}
.rect.so-far {{ fill: #ffffff; stroke: {INK}; stroke-width: 3; stroke-dasharray: 6, 4; }}
"""

# At least a week on the daily axes, so the reference lines are drawn from the first day.
MIN_AXIS_DAYS = 7

SOLID = {"width": 3, "linejoin": "round"}
DOTTED = {"width": 3, "dasharray": "1, 6", "linecap": "round"}
DASHED = {"width": 3, "dasharray": "12, 6"}


def axis_end(start: date, today: date) -> date:
    """The last day of a daily chart from `start`: today, or a week from the start if later."""
    return max(today, start + timedelta(days=MIN_AXIS_DAYS - 1))


def meaningful_pain_level(baseline: float) -> float | None:
    """The highest pain (to 0.1) that is a meaningful fall from `baseline`: 2 points or 30%."""
    for tenths in range(1, round(baseline * 10) + 1):
        level = round(baseline - tenths / 10, 1)
        change = nprs_change(baseline, level)
        if change.improved and change.meaningful:
            return level
    return None


def pain_chart(
    days: Sequence[date],
    pains: Sequence[float],
    *,
    baseline: float | None,
    title: str = "Pain each day, 0 to 10",
    start: date | None = None,
    end: date | None = None,
) -> str:
    """Daily pain from `start` to `end` (default: first to last day), gaps where none was given.

    A dotted line marks where the person started and a dashed line the meaningful-improvement
    level (2 points or 30% below the start).
    """
    axis, values = _daily(days, pains, start=start, end=end)
    chart = _line(title, axis, y_range=(0, 10), y_labels=[0, 2, 4, 6, 8, 10])
    _add_own(chart, values, "your pain", dots_size=4)
    if baseline is not None and _draws_lines(axis):
        chart.add(
            f"Dotted line: where you started, {baseline:g}/10",
            [baseline] * len(axis),
            stroke_style=DOTTED,
            show_dots=False,
        )
        level = meaningful_pain_level(baseline)
        if level is not None:
            chart.add(
                f"Dashed line: meaningful improvement, {level:g} or lower",
                [level] * len(axis),
                stroke_style=DASHED,
                show_dots=False,
            )
    return _render(chart)


def episodes_chart(
    days: Sequence[date],
    episodes: Sequence[int],
    *,
    baseline: float | None = None,
    title: str = "Spasm episodes each day",
    start: date | None = None,
    end: date | None = None,
) -> str:
    """Spasm episodes a day, with a dotted line at how many a day there were at the start."""
    axis, values = _daily(days, episodes, start=start, end=end)
    top = max([*(v for v in values if v is not None), baseline or 0, 4])
    step = max(1, math.ceil(top / 5))
    top = step * math.ceil((top + 1) / step)
    chart = _line(title, axis, y_range=(0, top), y_labels=list(range(0, top + 1, step)))
    _add_own(chart, values, "spasm episodes", dots_size=4)
    if baseline is not None and _draws_lines(axis):
        chart.add(
            f"Dotted line: where you started, {baseline:g} a day",
            [baseline] * len(axis),
            stroke_style=DOTTED,
            show_dots=False,
        )
    return _render(chart)


def exercise_days_chart(
    week_starts: Sequence[date],
    exercise_days: Sequence[int],
    *,
    today: date | None = None,
    title: str = "Days with exercise each week, out of 7",
) -> str:
    """One bar per 7-day week, numbered from 1; a week still going is an open, dashed bar."""
    partial = [today is not None and s + timedelta(days=6) > today for s in week_starts]
    # A bar of 0 days has no height: nothing dashed is drawn, so the axis title does not say so.
    dashed = any(p and n > 0 for p, n in zip(partial, exercise_days, strict=True))
    chart = pygal.Bar(
        **_config(title),
        range=(0, 8),
        y_labels=[0, 1, 2, 3, 4, 5, 6, 7],
        x_labels=[str(i) for i in range(1, len(week_starts) + 1)],
        x_title="Week" + (" (dashed bar: so far)" if dashed else ""),
        show_legend=False,
        print_values=True,
        print_values_position="top",
        print_zeroes=True,
    )
    values = [
        {"value": n, "node": {"class": "rect reactive so-far"}} if open_ else n
        for n, open_ in zip(exercise_days, partial, strict=True)
    ]
    chart.add("Days with exercise", values, formatter=lambda v: f"{v:g}")
    return _render(chart)


def startback_chart(
    dates: Sequence[date],
    totals: Sequence[int],
    *,
    next_due: date | None = None,
    title: str = "STarT Back score at each check, 0 to 9",
) -> str:
    """The STarT Back total at each assessment, with a dashed line at the low-risk limit.

    `next_due` adds an empty place for the next check, so even one score has a line to read
    it against.
    """
    axis = [day_label(d) for d in dates]
    values: list[int | None] = list(totals)
    if next_due is not None:
        axis.append(f"Due {day_label(next_due)}")
        values.append(None)
    chart = _line(title, axis, y_range=(0, STARTBACK_MAX), y_labels=list(range(10)))
    _add_own(chart, values, "your score", dots_size=5)
    if _draws_lines(axis):
        chart.add(
            f"Dashed line: low risk, {STARTBACK_LOW_RISK} or below",
            [STARTBACK_LOW_RISK] * len(axis),
            stroke_style=DASHED,
            show_dots=False,
        )
    return _render(chart)


def pain_words(
    days: Sequence[date],
    pains: Sequence[float],
    *,
    baseline: float | None,
    start: date | None = None,
    end: date | None = None,
) -> str:
    """E.g. "Pain fell from 6 to 3 out of 10 over 14 days. You started at 6. ...", naming the
    meaningful-improvement line only when the chart over `start` to `end` draws it."""
    if not days:
        return "No pain scores yet."
    level = None if baseline is None else meaningful_pain_level(baseline)
    started = "" if baseline is None else f"You started at {baseline:g}. "
    line = ""
    if level is not None:
        drawn = _axis_length(days, start=start, end=end) >= 2  # as _draws_lines on the axis
        line = (
            f"The meaningful-improvement line is at {level:g}."
            if drawn
            else f"A meaningful improvement would be {level:g} or lower."
        )
    tail = f" {started}{line}".rstrip()
    if len(days) == 1:
        return f"Pain was {pains[0]:g} out of 10 on {day_label(days[0])}.{tail}"
    span = _span(days)
    return f"Pain {_moved(pains[0], pains[-1])} out of 10 over {span}.{tail}"


def episodes_words(
    days: Sequence[date], episodes: Sequence[int], *, baseline: float | None = None
) -> str:
    if not days:
        return "No spasm counts yet."
    started = "" if baseline is None else f" You started with {baseline:g} a day."
    if len(days) == 1:
        return f"{_episodes(episodes[0])} on {day_label(days[0])}.{started}"
    moved = _moved(episodes[0], episodes[-1])
    return f"Spasm episodes a day {moved} over {_span(days)}.{started}"


def exercise_days_words(
    week_starts: Sequence[date],
    exercise_days: Sequence[int],
    *,
    today: date | None = None,
    latest: int | None = None,
) -> str:
    """Each week's exercise days; past `latest` weeks, the average over the whole weeks and
    then the latest weeks one by one (a year read out week by week helps no one)."""
    if not week_starts:
        return "No weeks yet."
    if len(exercise_days) != len(week_starts):
        raise ValueError("one count of exercise days for each week")
    first = 0 if latest is None else max(0, len(week_starts) - max(1, latest))
    parts = [
        f"{week_label(i, week_starts[i - 1], today)}: {n} day{'' if n == 1 else 's'}"
        for i, n in enumerate(exercise_days[first:], start=first + 1)
    ]
    if not first:
        return "Days with exercise each week, out of 7. " + "; ".join(parts) + "."
    # The average is over whole weeks: a week still going would pull it down.
    whole = [
        n
        for s, n in zip(week_starts, exercise_days, strict=True)
        if today is None or s + timedelta(days=6) <= today
    ]
    mean = sum(whole) / len(whole)
    return (
        f"Days with exercise each week, out of 7: {mean:.1f} on average over"
        f" {len(whole)} whole weeks. The latest {len(parts)}: " + "; ".join(parts) + "."
    )


def startback_words(
    dates: Sequence[date], totals: Sequence[int], *, next_due: date | None = None
) -> str:
    if not dates:
        return "No STarT Back scores yet."
    scale = f"out of {STARTBACK_MAX} ({STARTBACK_LOW_RISK} or below is low risk)"
    due = "" if next_due is None else f" Next check due {day_label(next_due)}."
    if len(dates) == 1:
        return f"STarT Back score {totals[0]} {scale} on {day_label(dates[0])}.{due}"
    first, last = day_label(dates[0]), day_label(dates[-1])
    moved = _moved(totals[0], totals[-1])
    return f"STarT Back score {moved} {scale}, from {first} to {last}.{due}"


def _draws_lines(axis: Sequence[str]) -> bool:
    """A line across the chart needs two places on the axis; over one it draws nothing."""
    return len(axis) >= 2


def _add_own(chart: Any, values: Sequence[float | None], what: str, *, dots_size: int) -> None:
    """The person's own values, named as drawn: dots, joined by a solid line only where two
    places in a row have one (a missing day breaks the line). No values: nothing to name."""
    if all(v is None for v in values):
        return
    joined = any(a is not None and b is not None for a, b in itertools.pairwise(values))
    name = f"Solid line with dots: {what}" if joined else f"Dots: {what}"
    chart.add(name, list(values), stroke_style=SOLID, dots_size=dots_size)


def _moved(before: float, after: float) -> str:
    if after < before:
        return f"fell from {before:g} to {after:g}"
    if after > before:
        return f"rose from {before:g} to {after:g}"
    return f"stayed at {after:g}"


def _episodes(n: int) -> str:
    return f"{n} spasm episode{'' if n == 1 else 's'}"


def _span(days: Sequence[date]) -> str:
    n = (days[-1] - days[0]).days + 1
    return f"{n} day{'' if n == 1 else 's'}"


def day_label(d: date) -> str:
    return f"{d.day} {d:%b}"


def week_label(number: int, start: date, today: date | None = None) -> str:
    """E.g. "Week 2 (from 10 Mar)", or "Week 3 (from 17 Mar, so far)" while it is still going."""
    so_far = ", so far" if today is not None and start + timedelta(days=6) > today else ""
    return f"Week {number} (from {day_label(start)}{so_far})"


def _axis_length(days: Sequence[date], *, start: date | None, end: date | None) -> int:
    """How many days `_daily` puts on the axis, without labelling a year of them."""
    first = start or (min(days) if days else None)
    last = end or (max(days) if days else None)
    if first is None or last is None or last < first:
        return 0
    return (last - first).days + 1


def _daily(
    days: Sequence[date], values: Sequence[float], *, start: date | None, end: date | None
) -> tuple[list[str], list[float | None]]:
    """Every day from start to end as an axis label, with the value or None (a gap)."""
    by_day = dict(zip(days, values, strict=True))
    first = start or (min(days) if days else None)
    last = end or (max(days) if days else None)
    if first is None or last is None or last < first:
        return [], []
    count = (last - first).days + 1
    axis = [first + timedelta(days=i) for i in range(count)]
    return [day_label(d) for d in axis], [by_day.get(d) for d in axis]


def _config(title: str) -> dict[str, Any]:
    return {
        "title": title,
        "width": WIDTH,
        "height": HEIGHT,
        "style": _style(),
        "js": [],
        "disable_xml_declaration": True,
        "explicit_size": False,
        "legend_at_bottom": True,
        "legend_at_bottom_columns": 1,
        "truncate_legend": -1,
        "truncate_label": -1,
        "margin": 12,
        "spacing": 8,
        "show_x_guides": False,
        "no_data_text": "Nothing to show yet",
        "no_prefix": True,
        "css": ["file://style.css", "file://graph.css", "inline:" + EXTRA_CSS],
    }


def _line(
    title: str, axis: Sequence[str], *, y_range: tuple[int, int], y_labels: list[int]
) -> pygal.Line:
    every = max(1, math.ceil(len(axis) / 5))
    return pygal.Line(
        **_config(title),
        range=y_range,
        y_labels=y_labels,
        x_labels=list(axis),
        margin_right=40,  # room for the last date label, centred on the last point
        x_labels_major_every=every,
        show_minor_x_labels=len(axis) <= 6,
        allow_interruptions=True,
    )


def _style() -> Style:
    return Style(
        background="#ffffff",
        plot_background="#ffffff",
        foreground=INK,
        foreground_strong=INK,
        foreground_subtle=GREY,
        colors=(INK, GREY, BLUE, BROWN),
        font_family="system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif",
        label_font_size=16,
        major_label_font_size=16,
        legend_font_size=16,
        title_font_size=18,
        value_font_size=16,
        no_data_font_size=20,
        guide_stroke_color="#c9d1d9",
        major_guide_stroke_color="#c9d1d9",
        opacity="1",
        opacity_hover="1",
        stroke_opacity="1",
        stroke_opacity_hover="1",
        transition="0ms",
    )


def _without_scripts(root: Any) -> Any:
    """pygal always adds an inline config script; an image never needs it."""
    for parent in list(root.iter()):
        for child in list(parent):
            if str(child.tag).rsplit("}", 1)[-1] == "script":
                parent.remove(child)
    return root


def _render(chart: Any) -> str:
    chart.add_xml_filter(_without_scripts)
    return str(chart.render(is_unicode=True))
