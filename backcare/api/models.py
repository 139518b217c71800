"""Personal access tokens, the API's request counters and its idempotency records.

A token is shown once, when it is made; only its SHA-256 is kept, so a copy of the database
holds nothing that opens an account. Tokens start with `bc_` so a leaked one is recognisable
(secret scanners, logs).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

READ, WRITE = "read", "write"
SCOPES = (READ, WRITE)


class AccessToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="access_tokens"
    )
    name = models.CharField(max_length=80, help_text="What the person called it.")
    token_hash = models.CharField(max_length=64, unique=True, help_text="SHA-256, hex.")
    prefix = models.CharField(max_length=12, help_text="The token's first characters, to tell it.")
    scopes = models.JSONField(default=list, help_text='["read"] or ["read", "write"].')
    created_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "-created_at"], name="token_user_created")]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def active(self) -> bool:
        return self.revoked_at is None


class RequestCount(models.Model):
    """Requests counted in one fixed window for one key (a token or an address, hashed): in
    the database, so every server process counts the same requests."""

    key = models.CharField(max_length=64)
    window_start = models.BigIntegerField(help_text="The window's start, in seconds since 1970.")
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "window_start"], name="request_count_key_window")
        ]

    def __str__(self) -> str:
        return f"{self.key[:8]} @ {self.window_start}: {self.count}"


class IdempotentRequest(models.Model):
    """The first answer to a write sent with an `Idempotency-Key`: the same key and body get it
    again instead of a second write."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    operation = models.CharField(max_length=80)
    body_hash = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField()
    response = models.JSONField()
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "operation", "key"], name="idempotent_user_operation_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.operation} {self.key}"
