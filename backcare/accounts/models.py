from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower

from backcare.lib.regions import region_choices


class User(AbstractUser):
    """backcare's own user model from the first migration, so that later fields need no swap."""

    timezone = models.CharField(
        max_length=64, default="UTC", help_text="IANA time zone used for the person's days."
    )
    region = models.CharField(
        max_length=2,
        blank=True,
        choices=region_choices,
        help_text="Where the person is, for their emergency numbers; blank: their clinic's.",
    )
    is_demo = models.BooleanField(
        default=False, help_text="A sample account made by `manage.py seed_demo`."
    )
    clinic = models.ForeignKey(
        "clinic.Clinic",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="patients",
        help_text="The clinic whose physiotherapists may see this person's care.",
    )

    class Meta(AbstractUser.Meta):
        constraints = [
            # One account per address, whatever its case: password resets go to one person.
            # Accounts made before addresses were required may have none.
            models.UniqueConstraint(
                Lower("email"),
                condition=~models.Q(email=""),
                name="unique_email_any_case",
                violation_error_message="Another account already uses this e-mail address.",
            )
        ]


class RateLimitHit(models.Model):
    """One counted request (a saved check, a reset asked for, a failed login) for a rate limit.

    In the database, not in a process's memory, so that every server process sees the same
    count. `key` is a keyed hash of the address or e-mail, never the value itself.
    """

    scope = models.CharField(max_length=32)
    key = models.CharField(max_length=64)
    at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["scope", "key", "at"], name="ratelimit_count"),
            models.Index(fields=["scope", "at"], name="ratelimit_expiry"),
        ]

    def __str__(self) -> str:
        return f"{self.scope} at {self.at:%Y-%m-%d %H:%M:%S}"
