"""Plain-text renderings of results, for a person reading a terminal."""

from __future__ import annotations

import textwrap

from backcare.domain import catalogue
from backcare.domain.dosing import describe
from backcare.domain.plan import Plan
from backcare.domain.progress import Progression
from backcare.domain.regions import Region, regions
from backcare.domain.stopping import doses_change, stop_rules_for
from backcare.domain.triage import Level, Triage

WIDTH = 78


def wrap(text: str, indent: str = "") -> str:
    return textwrap.fill(
        text, width=WIDTH, initial_indent=indent, subsequent_indent=" " * len(indent)
    )


def call_lines(level: Level, region: Region | None) -> list[str]:
    """Who to phone, for the levels that need a phone: the person's own numbers, or every
    region's emergency number when we do not know where they are."""
    if level not in (Level.EMERGENCY, Level.URGENT):
        return []
    if region is None:
        known = ", ".join(f"{r.emergency} ({r.name})" for r in regions().values())
        return [wrap(f"Emergency numbers: {known}."), wrap("Use --region to show just yours.")]
    note = f" {region.emergency_note}" if region.emergency_note else ""
    lines = [f"CALL {region.emergency} for an emergency ({region.name}).{note}"]
    if region.advice_line:
        lines.append(
            wrap(
                f"Health advice: {region.advice_line}, {region.advice_number}. {region.advice_note}"
            )
        )
    lines.append(wrap(f"(Source: {region.source})", "  "))
    return lines


def triage_text(t: Triage, region: Region | None = None) -> str:
    banner = "!!! " + t.title.upper() + " !!!" if t.level is Level.EMERGENCY else t.title
    lines = [banner, "", wrap(t.action.text), wrap(f"(Source: {t.action.source})", "  ")]
    calls = call_lines(t.level, region)
    if calls:
        lines += ["", *calls]
    main = [r for r in t.reasons if r.level is t.level]
    other = [r for r in t.reasons if r.level is not t.level]
    for heading, group in (("Why:", main), ("Also noted:", other)):
        if group:
            lines += ["", heading]
            for r in group:
                lines.append(wrap(r.text, "- "))
                if r.note:
                    lines.append(wrap(f"({r.note})", "  "))
                lines.append(wrap(f"Source: {r.source}", "  "))
    if t.safety_net:
        lines += ["", "What would change this advice:"]
        lines += [wrap(a.text, "- ") for a in t.safety_net]
    if t.startback is not None:
        s = t.startback
        lines += [
            "",
            f"STarT Back: total {s.total}/9, distress {s.distress}/5, {s.risk.value} risk.",
        ]
    elif t.startback_skipped:
        lines += ["", "STarT Back: the person chose to skip these questions."]
    lines += ["", f"Triage policy {t.policy_version}. This is not a diagnosis."]
    return "\n".join(lines)


def plan_text(p: Plan, region: Region | None = None) -> str:
    lines = [triage_text(p.triage, region)]
    if p.state.phase is None:
        lines += ["", "No exercises: follow the advice above first."]
        return "\n".join(lines)
    template = catalogue.phases()[p.state.phase]
    lines += [
        "",
        "=" * WIDTH,
        f"YOUR PLAN: phase {p.state.phase}, {template.name}",
        wrap(template.goal),
    ]
    if p.first_aid is not None:
        lines += ["", "FIRST AID TODAY"]
        for t in p.first_aid.thermal:
            times = ", ".join(moment.strftime("%H:%M") for moment in t.suggested_times)
            item = t.content
            lines += [
                wrap(
                    f"{item.name}: {item.min_minutes}-{item.max_minutes} minutes, up to "
                    f"{item.max_per_day} times a day, with at least {item.skin_recovery_hours} "
                    f"hours for your skin to recover between goes (e.g. {times}). {t.why}",
                    "- ",
                ),
            ]
        for a in p.first_aid.advice:
            lines.append(wrap(f"{a.title}: {a.text}", "- "))
    lines += ["", "EXERCISES", wrap(doses_change(p.state).text)]
    for x in p.state.prescriptions:
        e = catalogue.exercises()[x.exercise]
        lines += ["", f"* {e.name}: {describe(x.dose)}", wrap(e.purpose, "    "), "    Stop if:"]
        lines += [wrap(rule, "    - ") for rule in stop_rules_for(p.state, x.exercise)]
    set_off = [c for c in p.causes if not c.may_help]
    may_help = [c for c in p.causes if c.may_help]
    if set_off:
        lines += ["", "WHAT MAY HAVE SET IT OFF"]
        lines += [wrap(f"{c.title}: {'; '.join(c.because)}.", "- ") for c in set_off]
    if may_help:
        lines += ["", "WHAT MAY HELP (not proven causes)"]
        lines += [wrap(f"{c.title}, because {'; '.join(c.because)}.", "- ") for c in may_help]
    lines += ["", "READ NEXT"]
    lines += [wrap(catalogue.topics()[t].title, "- ") for t in p.education[:5]]
    lines += [
        "",
        wrap(
            f"Check in daily. Your plan's next step is reviewed on {p.review_on}. Take the check "
            f"again on {p.reassess_on} (two weeks) and {p.follow_up_on} (six weeks). "
            f"({p.version})"
        ),
    ]
    return "\n".join(lines)


def progression_text(r: Progression, region: Region | None = None) -> str:
    lines: list[str] = []
    if r.retriage is not None:
        lines += ["PROGRAMME STOPPED", ""]
        if r.advice is not None:
            lines += [wrap(r.advice.text), ""]
        lines.append(triage_text(r.retriage, region))
        return "\n".join(lines)
    if r.advice is not None:
        lines += [wrap(r.advice.text), ""]
    lines += ["HOW YOU ARE DOING", *[wrap(s, "- ") for s in r.trend.summary], ""]
    lines += [f"YOUR PROGRAMME (phase {r.phase})"]
    names = catalogue.exercises()
    for d in r.decisions:
        # "*": a physiotherapist's lock or unlock of the whole programme, as the check-in page says.
        name = names[d.exercise].name if d.exercise in names else "Your programme"
        lines.append(wrap(f"{name}: {d.action.value}. {d.reason}", "- "))
    return "\n".join(lines)
