"""Each exercise on its own page, with its animated figure."""

from __future__ import annotations

from csp.decorators import csp_update
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from backcare.domain import catalogue, content
from backcare.domain.dosing import describe as describe_dose
from backcare.domain.figures.describe import describe
from backcare.domain.figures.poses import pose_sets
from backcare.domain.figures.render import animated_svg
from backcare.domain.stopping import stop_rules

MAX_HOLD = 120


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
            "figure_alt": describe(pose) if pose else "",
            "has_figure": pose is not None,
            "source": content.cite(exercise.sources),
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
    hold = exercise.dose.hold_seconds
    raw = request.GET.get("hold", "")
    if raw.isdigit() and 0 <= int(raw) <= MAX_HOLD:
        hold = int(raw)  # the person's own current hold, from Today
    svg = animated_svg(pose, describe(pose), hold_seconds=hold)
    response = HttpResponse(svg, content_type="image/svg+xml")
    response["Cache-Control"] = "public, max-age=86400"
    return response
