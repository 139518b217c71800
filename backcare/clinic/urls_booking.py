"""The clinic side of booking, under /clinic/: the day view and what staff do to appointments."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from backcare.clinic.views import book_for, day

urlpatterns: list[URLPattern | URLResolver] = [
    path("day/", day.day_view, name="clinic_day"),
    path(
        "appointments/<int:appointment_id>/",
        day.appointment_action,
        name="clinic_appointment_action",
    ),
    path(
        "patients/<int:patient_id>/book/",
        book_for.book_for_patient,
        name="clinic_book_for_patient",
    ),
]
