"""The printable handout (a PDF made with WeasyPrint) and the calendar file (.ics) of a plan.

Both are built from the same pieces as Today: the stored plan state, today's first aid, the
exercises with their doses in words, and the triage safety net. Nothing here fetches anything
over the network: the stylesheet is read from the static folder and no other resource is allowed.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from icalendar import TRANSP, Alarm, Calendar, Event
from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher

from backcare.care import charts
from backcare.care.actions import base_state
from backcare.care.models import CheckIn, Patient, Plan, ProgressionStep
from backcare.care.queries import (
    day_number,
    latest_result,
    plan_recheck,
    plan_state,
    plan_today,
)
from backcare.domain import catalogue, content
from backcare.domain.catalogue import Exercise, PhaseTemplate
from backcare.domain.dosing import describe
from backcare.domain.episode import Recheck, recheck_words
from backcare.domain.figures.poses import pose_sets
from backcare.domain.figures.render import static_svg
from backcare.domain.firstaid import FirstAidToday, ThermalPlan, first_aid_for
from backcare.domain.plan import PlanState
from backcare.domain.regions import Region
from backcare.domain.stopping import stop_rules_for
from backcare.domain.triage import Level, level_advice, safety_net
from backcare.lib.regions import person_region
from backcare.lib.timezones import user_zone

PRODID = "-//backcare//backcare programme//EN"
EXERCISE_TIME = time(18, 0)
EXERCISE_MINUTES = 30
CHECK_IN_TIME = time(20, 0)
CHECK_IN_MINUTES = 5
HANDOUT_CSS = "backcare/handout.css"


@dataclass(frozen=True, slots=True)
class HandoutExercise:
    exercise: Exercise
    dose_text: str
    why: str
    source: str
    figures: tuple[tuple[str, str], ...] = ()  # (caption, data URI): the start and end positions
    stop_rules: tuple[str, ...] = ()  # each finishes "Stop if ..."


@dataclass(frozen=True, slots=True)
class Notice:
    """Something to do now, or a note about the plan, as triage or progression worded it."""

    title: str
    text: str
    source: str
    reasons: tuple[tuple[str, str], ...] = ()
    lead: str = ""


@dataclass(frozen=True, slots=True)
class WarningSign:
    text: str
    source: str


@dataclass(frozen=True, slots=True)
class Handout:
    day: date
    day_number: int
    recheck: Recheck
    recheck_words: str
    level: Level
    stopped: bool
    phase_number: int | None
    phase: PhaseTemplate | None
    act_now: Notice | None
    note: Notice | None
    exercises: tuple[HandoutExercise, ...]
    first_aid: FirstAidToday | None
    thermal: tuple[tuple[ThermalPlan, str], ...]
    emergency_signs: tuple[WarningSign, ...]
    warning_signs: tuple[WarningSign, ...]
    emergency_action: str
    sources: tuple[content.Source, ...]
    region: Region
    # The charts: (title, SVG text) pairs drawn in the PDF when non-empty.
    charts: list[tuple[str, str]] = field(default_factory=list)

    @property
    def allows_exercise(self) -> bool:
        return self.act_now is None

    @property
    def chart_images(self) -> list[tuple[str, str]]:
        """(title, data: URI) for each chart, drawn as an image so its styles stay its own."""
        return [(title, svg_data_uri(svg)) for title, svg in self.charts]


def build(plan: Plan, patient: Patient, *, now: datetime, with_charts: bool = True) -> Handout:
    """Everything the handout shows for the plan on the person's own today."""
    state = plan_state(plan)
    level = Level(plan.level)
    day = plan_today(plan, patient, now)
    days_in = (day - plan.created_on).days
    latest = latest_result(plan)
    stopped = bool(latest and latest.get("status") == "stop")
    act_now = _act_now(plan, latest) if stopped or not level.allows_exercise else None
    exercising = act_now is None
    note = _note(plan, level, latest) if exercising else None
    aid = first_aid_for(state.assessment, days_in, level.value) if exercising else None
    exercises = tuple(
        _exercise(p.exercise, p.dose, p.why, stop_rules_for(state, p.exercise))
        for p in state.prescriptions
    )
    phase = catalogue.phases()[state.phase] if state.phase and exercising else None
    _, emergency = level_advice(Level.EMERGENCY)
    signs = safety_net(Level.SELF_CARE)  # every sign that would make a self-care plan serious
    emergency_signs = safety_net(Level.URGENT)  # the signs more serious than urgent
    region = person_region(patient)
    return Handout(
        day=day,
        day_number=day_number(plan, day),
        recheck=(recheck := plan_recheck(plan, day)),
        recheck_words=recheck_words(recheck),
        level=level,
        stopped=stopped,
        phase_number=state.phase if phase else None,
        phase=phase,
        act_now=act_now,
        note=note,
        exercises=exercises if exercising else (),
        first_aid=aid,
        thermal=tuple((t, content.cite(t.content.sources)) for t in aid.thermal) if aid else (),
        emergency_signs=tuple(WarningSign(a.text, a.source) for a in emergency_signs),
        warning_signs=tuple(
            WarningSign(a.text, a.source) for a in signs if a not in emergency_signs
        ),
        emergency_action=emergency.text,
        sources=_sources(
            state, phase, aid, exercising, (*signs, emergency, region), (act_now, note)
        ),
        region=region,
        charts=charts_for(plan, day) if exercising and with_charts else [],
    )


