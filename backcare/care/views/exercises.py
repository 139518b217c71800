"""The exercise catalogue, and each exercise on its own page with its animated figure."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from csp.decorators import csp_update
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from backcare.care.queries import figure_alt
from backcare.domain import catalogue, content
from backcare.domain.catalogue import Exercise
from backcare.domain.dosing import describe as describe_dose
from backcare.domain.figures.describe import describe
from backcare.domain.figures.poses import pose_sets
from backcare.domain.figures.render import animated_svg
from backcare.domain.stopping import stop_rules

CATEGORIES = {
    "relaxation": "Relaxation",
    "mobility": "Mobility",
    "stretch": "Stretch",
    "activation": "Activation",
    "strength": "Strength",
    "conditioning": "Conditioning",
    "cool_down": "Cool-down",
}
MAX_HOLD = 120
# ASCII digits only: str.isdigit() also accepts "²" and "٣", which int() then refuses or reads.
HOLD = re.compile(r"[0-9]{1,3}")


@dataclass(frozen=True)
class PhaseGroup:
    number: int
    name: str
    goal: str
    exercises: tuple[tuple[Exercise, str], ...]  # (exercise, its category in words)


@cache
def phase_groups() -> tuple[PhaseGroup, ...]:
    """Every exercise once, under the phase where the programme first uses it, by category.

    Content never changes while the server runs, so this is worked out once per process.
    """
    phases = catalogue.phases()
    order = list(CATEGORIES)
    groups = []
    for number in sorted(phases):
        starting = [e for e in catalogue.exercises().values() if min(e.phases) == number]
        starting.sort(key=lambda e: (order.index(e.category), e.name))
        groups.append(
            PhaseGroup(
                number,
                phases[number].name,
                phases[number].goal,
                tuple((e, CATEGORIES[e.category]) for e in starting),
            )
        )
    return tuple(g for g in groups if g.exercises)


@require_GET
def exercise_index(request: HttpRequest) -> HttpResponse:
    return render(request, "care/exercises.html", {"groups": phase_groups()})


@require_GET
def exercise_page(request: HttpRequest, exercise_id: str) -> HttpResponse:
    exercise = catalogue.exercises().get(exercise_id)
    if exercise is None:
        raise Http404("no such exercise")
    pose = pose_sets().get(exercise_id)
    names = catalogue.exercises()
    return render(
        request,
        "care/exercise.html",
        {
            "exercise": exercise,
            "dose": describe_dose(exercise.dose),
            "stop_rules": stop_rules(exercise.id),
            "figure_alt": figure_alt(exercise_id),
            "has_figure": pose is not None,
            "source": content.cite(exercise.sources),
            "category": CATEGORIES[exercise.category],
            "easier": names.get(exercise.regression or ""),
            "harder": names.get(exercise.progression or ""),
        },
    )


@require_GET
@csp_update({"style-src": ["'unsafe-inline'"]})  # the figure's animation lives in its own <style>
def figure_svg(request: HttpRequest, exercise_id: str) -> HttpResponse:
    pose = pose_sets().get(exercise_id)
    exercise = catalogue.exercises().get(exercise_id)
    if pose is None or exercise is None:
        raise Http404("no figure")
    hold = _hold(request.GET.get("hold", ""), exercise.dose.hold_seconds)
    svg = animated_svg(pose, describe(pose), hold_seconds=hold)
    response = HttpResponse(svg, content_type="image/svg+xml")
    response["Cache-Control"] = "public, max-age=86400"
    return response


def _hold(raw: str, usual: int | None) -> int | None:
    """The person's own current hold from Today (`?hold=N`, 0 to 120 s), else the usual one."""
    if HOLD.fullmatch(raw) and int(raw) <= MAX_HOLD:
        return int(raw)
    return usual
