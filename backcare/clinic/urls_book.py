"""The patient's side of booking, at the site's top level: /locations/, /book/, /appointments/."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from backcare.clinic.views import book

urlpatterns: list[URLPattern | URLResolver] = [
    path("locations/", book.locations, name="locations"),
    path("locations/<slug:slug>/", book.location_page, name="location"),
    path("book/", book.book, name="book"),
    path("appointments/", book.my_appointments, name="appointments"),
    path("appointments/<int:appointment_id>/", book.appointment, name="appointment"),
    path(
        "appointments/<int:appointment_id>/waitlist/",
        book.appointment_waitlist,
        name="appointment_waitlist",
    ),
]
