from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from backcare.clinic.views import messages

urlpatterns: list[URLPattern | URLResolver] = [
    path("messages/", messages.clinic_inbox, name="clinic_inbox"),
    path("patients/<int:patient_id>/messages/", messages.patient_messages, name="clinic_messages"),
]
