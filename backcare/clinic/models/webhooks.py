"""Webhooks: a clinic's own system asks to hear of events (a warning sign, a booking), and each
event becomes one delivery row per endpoint, sent by the task worker, signed, retried."""

from __future__ import annotations

import uuid

from django.db import models

EVENTS = ("warning_sign.reported", "appointment.booked", "appointment.cancelled")


class WebhookEndpoint(models.Model):
    clinic = models.ForeignKey("clinic.Clinic", on_delete=models.CASCADE, related_name="webhooks")
    url = models.URLField(max_length=500)
    # The HMAC key the receiver checks signatures with: backcare must keep it to sign, so it is
    # stored as is (like any API key held for a third party); shown once to the administrator.
    secret = models.CharField(max_length=64)
    events = models.JSONField(default=list, help_text="Which of EVENTS to send.")
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        "accounts.StaffMember", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    def __str__(self) -> str:
        return f"WebhookEndpoint {self.pk}"


class WebhookDelivery(models.Model):
    """One event for one endpoint: its body is fixed when the event happens."""

    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    event_id = models.UUIDField(default=uuid.uuid4, help_text="The same for every endpoint.")
    event = models.CharField(max_length=40)
    payload = models.JSONField()
    created_at = models.DateTimeField()
    delivered_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_status = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["endpoint", "-created_at"], name="webhook_recent")]

    def __str__(self) -> str:
        return f"WebhookDelivery {self.pk} ({self.event})"
