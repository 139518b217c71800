from __future__ import annotations

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "backcare.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from backcare.accounts import throttle  # noqa: F401 (connects the failed-login counter)
