"""A clinic administrator's webhooks page: add an endpoint (its signing secret shown once),
rotate the secret, switch it off, and see the recent deliveries and how they went."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from backcare.accounts.models import StaffMember
from backcare.clinic import webhooks as actions
from backcare.clinic.guards import staff_required
from backcare.clinic.models import WebhookDelivery, WebhookEndpoint
from backcare.clinic.models.webhooks import EVENTS

# What each event means, for the administrator choosing them (the code is what is sent).
EVENT_WORDS = {
    "warning_sign.reported": "A patient reports a warning sign",
    "appointment.booked": "An appointment is booked or moved",
    "appointment.cancelled": "An appointment is cancelled",
}


def _page(
    request: HttpRequest,
    *,
    problems: list[str],
    shown: dict[str, str],
    chosen: list[str],
    status: int = 200,
) -> HttpResponse:
    me: StaffMember = request.staff  # type: ignore[attr-defined]
    endpoints = WebhookEndpoint.objects.filter(clinic_id=me.clinic_id).order_by("-created_at")
    recent = WebhookDelivery.objects.filter(endpoint__clinic_id=me.clinic_id).select_related(
        "endpoint"
    )[:20]
    context = {
        "endpoints": endpoints,
        "recent": recent,
        "events": [
            {"code": e, "words": EVENT_WORDS.get(e, e), "chosen": e in chosen} for e in EVENTS
        ],
        "problems": problems,
        "shown": shown,
        "secret": request.session.pop("webhook_secret", None),
    }
    return render(request, "clinic/webhooks.html", context, status=status)


@require_http_methods(["GET", "POST"])
@staff_required(admin=True)
def webhooks_page(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _page(request, problems=[], shown={"url": ""}, chosen=list(EVENTS))
    url = request.POST.get("url", "")
    chosen = request.POST.getlist("events")
    endpoint, problems = actions.do_add_endpoint(
        request.staff,  # type: ignore[attr-defined]
        url=url,
        events=chosen,
        now=timezone.now(),
    )
    if endpoint is None:
        return _page(request, problems=problems, shown={"url": url}, chosen=chosen, status=400)
    request.session["webhook_secret"] = endpoint.secret
    messages.success(request, f"Webhook added for {endpoint.url}.")
    return redirect("clinic_webhooks")


def _endpoint(request: HttpRequest, endpoint_id: int) -> WebhookEndpoint:
    me: StaffMember = request.staff  # type: ignore[attr-defined]
    return get_object_or_404(WebhookEndpoint, pk=endpoint_id, clinic_id=me.clinic_id)


@require_POST
@staff_required(admin=True)
def rotate_secret(request: HttpRequest, endpoint_id: int) -> HttpResponse:
    endpoint = _endpoint(request, endpoint_id)
    request.session["webhook_secret"] = actions.do_rotate_secret(endpoint)
    messages.success(request, f"New secret for {endpoint.url}; the old one no longer signs.")
    return redirect("clinic_webhooks")


@require_POST
@staff_required(admin=True)
def deactivate(request: HttpRequest, endpoint_id: int) -> HttpResponse:
    endpoint = _endpoint(request, endpoint_id)
    actions.do_deactivate_endpoint(endpoint)
    messages.success(request, f"{endpoint.url} gets no more deliveries.")
    return redirect("clinic_webhooks")
