"""Downloads of the active plan: the printable PDF handout and the calendar file."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from backcare.care import handout
from backcare.care.access import access_active_plan, me


@login_required
@require_GET
@never_cache
def handout_pdf(request: HttpRequest) -> HttpResponse:
    patient = me(request)
    plan = access_active_plan(patient)
    data = handout.build(plan, patient, now=timezone.now())
    response = HttpResponse(handout.render_pdf(data), content_type="application/pdf")
    filename = f"backcare-programme-{data.day:%Y-%m-%d}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_GET
@never_cache
def calendar_ics(request: HttpRequest) -> HttpResponse:
    patient = me(request)
    plan = access_active_plan(patient)
    links = handout.Links(
        today=request.build_absolute_uri(reverse("today")),
        check_in=request.build_absolute_uri(reverse("check_in")),
        check=request.build_absolute_uri(reverse("check_start") + "?restart=1"),
    )
    body = handout.calendar_ics(plan, patient, links=links, now=timezone.now())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="backcare.ics"'
    return response
