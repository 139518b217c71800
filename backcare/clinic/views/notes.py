"""Treatment notes pages: write a draft, read it (edit while a draft), sign it, amend it.

Physiotherapists only (`staff_required(clinical=True)`); every patient goes through
`access_patient`, and a note of another patient's id is a 404 like a missing one.
"""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from backcare.care.access import access_patient
from backcare.clinic.guards import staff_required
from backcare.clinic.models import TreatmentNote
from backcare.clinic.notes import (
    NoteForm,
    do_save_note,
    do_sign_note,
    form_from_note,
    is_adding,
    latest_version,
    lines,
    note_today,
    read_form,
)
from backcare.domain import content
from backcare.domain.treatments import kinds


def _note(patient: Any, note_id: int) -> TreatmentNote:
    note = TreatmentNote.objects.filter(pk=note_id, patient=patient).first()
    if note is None:
        raise Http404("no note")
    return note


def _nice() -> dict[str, Any]:
    return {
        "manual": "Consider manual therapy (joint mobilisation, manipulation, soft tissue work) "
        "only as part of a treatment package that includes exercise.",
        "electro": "Do not offer TENS, therapeutic ultrasound or interferential therapy for low "
        "back pain.",
        "source": content.cite(("nice-ng59",)),
    }


def _form_page(
    request: HttpRequest, patient: Any, form: NoteForm, *, status: int = 200, **extra: Any
) -> HttpResponse:
    context = {
        "patient": patient,
        "form": form,
        "rows": form.rows_for_template(),
        "kinds": list(kinds().values()),
        "nice": _nice(),
        **extra,
    }
    return render(request, "clinic/note_form.html", context, status=status)


def _post_form(
    request: HttpRequest, patient: Any, *, note: TreatmentNote | None,
    amends: TreatmentNote | None = None, **extra: Any,
) -> HttpResponse:  # fmt: skip
    now = timezone.now()
    form = read_form(request.POST, today=note_today(patient, now), amending=amends is not None)
    if is_adding(request.POST):
        return _form_page(request, patient, form, note=note, amends=amends, **extra)
    if form.problems:
        return _form_page(request, patient, form, status=400, note=note, amends=amends, **extra)
    staff = request.staff  # type: ignore[attr-defined]
    saved = do_save_note(request.user, staff, patient, form, note=note, amends=amends, now=now)
    messages.success(request, "The note is saved as a draft. Read it through, then sign it.")
    return redirect("clinic_note", patient_id=patient.pk, note_id=saved.pk)


@require_http_methods(["GET", "POST"])
@never_cache
@staff_required(clinical=True)
def new_note(request: HttpRequest, patient_id: int) -> HttpResponse:
    now = timezone.now()
    if request.method == "POST":
        patient = access_patient(request.user, patient_id, write=True)
        return _post_form(request, patient, note=None)
    patient = access_patient(request.user, patient_id, now=now)
    form = form_from_note(None, today=note_today(patient, now))
    visit = _visit(patient, request.GET.get("appointment", ""), now)
    if visit is not None:  # started from an appointment: its day, and why they booked
        form.seen_on = visit.start.astimezone(ZoneInfo(visit.location.timezone)).date().isoformat()
        if visit.reason:
            form.texts["subjective"] = f"Booked for: {visit.reason}"
    return _form_page(request, patient, form)


def _visit(patient: Any, raw: str, now: Any) -> Any:
    """The patient's own appointment `raw` that has begun (a note records a visit that
    happened); None for anything else, which leaves the form as for a new note."""
    from backcare.clinic.models import Appointment

    if not raw.isascii() or not raw.isdigit() or len(raw) > 18:
        return None
    return (
        Appointment.objects.filter(pk=int(raw), patient=patient, start__lte=now)
        .exclude(status=Appointment.Status.CANCELLED)
        .select_related("location")
        .first()
    )


