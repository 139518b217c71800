from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from backcare.clinic.views import second_factor, staff, webhooks

urlpatterns: list[URLPattern | URLResolver] = [
    path("verify/", second_factor.verify, name="staff_verify"),
    path("second-factor/", second_factor.setup, name="staff_setup_second_factor"),
    path("staff/", staff.staff_page, name="clinic_staff"),
    path("staff/invites/<int:invite_id>/resend/", staff.resend_invite, name="clinic_resend_invite"),
    path("staff/invites/<int:invite_id>/cancel/", staff.cancel_invite, name="clinic_cancel_invite"),
    path("staff/<int:staff_id>/deactivate/", staff.deactivate, name="clinic_deactivate_staff"),
    path(
        "staff/<int:staff_id>/second-factor/reset/",
        staff.reset_second_factor,
        name="clinic_reset_second_factor",
    ),
    path("join/<str:token>/", staff.join, name="staff_join"),
    path("webhooks/", webhooks.webhooks_page, name="clinic_webhooks"),
    path(
        "webhooks/<int:endpoint_id>/rotate/",
        webhooks.rotate_secret,
        name="clinic_rotate_webhook_secret",
    ),
    path(
        "webhooks/<int:endpoint_id>/deactivate/",
        webhooks.deactivate,
        name="clinic_deactivate_webhook",
    ),
]
