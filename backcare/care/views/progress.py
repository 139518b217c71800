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
from dataclasses import dataclass
from datetime import date, timedelta
from html import escape
from typing import Any, NamedTuple

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
from backcare.care.models import AssessmentRecord, Plan, ProgressionStep, WeekSummary
from backcare.care.queries import day_number, plan_recheck, plan_today
from backcare.domain.episode import recheck_words
from backcare.lib.timezones import local_today

NO_CHECK_INS = "Check in daily to see your progress here."


class Week(NamedTuple):
    """A stored week of the episode: its seven days' values (None: no check-in)."""

    starts_on: date
    pains: list[int | None]
    spasms: list[int | None]

    @property
    def checked_in(self) -> int:
        return sum(p is not None for p in self.pains)

    @property
    def mean_pain(self) -> float:
        given = [p for p in self.pains if p is not None]
        return round(sum(given) / len(given), 1)

    @property
    def mean_spasms(self) -> float:
        given = [n for n in self.spasms if n is not None]
        return round(sum(given) / len(given), 1)


@dataclass(frozen=True)
class Data:
    """The person's episode as its weekly summaries: one row a week however long it has run.
    The daily lists for the line charts are unpacked from the weeks' seven days."""

    today: date
    start: date
    end: date
    weeks: list[Week]
    exercised: dict[date, int]
    baseline_pain: int | None
    baseline_episodes: int | None

    @property
    def week_starts(self) -> list[date]:
        weeks = (self.today - self.start).days // 7 + 1
        return [self.start + timedelta(days=7 * i) for i in range(weeks)]

    @property
    def exercise_days(self) -> list[int]:
        return [self.exercised.get(s, 0) for s in self.week_starts]

    @property
    def has_check_ins(self) -> bool:
        return bool(self.weeks)

    def weeks_numbered(self) -> list[Week | None]:
        """Each week of the episode so far, in order: its summary, or None without check-ins."""
        by_start = {w.starts_on: w for w in self.weeks}
        return [by_start.get(s) for s in self.week_starts]

    def daily(self, which: str) -> tuple[list[date], list[int]]:
        """Every day with a check-in and its pain ("pains") or spasm episodes ("spasms")."""
        days, values = [], []
        for w in self.weeks:
            for i, v in enumerate(getattr(w, which)):
                if v is not None:
                    days.append(w.starts_on + timedelta(days=i))
                    values.append(v)
        return days, values

    def ends(self, which: str) -> tuple[list[date], list[int]]:
        """The first and last check-in (one if there is only one), all the chart words need."""
        if not self.weeks:
            return [], []
        first, last = self.weeks[0], self.weeks[-1]
        head = next((i, v) for i, v in enumerate(getattr(first, which)) if v is not None)
        tail = next(
            (6 - i, v) for i, v in enumerate(reversed(getattr(last, which))) if v is not None
        )
        days = [first.starts_on + timedelta(days=head[0]), last.starts_on + timedelta(days=tail[0])]
        values = [head[1], tail[1]]
        return (days[:1], values[:1]) if days[0] == days[1] else (days, values)


def _data(patient: Any, plan: Plan, today: date) -> Data:
    """The whole episode, which may span several plans when a re-check changed the level: the
    plan's weekly summaries carry the episode's weeks from its first day. No check-in is ever
    after the plan's today (`plan_today` is never before the latest one)."""
    start = plan.episode_started_on
    rows = (
        WeekSummary.objects.filter(plan=plan, starts_on__gte=start, starts_on__lte=today)
        .order_by("starts_on")
        .values_list("starts_on", "pains", "spasms", "exercise_days")
    )
    weeks, exercised = [], {}
    for begin, pains, spasms, exercise_days in rows:
        week = Week(begin, pains, spasms)
        if week.checked_in:
            weeks.append(week)
        exercised[begin] = exercise_days
    return Data(
        today=today,
        start=start,
        end=charts.axis_end(start, today),
        weeks=weeks,
        exercised=exercised,
        baseline_pain=plan.episode_pain,
        baseline_episodes=plan.episode_spasms,
    )


@dataclass(frozen=True)
class Check:
    """One assessment: its day in the person's time zone, and STarT Back if it was answered."""

    on: date
    startback: dict[str, Any] | None