def charts_for(plan: Plan, day: date) -> list[tuple[str, str]]:
    """(title, SVG text) for each chart to print: pain and spasms since the plan started.

    Nothing until the first check-in: an empty chart tells a reader nothing.
    """
    rows = list(
        CheckIn.objects.filter(patient_id=plan.patient_id, date__gte=plan.created_on, date__lte=day)
        .order_by("date")
        .values_list("date", "pain_now", "spasm_episodes")
    )
    if not rows:
        return []
    days = [d for d, _, _ in rows]
    pains = [float(p) for _, p, _ in rows]
    episodes = [e for _, _, e in rows]
    start = base_state(plan).assessment
    pain0, episodes0 = start.pain_now, start.spasm_episodes_per_day
    first, last = plan.created_on, charts.axis_end(plan.created_on, day)  # the axis of Progress
    return [
        (
            charts.pain_words(days, pains, baseline=pain0, start=first, end=last),
            charts.pain_chart(days, pains, baseline=pain0, start=first, end=last),
        ),
        (
            charts.episodes_words(days, episodes, baseline=episodes0),
            charts.episodes_chart(days, episodes, baseline=episodes0, start=first, end=last),
        ),
    ]


# A style rule with no selector (pygal's no_prefix leaves "{...}" for the chart's own rules)
# makes WeasyPrint drop the whole <style>, and every shape is then painted black.
_SELECTORLESS_RULE = re.compile(r"(?<=[>}\n])\s*\{")


def svg_data_uri(svg: str) -> str:
    """A data: URI of the SVG, its selector-less style rules given the `svg` selector."""
    head, sep, rest = svg.partition("<style")
    if sep:
        style, end, tail = rest.partition("</style>")
        svg = head + sep + _SELECTORLESS_RULE.sub("svg{", style) + end + tail
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode("ascii")


def _exercise(
    exercise_id: str, dose: catalogue.Dose, why: str, stop_rules: tuple[str, ...]
) -> HandoutExercise:
    e = catalogue.exercises()[exercise_id]
    return HandoutExercise(
        e, describe(dose), why, content.cite(e.sources), _figures(e.id, e.name), stop_rules
    )


def _figures(exercise_id: str, name: str) -> tuple[tuple[str, str], ...]:
    """Still figures of the first and last positions (print cannot move)."""
    pose = pose_sets().get(exercise_id)
    if pose is None:
        return ()
    ends = sorted({0, len(pose.frames) - 1})
    return tuple(
        (pose.frames[i].label.capitalize(), svg_data_uri(static_svg(pose, i, name))) for i in ends
    )


def _triage_notice(result: dict[str, Any]) -> Notice:
    return Notice(
        title=result["title"],
        text=result["action"]["text"],
        source=result["action"]["source"],
        reasons=tuple((r["text"], r["source"]) for r in result.get("reasons", ())),
    )


def _act_now(plan: Plan, latest: dict[str, Any] | None) -> Notice:
    """For a stopped programme, the new triage with the reason it stopped; else the plan's own."""
    if latest and latest.get("status") == "stop" and latest.get("retriage"):
        notice = _triage_notice(latest["retriage"])
        advice = latest.get("advice") or {}
        return replace(notice, lead=advice.get("text", ""))
    return _triage_notice(plan.assessment.triage)


def _note(plan: Plan, level: Level, latest: dict[str, Any] | None) -> Notice | None:
    advice = latest.get("advice") if latest else None
    if advice:
        return Notice("Have your back assessed", advice["text"], advice["source"])
    if level is Level.SEE_DOCTOR:
        return _triage_notice(plan.assessment.triage)
    return None


def _sources(
    state: PlanState,
    phase: PhaseTemplate | None,
    aid: FirstAidToday | None,
    exercising: bool,
    signs: Iterable[Any],
    notices: Iterable[Notice | None],
) -> tuple[content.Source, ...]:
    """Every source the handout cites, once each, in the order they first appear."""
    known = content.sources()
    by_short = {s.short: s.id for s in known.values()}
    ids: list[str] = []
    for notice in notices:
        if notice is not None:
            # Stored triage results carry sources as cited text; find their ids again.
            for cited in (notice.source, *(source for _, source in notice.reasons)):
                ids += [by_short[part] for part in cited.split("; ") if part in by_short]
    if phase:
        ids += phase.sources
    if exercising:
        for p in state.prescriptions:
            ids += catalogue.exercises()[p.exercise].sources
    if aid:
        for t in aid.thermal:
            ids += t.content.sources
        for pos in aid.positions:
            ids += pos.sources
    for s in signs:
        ids += s.source_ids
    return tuple(known[i] for i in dict.fromkeys(ids) if i in known)


