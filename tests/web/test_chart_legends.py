"""Chart legends and descriptions name only what the chart draws (Progress and the PDF)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from xml.etree import ElementTree

import pytest
from django.utils import timezone

from backcare.care import charts, handout
from backcare.care.actions import do_check_in
from backcare.domain.checkin import CheckIn as CheckInValue
from tests.web.people import People, today_of

NS = "{http://www.w3.org/2000/svg}"
DAY = date(2026, 3, 2)


def day(n: int) -> date:
    return DAY + timedelta(days=n)


@dataclass(frozen=True)
class Drawn:
    legend: str
    line_points: int  # places joined by the series' line (0: no line)
    dots: int
    dash: str  # the line's dash pattern, "" when solid


def drawing(svg: str) -> list[Drawn]:
    root = ElementTree.fromstring(svg)
    legends = [
        "".join(g.itertext()).strip()
        for g in root.iter(f"{NS}g")
        if g.get("class", "").startswith("legend ")
    ]
    style = "".join(s.text or "" for s in root.iter(f"{NS}style"))
    out = []
    for i, legend in enumerate(legends):
        groups = [g for g in root.iter(f"{NS}g") if f" serie-{i} " in f" {g.get('class', '')} "]
        points = max(
            [
                len(re.findall(r"-?[\d.]+", p.get("d", ""))) // 2
                for g in groups
                for p in g.iter(f"{NS}path")
                if "line" in p.get("class", "").split()
            ]
            or [0]
        )
        dots = sum(1 for g in groups for d in g.iter(f"{NS}g") if d.get("class") == "dots")
        dash = re.search(rf"\.series\.serie-{i}\{{[^}}]*stroke-dasharray:([\d,]+)", style)
        out.append(Drawn(legend, points, dots, dash.group(1) if dash else ""))
    return out


def assert_legends_name_only_what_is_drawn(svg: str) -> list[Drawn]:
    drawn = drawing(svg)
    for d in drawn:
        if d.legend.startswith("Solid line with dots"):
            assert d.line_points >= 2 and d.dots >= 1 and not d.dash, d
        elif d.legend.startswith("Dots:"):
            assert d.dots >= 1, d
        elif d.legend.startswith("Dotted line"):
            assert d.line_points >= 2 and d.dash == "1,6", d
        elif d.legend.startswith("Dashed line"):
            assert d.line_points >= 2 and d.dash == "12,6", d
        else:
            pytest.fail(f"a legend that says nothing of how it is drawn: {d.legend!r}")
    return drawn


Chart = Callable[[], str]
CASES: list[tuple[str, Chart]] = [
    ("pain, one day", lambda: charts.pain_chart([DAY], [4], baseline=4, start=DAY, end=DAY)),
    ("pain, one day on a week", lambda: charts.pain_chart([DAY], [4], baseline=4, end=day(6))),
    ("pain, days apart", lambda: charts.pain_chart([DAY, day(2)], [4, 3], baseline=5)),
    ("pain, days in a row", lambda: charts.pain_chart([DAY, day(1)], [4, 3], baseline=5)),
    ("pain, none yet", lambda: charts.pain_chart([], [], baseline=5, start=DAY, end=day(6))),
    ("pain, no baseline", lambda: charts.pain_chart([DAY], [4], baseline=None)),
    ("spasms, one day", lambda: charts.episodes_chart([DAY], [2], baseline=3, start=DAY)),
    ("spasms, a week", lambda: charts.episodes_chart([DAY, day(1)], [2, 1], baseline=3)),
    ("STarT Back, one", lambda: charts.startback_chart([DAY], [4])),
    ("STarT Back, one and due", lambda: charts.startback_chart([DAY], [4], next_due=day(14))),
    ("STarT Back, two", lambda: charts.startback_chart([DAY, day(14)], [5, 2])),
]


@pytest.mark.parametrize(("name", "chart"), CASES, ids=[c[0] for c in CASES])
def test_every_legend_names_something_drawn_as_it_says(name: str, chart: Chart) -> None:
    assert_legends_name_only_what_is_drawn(chart())


def test_one_day_draws_no_reference_lines_and_the_words_do_not_name_them() -> None:
    svg = charts.pain_chart([DAY], [4], baseline=4, start=DAY, end=DAY)
    assert [d.legend for d in drawing(svg)] == ["Dots: your pain"]
    words = charts.pain_words([DAY], [4], baseline=4, start=DAY, end=DAY)
    assert "line" not in words and "2.8 or lower" in words


def test_a_week_axis_draws_both_reference_lines_from_the_first_day() -> None:
    end = charts.axis_end(DAY, DAY)
    assert end == day(6)
    svg = charts.pain_chart([DAY], [4], baseline=4, start=DAY, end=end)
    legends = [d.legend for d in assert_legends_name_only_what_is_drawn(svg)]
    assert legends == [
        "Dots: your pain",
        "Dotted line: where you started, 4/10",
        "Dashed line: meaningful improvement, 2.8 or lower",
    ]
    words = charts.pain_words([DAY], [4], baseline=4, start=DAY, end=end)
    assert "The meaningful-improvement line is at 2.8." in words


@pytest.mark.parametrize(
    ("counts", "today", "named"),
    [([0], DAY, False), ([2], day(3), True), ([3, 0], day(8), False), ([3, 1], day(8), True)],
)
def test_the_dashed_bar_is_named_only_when_it_has_a_height(
    counts: list[int], today: date, named: bool
) -> None:
    starts = [day(7 * i) for i in range(len(counts))]
    svg = charts.exercise_days_chart(starts, counts, today=today)
    assert ("dashed bar: so far" in svg) is named
    root = ElementTree.fromstring(svg)
    dashed = [
        r
        for r in root.iter(f"{NS}rect")
        if "so-far" in r.get("class", "") and float(r.get("height", "0")) > 0
    ]
    assert bool(dashed) is named


@pytest.mark.django_db
def test_the_day_one_pdf_charts_draw_every_line_their_legends_and_captions_name(
    team: People,
) -> None:
    today = today_of(team.maya)
    value = CheckInValue.model_validate(
        {"date": today, "pain_now": 3, "spasm_episodes": 2, "new_warning_signs": []}
    )
    do_check_in(team.maya, team.maya.patient, value, now=timezone.now())
    made = handout.build(team.maya_plan, team.maya, now=timezone.now())
    assert made.day_number == 1 and len(made.charts) == 2
    (pain_words, pain_svg), (spasm_words, spasm_svg) = made.charts
    pain = assert_legends_name_only_what_is_drawn(pain_svg)
    assert [d.legend.split(":")[0] for d in pain] == ["Dots", "Dotted line", "Dashed line"]
    assert "meaningful-improvement line" in pain_words
    spasms = assert_legends_name_only_what_is_drawn(spasm_svg)
    assert [d.legend.split(":")[0] for d in spasms] == ["Dots", "Dotted line"]
    assert "line" not in spasm_words
