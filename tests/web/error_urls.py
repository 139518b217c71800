"""The site's URLs plus three that fail on purpose, to see the error pages as people would."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.urls import path

from backcare.urls import handler400
from backcare.urls import urlpatterns as site


def forbidden(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied("not yours")


def suspicious(request: HttpRequest) -> HttpResponse:
    raise SuspiciousOperation("odd")


def broken(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug")


urlpatterns = [
    *site,
    path("test-errors/403/", forbidden),
    path("test-errors/400/", suspicious),
    path("test-errors/500/", broken),
]
__all__ = ["handler400", "urlpatterns"]