# The PDF ---------------------------------------------------------------------------------------


def _stylesheet_path() -> Path:
    found = finders.find(HANDOUT_CSS)
    if found:
        return Path(found)
    return Path(settings.BASE_DIR) / "backcare" / "static" / HANDOUT_CSS


def render_pdf(handout: Handout) -> bytes:
    """The handout as a PDF. Only local files may be read: no network, whatever the HTML says."""
    html = render_to_string("care/handout.html", {"h": handout})
    css_path = _stylesheet_path()
    fetcher = URLFetcher(allowed_protocols={"file", "data"})
    document = HTML(string=html, base_url=str(css_path.parent), url_fetcher=fetcher)
    stylesheet = CSS(filename=str(css_path), url_fetcher=fetcher)
    return document.write_pdf(stylesheets=[stylesheet])


# The calendar ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Links:
    today: str
    check_in: str
    check: str


COMING_DAYS = 28


def calendar_ics(plan: Plan, patient: Patient, *, links: Links, now: datetime) -> bytes:
    """Daily exercise sessions and check-in reminders for the coming four weeks, from today, and
    the next check on the day it is due (today, when it is overdue).

    The file is made afresh from today at each download, so it never ends in the past. UIDs
    depend only on the plan and the kind of event, so importing it again updates the events
    instead of adding a second copy.
    """
    zone = user_zone(patient)
    handout = build(plan, patient, now=now, with_charts=False)
    first_day = handout.day
    until_day = first_day + timedelta(days=COMING_DAYS - 1)
    check_day = max(handout.recheck.due_on, first_day)
    stamp = now.astimezone(UTC)
    modified = plan.updated_at.astimezone(UTC)
    sequence = ProgressionStep.objects.filter(plan=plan).count()

    cal = Calendar.new(prodid=PRODID, name="backcare", uid=_uid(plan, "calendar"))
    cal.add("calscale", "GREGORIAN")

    def daily(kind: str, at: time, minutes: int, summary: str, description: str, url: str) -> Event:
        start = datetime.combine(first_day, at, tzinfo=zone)
        last = datetime.combine(until_day, at, tzinfo=zone)
        event = Event.new(
            uid=_uid(plan, kind),
            stamp=stamp,
            last_modified=modified,
            sequence=sequence,
            summary=summary,
            description=description,
            start=start,
            end=start + timedelta(minutes=minutes),
            url=url,
        )
        event.add("rrule", {"freq": "daily", "until": last.astimezone(UTC)})
        return event

    if handout.exercises:
        lines = [f"- {x.exercise.name}: {x.dose_text}" for x in handout.exercises]
        description = "\n".join(
            [
                f"Your backcare exercises (doses as of {handout.day.day} {handout.day:%B %Y}):",
                *lines,
                "",
                "Stop any exercise that makes your pain clearly worse.",
                f"Today's plan, always up to date: {links.today}",
            ]
        )
        cal.add_component(
            daily(
                "exercises",
                EXERCISE_TIME,
                EXERCISE_MINUTES,
                "backcare exercises",
                description,
                links.today,
            )
        )

    check_in = daily(
        "check-in",
        CHECK_IN_TIME,
        CHECK_IN_MINUTES,
        "backcare check-in",
        f"How is your back today? A one-minute check-in keeps your programme right for you: "
        f"{links.check_in}",
        links.check_in,
    )
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", "backcare check-in: how is your back today?")
    alarm.add("trigger", timedelta(0))
    check_in.add_component(alarm)
    cal.add_component(check_in)

    cal.add_component(
        Event.new(
            uid=_uid(plan, "reassess"),
            stamp=stamp,
            last_modified=modified,
            sequence=sequence,
            summary="Re-assess your back with backcare",
            description="Your two-weekly check is due. Taking it again shows how far you have "
            f"come and keeps your plan right for you: {links.check}",
            start=check_day,
            end=check_day + timedelta(days=1),
            url=links.check,
            transparency=TRANSP.TRANSPARENT,
        )
    )
    # A year of the zone's rules covers the events and lets programs recognise the zone.
    cal.add_missing_timezones(
        first_date=first_day - timedelta(days=1),
        last_date=max(until_day, check_day, first_day + timedelta(days=366)),
    )
    return cal.to_ical()


def _uid(plan: Plan, kind: str) -> str:
    return f"backcare-plan-{plan.pk}-{kind}@backcare"
