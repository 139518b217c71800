from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from backcare.clinic.views import notes

urlpatterns: list[URLPattern | URLResolver] = [
    path("patients/<int:patient_id>/notes/new/", notes.new_note, name="clinic_new_note"),
    path("patients/<int:patient_id>/notes/<int:note_id>/", notes.note, name="clinic_note"),
    path(
        "patients/<int:patient_id>/notes/<int:note_id>/sign/",
        notes.sign_note,
        name="clinic_sign_note",
    ),
    path(
        "patients/<int:patient_id>/notes/<int:note_id>/amend/",
        notes.amend_note,
        name="clinic_amend_note",
    ),
]
