"""Learn: the reviewed education topics, open to everyone, with the causes found for the person."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from backcare.care.models import Plan
from backcare.domain import catalogue, content
from backcare.domain.assessment import Assessment
from backcare.domain.catalogue import Topic
from backcare.domain.causes import Cause, contributing_causes

# The kinds in the order a worried person is likely to want them, each with a plain heading.
GROUPS: tuple[tuple[str, str], ...] = (
    ("cause", "What can set off a spasm"),
    ("prevention", "Preventing the next one"),
    ("guidance", "Good to know"),
    ("recovery", "Recovery, flare-ups, work and sleep"),
    ("medicines", "Medicines"),
    ("treatment", "Treatments at a clinic"),
    ("reassurance", "Reassurance"),
)
EVIDENCE_HEADINGS = {"treatment": "What the guidelines say", "medicines": "What the guidelines say"}
MAX_QUERY_LENGTH = 100


@dataclass(frozen=True)
class Group:
    kind: str
    heading: str
    topics: list[Topic]


@require_GET
def learn_index(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    everything = list(catalogue.topics().values())
    shown = [t for t in everything if matches(t, query)] if query else everything
    groups = [
        Group(kind, heading, [t for t in shown if t.kind == kind]) for kind, heading in GROUPS
    ]
    context: dict[str, Any] = {
        "query": query,
        "groups": [g for g in groups if g.topics],
        "match_count": len(shown),
        "causes": [] if query else _causes_for(request),
    }
    return render(request, "care/learn_index.html", context)


def matches(topic: Topic, query: str) -> bool:
    """Case-insensitive search over everything a person reads on the topic page."""
    parts = [topic.title, topic.summary, *topic.body, *topic.habits, topic.evidence_note or ""]
    needle = query.casefold()
    return any(needle in part.casefold() for part in parts)


def _causes_for(request: HttpRequest) -> list[Cause]:
    patient = getattr(request, "patient", None)
    if patient is None:
        return []
    plan = Plan.objects.filter(patient=patient, is_active=True).select_related("assessment").first()
    if plan is None:
        return []
    answers = Assessment.model_validate_json(json.dumps(plan.assessment.answers))
    return list(contributing_causes(answers))


@require_GET
def learn_topic(request: HttpRequest, topic_id: str) -> HttpResponse:
    topic = catalogue.topics().get(topic_id)
    if topic is None:
        raise Http404("no such topic")
    topics = catalogue.topics()
    exercises = catalogue.exercises()
    known_sources = content.sources()
    context: dict[str, Any] = {
        "topic": topic,
        "group_heading": dict(GROUPS)[topic.kind],
        "evidence_heading": EVIDENCE_HEADINGS.get(topic.kind, "What the research says"),
        "exercises": [exercises[i] for i in topic.exercises if i in exercises],
        "related": [topics[i] for i in topic.related if i in topics],
        "sources": [known_sources[i] for i in topic.sources],
    }
    return render(request, "care/learn_topic.html", context)
