"""The clinic side, under /clinic/. Each feature keeps its own URL module."""

from __future__ import annotations

from django.urls import include, path

urlpatterns = [
    path("", include("backcare.clinic.urls_staff")),
    path("", include("backcare.clinic.urls_patients")),
    path("", include("backcare.clinic.urls_notes")),
    path("", include("backcare.clinic.urls_messages")),
    path("", include("backcare.clinic.urls_booking")),
]
