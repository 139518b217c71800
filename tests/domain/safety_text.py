"""Every piece of safety text a frightened person reads, and every cited item with its claim kind.

Safety text: every triage reason and its note, every safety-net line, each level's action, every
stop rule, every first-aid caution (how to use ice and heat, who should not), and every exercise
caution.
"""

from __future__ import annotations

from collections.abc import Iterator

from backcare.domain import catalogue, content
from backcare.domain.attention import rules as attention_rules
from backcare.domain.regions import regions
from backcare.domain.treatments import kinds as treatment_kinds

Item = tuple[str, str]  # (where, text)


def bullets() -> Iterator[Item]:
    """Safety strings shown as one bullet each."""
    triage = content.read("triage")
    for code, flag in triage["flags"].items():
        yield f"flags.{code}", flag["text"]
        if flag.get("note"):
            yield f"flags.{code}.note", flag["note"]
    for n, item in enumerate(triage["safety_net"]):
        yield f"safety_net[{n}]", item["text"]
    shared = catalogue.stop_rules()
    for name in ("pain", "graded", "leg", "leg_already", "spasm"):
        yield f"stop.{name}", getattr(shared, name)
    for e in catalogue.exercises().values():
        for n, line in enumerate(e.stop_also):
            yield f"{e.id}.stop_also[{n}]", line
        for n, line in enumerate(e.cautions):
            yield f"{e.id}.cautions[{n}]", line
    aid = catalogue.first_aid()
    for kind, item in (("cold", aid.cold), ("heat", aid.heat)):
        for n, line in enumerate(item.how):
            yield f"{kind}.how[{n}]", line
        for n, line in enumerate(item.avoid_if):
            yield f"{kind}.avoid_if[{n}]", line
    yield "pregnancy.heat", aid.pregnancy.heat


def actions() -> Iterator[Item]:
    """Each level's action: a few short sentences."""
    for level, entry in content.read("triage")["levels"].items():
        yield f"levels.{level}", entry["action"]


Cited = tuple[str, str, list[str]]  # (where, claim kind, source ids)


def cited() -> Iterator[Cited]:
    """Every item that cites sources, with the kind of claim it makes."""
    triage = content.read("triage")
    for code, flag in triage["flags"].items():
        yield f"flags.{code}", flag.get("claim", "warning_sign"), flag["sources"]
    for n, item in enumerate(triage["safety_net"]):
        yield f"safety_net[{n}]", "warning_sign", item["sources"]
    for level, entry in triage["levels"].items():
        yield f"levels.{level}", "referral", entry["sources"]
    for e in catalogue.exercises().values():
        yield f"exercises.{e.id}", f"exercise:{e.category}", e.sources
    aid = catalogue.first_aid()
    yield "first_aid.cold", "first_aid", aid.cold.sources
    yield "first_aid.heat", "first_aid", aid.heat.sources
    yield "first_aid.pregnancy", "pregnancy", aid.pregnancy.sources
    for p in aid.position:
        yield f"first_aid.position.{p.id}", "first_aid", p.sources
    for a in aid.advice:
        yield f"first_aid.advice.{a.id}", "first_aid", a.sources
    for number, phase in catalogue.phases().items():
        yield f"phase.{number}", "programme", phase.sources
    yield "pregnancy_set", "pregnancy", catalogue.pregnancy_set().sources
    for key, message in catalogue.messages().items():
        yield f"advice.{key}", message.claim, message.sources
    yield "stop", "programme", catalogue.stop_rules().sources
    for t in catalogue.topics().values():
        yield f"topics.{t.id}", t.claim or t.kind, t.sources
    for code, r in regions().items():
        yield f"regions.{code}", "emergency_number", list(r.source_ids)
    for kind, info in treatment_kinds().items():
        yield f"treatments.{kind}", "treatment_record", list(info.source_ids)
    for code, rule in attention_rules().items():
        yield f"attention.{code}", "attention", list(rule.source_ids)
