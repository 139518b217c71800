"""Progress: pain, spasms, exercise days and the STarT Back score since the plan began.

Everything comes from the logged-in person's own records, in a fixed handful of queries: one for
the plan, one for its weekly summaries (`WeekSummary`, a row a week, kept current by every
check-in write: backcare/care/weeks.py), one for the latest progression summary and one for the
assessments. The page's tables are weekly too, so it costs the same on day 365 as on day 1; the
line charts unpack each week's seven days and draw every day as before. Each chart is its own
SVG response, embedded with `<img>`, with its numbers also in a table on the page.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from html import escape
from typing import Any

from csp.decorators import csp_update
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from backcare.care import charts
from backcare.care.access import access_active_plan, me
from backcare.care.models import Plan, ProgressionStep
from backcare.care.progress_data import Check, Data, episode_checks, episode_data
from backcare.care.queries import day_number, plan_recheck, plan_today
from backcare.domain.episode import recheck_words

NO_CHECK_INS = "Check in daily to see your progress here."
RECENT_WEEKS = 12  # the weekly tables show this many latest weeks unless every week is asked for
EVERY_WEEK = "weeks"  # the query parameter (?weeks=all) that asks for every week's row


def wants_every_week(request: HttpRequest) -> bool:
    """Whether the page was asked for every week's row (`?weeks=all`); anything else is the
    latest weeks, so a stray value shows the usual page rather than an error."""
    return request.GET.get(EVERY_WEEK) == "all"


def _scored(checks: list[Check]) -> tuple[list[date], list[int]]:
    scored = [c for c in checks if c.startback]
    return [c.on for c in scored], [int(c.startback["total"]) for c in scored if c.startback]


@login_required
@require_GET
def progress_page(request: HttpRequest) -> HttpResponse:
    try:
        patient = me(request)
        plan = access_active_plan(patient)
    except Http404:
        messages.info(request, "Take the check first: your progress is measured from it.")
        return redirect("check_start")
    today = plan_today(plan, patient, timezone.now())
    every_week = wants_every_week(request)
    context = {
        **progress_context(patient, plan, today, every_week=every_week),
        "no_check_ins": NO_CHECK_INS,
    }
    return render(request, "care/progress.html", context)


def progress_context(
    patient: Any,
    plan: Plan,
    today: date,
    *,
    chart_url: Callable[[str], str] | None = None,
    every_week: bool = False,
) -> dict[str, Any]:
    """The numbers since the episode began, charted and tabled: the patient's Progress page and
    the clinician's view of the record show the same. The charts draw every day; the weekly
    tables hold the latest RECENT_WEEKS weeks (so the page costs the same on day 365 as on
    day 1) unless `every_week`, with a link to the rest."""
    data = episode_data(plan, today)
    checks = episode_checks(patient, plan)
    trend = (
        ProgressionStep.objects.filter(plan=plan)
        .order_by("-created_at", "-pk")
        .values_list("result__trend__summary", flat=True)
        .first()
    )
    summary = list(trend or []) if data.has_check_ins else []
    recheck = plan_recheck(plan, today)
    src = chart_url or (lambda slug: reverse("progress_chart", args=[slug]))
    sections = [
        {
            **s,
            "head": _table_head(s["columns"]),
            "body": _table_body(s["rows"]),
            "src": src(s["slug"]),
        }
        for s in _sections(data, checks, recheck.due_on, every_week=every_week)
    ]
    if not data.has_check_ins:  # empty daily charts say nothing; a questionnaire score still does
        sections = [s for s in sections if s["slug"] == "startback"]
    return {
        "summary": summary,
        "no_check_ins": NO_CHECK_INS,
        "has_check_ins": data.has_check_ins,
        "day_number": day_number(plan, today),
        "sections": sections,
        "recheck": recheck,
        "recheck_words": recheck_words(recheck),
    }


def _table_head(columns: tuple[str, ...]) -> SafeString:
    return mark_safe(  # noqa: S308 (each heading is escaped here)
        "<tr>" + "".join(f'<th scope="col">{escape(c)}</th>' for c in columns) + "</tr>"
    )


def _table_body(rows: list[tuple[Any, ...]]) -> SafeString:
    """The table's rows, every cell escaped (a week's label once, for all three tables; a count
    needs none); plain joins because a template loop (12 ms) and then `format_html_join`
    (10 ms) were most of a year-long episode's page."""
    return mark_safe(  # noqa: S308 (each cell is escaped by _cell)
        "\n".join(
            f'<tr><th scope="row">{_cell(row[0])}</th>'
            + "".join(f"<td>{_cell(cell)}</td>" for cell in row[1:])
            + "</tr>"
            for row in rows
        )
    )


def _cell(value: Any) -> str:
    kind = type(value)
    if kind is SafeString or kind is int:
        return str(value)
    return escape(str(value))


