"""Messages between a patient and their clinic: one plain thread per patient."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import ProhibitNullCharactersValidator
from django.db import models

BODY_MAX = 2000


class Message(models.Model):
    patient = models.ForeignKey("care.Patient", on_delete=models.CASCADE, related_name="messages")
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    from_clinic = models.BooleanField(help_text="Written by the clinic's staff, not the patient.")
    body = models.TextField(max_length=BODY_MAX, validators=[ProhibitNullCharactersValidator()])
    mentions = models.JSONField(
        default=list, blank=True, help_text="Warning signs the text seems to mention."
    )
    sent_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True, help_text="Read by the other side.")

    class Meta:
        indexes = [models.Index(fields=["patient", "sent_at"], name="message_thread")]

    def __str__(self) -> str:
        return f"Message {self.pk} ({'clinic' if self.from_clinic else 'patient'})"
