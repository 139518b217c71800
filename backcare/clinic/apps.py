from __future__ import annotations

from django.apps import AppConfig


class ClinicConfig(AppConfig):
    name = "backcare.clinic"
    label = "clinic"
    verbose_name = "Clinics"

    def ready(self) -> None:
        from backcare.care.signals import warning_sign_reported
        from backcare.clinic.webhooks import on_warning_sign

        warning_sign_reported.connect(on_warning_sign, dispatch_uid="clinic-webhooks")
