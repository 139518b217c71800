"""Who looked at my data: every audit row staff made on the patient's record, newest first."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from backcare.care.access import me
from backcare.care.models import AuditEvent
from backcare.lib.timezones import user_zone

PER_PAGE = 50


@login_required
@require_GET
def who_looked(request: HttpRequest) -> HttpResponse:
    patient = me(request)
    rows = (
        AuditEvent.objects.filter(patient=patient, actor__staff__isnull=False)
        .select_related("actor", "actor__staff")
        .order_by("-at", "-pk")
    )
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    zone = user_zone(patient)
    events = [
        {
            "who": e.actor.get_full_name() or e.actor.username,
            "role": e.actor.staff.get_role_display(),
            "what": e.get_action_display(),
            "when": e.at.astimezone(zone),
        }
        for e in page
    ]
    return render(request, "care/who_looked.html", {"page": page, "events": events})
