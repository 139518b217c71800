from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from backcare.clinic.views import queue

urlpatterns: list[URLPattern | URLResolver] = [
    path("", queue.clinic_home, name="clinic_home"),
]
