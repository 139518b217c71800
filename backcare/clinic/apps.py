from __future__ import annotations

from django.apps import AppConfig


class ClinicConfig(AppConfig):
    name = "backcare.clinic"
    label = "clinic"
    verbose_name = "Clinics"
