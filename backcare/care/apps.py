from __future__ import annotations

from django.apps import AppConfig


class CareConfig(AppConfig):
    name = "backcare.care"
    label = "care"
    verbose_name = "Patient care"