def _sections(
    data: Data, checks: list[Check], next_check: date | None, *, every_week: bool = False
) -> list[dict[str, Any]]:
    out = []
    level = None if data.baseline_pain is None else charts.meaningful_pain_level(data.baseline_pain)
    pain_intro = "Your pain each day you checked in, from 0 (no pain) to 10 (the worst)."
    if data.baseline_pain is not None:
        pain_intro += f" The dotted line is where you started, {data.baseline_pain}/10."
    if level is not None:
        pain_intro += (
            f" The dashed line marks a meaningful improvement: {level:g}/10 or lower,"
            " that is 2 points or 30% below where you started."
        )
    days, pains = data.ends("pains")
    starts = data.week_starts
    # The weeks the tables show: every one, or the latest RECENT_WEEKS (numbered from `first`).
    first = 1 if every_week else max(1, len(starts) - RECENT_WEEKS + 1)
    # What the weekly tables say of the weeks they leave out, or that they hold every one.
    weekly: dict[str, Any] = {"recent": RECENT_WEEKS, "earlier": first - 1, "every_week": False}
    suffix = f": the latest {RECENT_WEEKS} weeks" if first > 1 else ""
    if every_week and len(starts) > RECENT_WEEKS:
        weekly["every_week"], suffix = True, ": every week"
    # Each shown week's label once for the three tables.
    labels = {
        i: mark_safe(escape(charts.week_label(i, s, data.today)))  # noqa: S308 (escaped here)
        for i, s in enumerate(starts[first - 1 :], start=first)
    }
    numbered = data.weeks_numbered()[first - 1 :]
    weeks = [(i, w) for i, w in enumerate(numbered, start=first) if w is not None]
    out.append(
        {
            "slug": "pain",
            "heading": "Pain",
            "intro": pain_intro,
            "alt": charts.pain_words(
                days, pains, baseline=data.baseline_pain, start=data.start, end=data.end
            ),
            "caption": "Your average pain each week you checked in" + suffix,
            "columns": ("Week", "Days checked in", "Average pain, 0 to 10"),
            "rows": [(labels[i], w.checked_in, f"{w.mean_pain:g}") for i, w in weeks],
            **weekly,
        }
    )
    episodes_intro = "How many spasm episodes you had each day you checked in."
    if data.baseline_episodes is not None:
        episodes_intro += (
            f" The dotted line is how many a day you had when you started:"
            f" {data.baseline_episodes}."
        )
    days, episodes = data.ends("spasms")
    out.append(
        {
            "slug": "spasms",
            "heading": "Spasm episodes",
            "intro": episodes_intro,
            "alt": charts.episodes_words(days, episodes, baseline=data.baseline_episodes),
            "caption": "Your spasm episodes a day, on average, each week you checked in" + suffix,
            "columns": ("Week", "Days checked in", "Spasm episodes a day"),
            "rows": [(labels[i], w.checked_in, f"{w.mean_spasms:g}") for i, w in weeks],
            **weekly,
        }
    )
    counts = data.exercise_days
    out.append(
        {
            "slug": "exercise",
            "heading": "Exercise days",
            "intro": (
                "How many days each week you did at least one of your exercises."
                " Weeks are 7 days counted from the day your plan began."
            ),
            "alt": charts.exercise_days_words(
                starts, counts, today=data.today, latest=RECENT_WEEKS
            ),
            "caption": "Days with exercise each week, out of 7" + suffix,
            "columns": ("Week", "Days with exercise"),
            "rows": [(labels[i], counts[i - 1]) for i in labels],
            **weekly,
        }
    )
    dates, totals = _scored(checks)
    if dates:
        risks = [str(c.startback.get("risk", "")).capitalize() for c in checks if c.startback]
        out.append(
            {
                "slug": "startback",
                "heading": "STarT Back score",
                "intro": (
                    "The STarT Back questionnaire from each check you have taken, scored 0 to 9."
                    f" {charts.STARTBACK_LOW_RISK} or below is low risk; the dashed line marks it."
                ),
                "alt": charts.startback_words(dates, totals, next_due=next_check),
                "caption": "Your STarT Back score at each check",
                "columns": ("Check", "Score, 0 to 9", "Risk"),
                "rows": [
                    (charts.day_label(d), t, r)
                    for d, t, r in zip(dates, totals, risks, strict=True)
                ],
            }
        )
    return out


def _pain_svg(patient: Any, plan: Plan, today: date) -> str:
    d = episode_data(plan, today)
    days, pains = d.daily("pains")
    return charts.pain_chart(days, pains, baseline=d.baseline_pain, start=d.start, end=d.end)


def _spasms_svg(patient: Any, plan: Plan, today: date) -> str:
    d = episode_data(plan, today)
    days, episodes = d.daily("spasms")
    return charts.episodes_chart(
        days, episodes, baseline=d.baseline_episodes, start=d.start, end=d.end
    )


def _exercise_svg(patient: Any, plan: Plan, today: date) -> str:
    d = episode_data(plan, today)
    return charts.exercise_days_chart(d.week_starts, d.exercise_days, today=today)


def _startback_svg(patient: Any, plan: Plan, today: date) -> str:
    dates, totals = _scored(episode_checks(patient, plan))
    if not dates:
        raise Http404("no STarT Back scores")
    return charts.startback_chart(dates, totals, next_due=plan_recheck(plan, today).due_on)


CHARTS: dict[str, Callable[[Any, Plan, date], str]] = {
    "pain": _pain_svg,
    "spasms": _spasms_svg,
    "exercise": _exercise_svg,
    "startback": _startback_svg,
}


@login_required
@require_GET
@never_cache
@csp_update({"style-src": ["'unsafe-inline'"]})  # pygal's <style>; this response only
def chart_svg(request: HttpRequest, chart: str) -> HttpResponse:
    build = CHARTS.get(chart)
    if build is None:
        raise Http404("no such chart")
    patient = me(request)
    plan = access_active_plan(patient)
    svg = build(patient, plan, plan_today(plan, patient, timezone.now()))
    return HttpResponse(svg, content_type="image/svg+xml")