@require_http_methods(["GET", "POST"])
@never_cache
@staff_required(clinical=True)
def note(request: HttpRequest, patient_id: int, note_id: int) -> HttpResponse:
    now = timezone.now()
    staff = request.staff  # type: ignore[attr-defined]
    if request.method == "POST":
        patient = access_patient(request.user, patient_id, write=True)
        found = _note(patient, note_id)
        if found.signed:
            return _note_page(request, patient, found, status=409, problems=[
                "note: a signed note is never changed; amend it instead",
            ])  # fmt: skip
        if found.author_id != staff.pk:
            return _note_page(request, patient, found, status=403, problems=[
                f"note: only its author, {found.author_name}, may change a draft",
            ])  # fmt: skip
        return _post_form(request, patient, note=found, amends=found.amends)
    patient = access_patient(request.user, patient_id, now=now)
    found = _note(patient, note_id)
    if not found.signed and found.author_id == staff.pk and request.GET.get("edit"):
        form = form_from_note(found, today=note_today(patient, now))
        form.amendment_reason = found.amendment_reason
        return _form_page(request, patient, form, note=found, amends=found.amends)
    return _note_page(request, patient, found)


def _note_page(
    request: HttpRequest, patient: Any, found: TreatmentNote, *, status: int = 200, **extra: Any
) -> HttpResponse:
    staff = request.staff  # type: ignore[attr-defined]
    chain = []
    current: TreatmentNote | None = found.amends
    while current is not None:
        chain.append({"note": current, "lines": lines(current)})
        current = current.amends
    amendments = [{"note": a, "lines": lines(a)} for a in found.amendments.order_by("created_at")]
    context = {
        "patient": patient,
        "note": found,
        "lines": lines(found),
        "earlier": chain,
        "amendments": amendments,
        "mine": found.author_id == staff.pk,
        "latest": latest_version(found) if found.signed else found,
        "nice": _nice(),
        **extra,
    }
    return render(request, "clinic/note.html", context, status=status)


@require_POST
@staff_required(clinical=True)
def sign_note(request: HttpRequest, patient_id: int, note_id: int) -> HttpResponse:
    patient = access_patient(request.user, patient_id, write=True)
    found = _note(patient, note_id)
    staff = request.staff  # type: ignore[attr-defined]
    if found.signed:
        messages.info(request, "This note was already signed.")
        return redirect("clinic_note", patient_id=patient.pk, note_id=found.pk)
    if found.author_id != staff.pk:
        return _note_page(request, patient, found, status=403, problems=[
            f"note: only its author, {found.author_name}, may sign it",
        ])  # fmt: skip
    do_sign_note(request.user, staff, found, now=timezone.now())
    messages.success(request, "Signed. It can no longer be changed, only amended.")
    return redirect("clinic_note", patient_id=patient.pk, note_id=found.pk)


@require_http_methods(["GET", "POST"])
@never_cache
@staff_required(clinical=True)
def amend_note(request: HttpRequest, patient_id: int, note_id: int) -> HttpResponse:
    now = timezone.now()
    write = request.method == "POST"
    patient = access_patient(request.user, patient_id, write=write, now=None if write else now)
    original = _note(patient, note_id)
    if not original.signed:
        messages.info(request, "A draft is changed directly; only a signed note is amended.")
        return redirect("clinic_note", patient_id=patient.pk, note_id=original.pk)
    latest = latest_version(original)
    if latest.pk != original.pk:
        return redirect("clinic_amend_note", patient_id=patient.pk, note_id=latest.pk)
    draft = original.amendments.filter(status=TreatmentNote.DRAFT).first()
    if draft is not None:
        messages.info(request, f"{draft.author_name} has a draft amendment of this note already.")
        return redirect("clinic_note", patient_id=patient.pk, note_id=draft.pk)
    if write:
        return _post_form(request, patient, note=None, amends=original)
    form = form_from_note(original, today=note_today(patient, now))
    return _form_page(request, patient, form, note=None, amends=original)
