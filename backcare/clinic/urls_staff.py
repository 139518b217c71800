from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from backcare.clinic.views import second_factor

urlpatterns: list[URLPattern | URLResolver] = [
    path("verify/", second_factor.verify, name="staff_verify"),
    path("second-factor/", second_factor.setup, name="staff_setup_second_factor"),
]
