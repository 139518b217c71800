"""Starting and stopping ice or heat from Today; the server enforces the safe timing."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from backcare.care.access import me
from backcare.care.actions import do_start_thermal, do_stop_thermal
from backcare.domain.firstaid import Kind
from backcare.lib.timezones import user_zone

KINDS: dict[str, Kind] = {"cold": "cold", "heat": "heat"}


@login_required
@require_POST
def thermal(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    patient = me(request)
    if request.POST.get("action") == "stop":
        do_stop_thermal(request.user, patient, now=now)  # type: ignore[arg-type]
        messages.success(request, "Stopped. Let your skin rest before the next go.")
        return _back()
    kind = KINDS.get(request.POST.get("kind", ""))
    if kind is None:
        messages.error(request, "kind: choose ice (cold) or heat.")
        return _back()
    check = do_start_thermal(request.user, patient, kind, now=now)  # type: ignore[arg-type]
    if check.allowed:
        messages.success(request, check.reason)
    else:
        when = ""
        if check.next_allowed_at is not None:
            local = check.next_allowed_at.astimezone(user_zone(patient))
            when = f" You can start again at {local:%H:%M}."
        messages.error(request, check.reason + when)
    return _back()


def _back() -> HttpResponse:
    """Back to the timer on Today, not the top of the page: the person keeps their place."""
    return HttpResponseRedirect(reverse("today") + "#timer")
