"""The clinic's side of messages: a patient's thread with a reply form, and the inbox.

Physiotherapists only: messages hold health content, and receptionists see no clinical notes,
so a receptionist gets a 404 here (staff_required(clinical=True)). Reading a thread is a look at
the record: it writes RECORD_VIEWED.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from backcare.care.access import access_patient
from backcare.clinic.guards import staff_required
from backcare.clinic.messages import check_body, do_send_message, inbox, mark_read, thread
from backcare.clinic.models.messages import BODY_MAX
from backcare.domain.triage import questions


@require_http_methods(["GET", "POST"])
@never_cache
@staff_required(clinical=True)
def patient_messages(request: HttpRequest, patient_id: int) -> HttpResponse:
    now = timezone.now()
    problems: list[str] = []
    body = ""
    if request.method == "POST":
        patient = access_patient(request.user, patient_id, write=True)
        body, problems = check_body(request.POST.get("body", ""))
        if not problems:
            link = request.build_absolute_uri(reverse("messages"))
            do_send_message(request.user, patient, body, from_clinic=True, now=now, link=link)
            return redirect("clinic_messages", patient_id=patient.pk)
    else:
        patient = access_patient(request.user, patient_id, now=now)
        mark_read(patient, by_clinic=True, now=now)
    names = questions()
    context = {
        "patient": patient,
        "thread": thread(patient),
        "problems": problems,
        "body": body,
        "body_max": BODY_MAX,
        "sign_names": {s: q.noticed for s, q in names.items()},
    }
    return render(request, "clinic/messages.html", context, status=400 if problems else 200)


@require_GET
@staff_required(clinical=True)
def clinic_inbox(request: HttpRequest) -> HttpResponse:
    staff = request.staff  # type: ignore[attr-defined]
    return render(request, "clinic/inbox.html", {"rows": inbox(staff.clinic_id)})