def _checks(patient: Any, plan: Plan) -> list[Check]:
    """The episode's checks, each on its day in the person's zone."""
    rows = (
        AssessmentRecord.objects.filter(patient=patient)
        .order_by("created_at")
        .values_list("created_at", "triage__startback")
    )
    checks = [Check(local_today(patient, at), startback or None) for at, startback in rows]
    return [c for c in checks if c.on >= plan.episode_started_on]


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
    context = {**progress_context(patient, plan, today), "no_check_ins": NO_CHECK_INS}
    return render(request, "care/progress.html", context)


def progress_context(
    patient: Any, plan: Plan, today: date, *, chart_url: Callable[[str], str] | None = None
) -> dict[str, Any]:
    """The numbers since the episode began, charted and tabled: the patient's Progress page and
    the clinician's view of the record show the same."""
    data = _data(patient, plan, today)
    checks = _checks(patient, plan)
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
        {**s, "body": _table_body(s["rows"]), "src": src(s["slug"])}
        for s in _sections(data, checks, recheck.due_on)
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


def _table_body(rows: list[tuple[Any, ...]]) -> SafeString:
    """The table's rows, every cell escaped; plain joins because a template loop (12 ms) and
    then `format_html_join` (10 ms) were most of a year-long episode's page."""
    return mark_safe(  # noqa: S308 (each cell is escaped on the line below)
        "\n".join(
            f'<tr><th scope="row">{escape(str(row[0]))}</th>'
            + "".join(f"<td>{escape(str(cell))}</td>" for cell in row[1:])
            + "</tr>"
            for row in rows
        )
    )


def _sections(data: Data, checks: list[Check], next_check: date | None) -> list[dict[str, Any]]:
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
    weeks = [(i, w) for i, w in enumerate(data.weeks_numbered(), start=1) if w is not None]
    out.append(
        {
            "slug": "pain",
            "heading": "Pain",
            "intro": pain_intro,
            "alt": charts.pain_words(
                days, pains, baseline=data.baseline_pain, start=data.start, end=data.end
            ),
            "caption": "Your average pain each week you checked in",
            "columns": ("Week", "Days checked in", "Average pain, 0 to 10"),
            "rows": [
                (charts.week_label(i, w.starts_on, data.today), w.checked_in, f"{w.mean_pain:g}")
                for i, w in weeks
            ],
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
            "caption": "Your spasm episodes a day, on average, each week you checked in",
            "columns": ("Week", "Days checked in", "Spasm episodes a day"),
            "rows": [
                (charts.week_label(i, w.starts_on, data.today), w.checked_in, f"{w.mean_spasms:g}")
                for i, w in weeks
            ],
        }
    )
    starts, counts = data.week_starts, data.exercise_days
    out.append(
        {
            "slug": "exercise",
            "heading": "Exercise days",
            "intro": (
                "How many days each week you did at least one of your exercises."
                " Weeks are 7 days counted from the day your plan began."
            ),
            "alt": charts.exercise_days_words(starts, counts, today=data.today),
            "caption": "Days with exercise each week, out of 7",
            "columns": ("Week", "Days with exercise"),
            "rows": [
                (charts.week_label(i, s, data.today), n)
                for i, (s, n) in enumerate(zip(starts, counts, strict=True), start=1)
            ],
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
    d = _data(patient, plan, today)
    days, pains = d.daily("pains")
    return charts.pain_chart(days, pains, baseline=d.baseline_pain, start=d.start, end=d.end)


def _spasms_svg(patient: Any, plan: Plan, today: date) -> str:
    d = _data(patient, plan, today)
    days, episodes = d.daily("spasms")
    return charts.episodes_chart(
        days, episodes, baseline=d.baseline_episodes, start=d.start, end=d.end
    )


def _exercise_svg(patient: Any, plan: Plan, today: date) -> str:
    d = _data(patient, plan, today)
    return charts.exercise_days_chart(d.week_starts, d.exercise_days, today=today)


def _startback_svg(patient: Any, plan: Plan, today: date) -> str:
    dates, totals = _scored(_checks(patient, plan))
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
