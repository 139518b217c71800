"""The patient's thread with their clinic. A message that mentions a warning sign shows the
emergency advice at once; the clinic sees the thread flagged at the top of its inbox."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from backcare.care.access import me
from backcare.clinic.messages import check_body, do_send_message, mark_read, thread
from backcare.clinic.models.messages import BODY_MAX
from backcare.domain.triage import questions


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def messages_page(request: HttpRequest) -> HttpResponse:
    patient = me(request)
    if patient.clinic_id is None:
        return render(request, "care/messages_no_clinic.html")
    now = timezone.now()
    problems: list[str] = []
    body = ""
    if request.method == "POST":
        body, problems = check_body(request.POST.get("body", ""))
        if not problems:
            link = request.build_absolute_uri(reverse("clinic_messages", args=[patient.pk]))
            sent = do_send_message(
                request.user, patient, body, from_clinic=False, now=now, link=link
            )
            if sent.mentions:
                request.session["message_mentions"] = sent.mentions
            return redirect("messages")
    mark_read(patient, by_clinic=False, now=now)
    signs = request.session.pop("message_mentions", None) or []
    context = {
        "patient": patient,
        "thread": thread(patient),
        "problems": problems,
        "body": body,
        "body_max": BODY_MAX,
        "mentioned": [questions()[s].noticed for s in signs if s in questions()],
    }
    return render(request, "care/messages.html", context, status=400 if problems else 200)
