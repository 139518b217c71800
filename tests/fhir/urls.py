"""A test API with the FHIR router mounted as the real API will mount it (/api/v1/fhir/), with
session login standing in for the API's token authentication."""

from __future__ import annotations

from django.urls import path
from ninja import NinjaAPI
from ninja.security import django_auth

from backcare.fhir.api import router

api = NinjaAPI(urls_namespace="fhirtest", auth=django_auth)
api.add_router("/fhir/", router)

urlpatterns = [path("api/v1/", api.urls)]
