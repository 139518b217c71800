"""Each request knows its patient record (for a patient's own pages) and shows every time in the
person's own time zone."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from backcare.care.models import Patient
from backcare.lib.timezones import user_zone


class PersonTimezoneMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        patient = patient_of(user) if user.is_authenticated else None
        request.patient = patient  # type: ignore[attr-defined]
        # A patient's days are in their record's zone; a staff member's in their own. An unknown
        # zone falls back to UTC rather than failing the page. The zone is a thread-local:
        # deactivate it afterwards, or the next request served by this thread (another
        # person's, or a test's) would inherit it.
        timezone.activate(user_zone(patient or user))
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


def patient_of(user: Any) -> Patient | None:
    """The login's patient record: already read with the user (accounts.backends), else one
    query (a user from another backend, e.g. a test's)."""
    try:
        cached = user._state.fields_cache
    except AttributeError:
        cached = {}
    if "patient" in cached:
        return cast(Patient | None, cached["patient"])
    return Patient.objects.filter(user_id=user.pk).first()
