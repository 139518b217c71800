"""Plain-text renderings of results, for a person reading a terminal."""

from __future__ import annotations

import textwrap

from backcare.domain.triage import Level, Triage

WIDTH = 78


def wrap(text: str, indent: str = "") -> str:
    return textwrap.fill(
        text, width=WIDTH, initial_indent=indent, subsequent_indent=" " * len(indent)
    )


def triage_text(t: Triage) -> str:
    banner = "!!! " + t.title.upper() + " !!!" if t.level is Level.EMERGENCY else t.title
    lines = [banner, "", wrap(t.action.text), wrap(f"(Source: {t.action.source})", "  ")]
    main = [r for r in t.reasons if r.level is t.level]
    other = [r for r in t.reasons if r.level is not t.level]
    for heading, group in (("Why:", main), ("Also noted:", other)):
        if group:
            lines += ["", heading]
            for r in group:
                lines += [wrap(r.text, "- "), wrap(f"Source: {r.source}", "  ")]
    if t.safety_net:
        lines += ["", "What would change this advice:"]
        lines += [wrap(a.text, "- ") for a in t.safety_net]
    if t.startback is not None:
        s = t.startback
        lines += [
            "",
            f"STarT Back: total {s.total}/9, distress {s.distress}/5, {s.risk.value} risk.",
        ]
    lines += ["", f"Triage policy {t.policy_version}. This is not a diagnosis."]
    return "\n".join(lines)
