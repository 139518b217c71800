from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower


class User(AbstractUser):
    """backcare's own user model from the first migration, so that later fields need no swap."""

    """A login. A patient's care lives in their `care.Patient` record (`user.patient`); staff
    belong to a clinic through `user.staff` (StaffMember)."""

    timezone = models.CharField(
        max_length=64,
        default="UTC",
        help_text="IANA time zone for a staff member's pages (a patient's is on their record).",
    )
    is_demo = models.BooleanField(
        default=False, help_text="A sample account made by `manage.py seed_demo`."
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


class Role(models.TextChoices):
    PHYSIO = "physio", "Physiotherapist"
    RECEPTION = "receptionist", "Receptionist"


class StaffMember(models.Model):
    """A login that works for one clinic, at some of its locations.

    Physiotherapists see their clinic's patients' records; receptionists see names, contact
    details and appointments only, never clinical notes. A clinic administrator (either role with
    `is_admin`) also manages the clinic's staff accounts.
    """

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="staff")
    clinic = models.ForeignKey("clinic.Clinic", on_delete=models.CASCADE, related_name="staff")
    role = models.CharField(max_length=16, choices=Role.choices)
    is_admin = models.BooleanField(default=False, help_text="Manages the clinic's staff accounts.")
    locations = models.ManyToManyField("clinic.Location", blank=True, related_name="staff")
    title = models.CharField(max_length=80, blank=True, help_text="Shown to patients, e.g. APAM.")

    def __str__(self) -> str:
        return f"{self.user.get_full_name() or self.user.username} ({self.get_role_display()})"

    @property
    def clinical(self) -> bool:
        """Whether this staff member may read clinical records."""
        return self.role == Role.PHYSIO

    @property
    def name(self) -> str:
        return self.user.get_full_name() or self.user.username


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


class StaffInvite(models.Model):
    """An invitation for someone to join a clinic's staff, sent as a link by e-mail.

    Only the SHA-256 of the link's token is stored, so a copy of the database opens no invite.
    It lasts `INVITE_DAYS` and works once; a resend makes a new token (the old link stops).
    """

    clinic = models.ForeignKey("clinic.Clinic", on_delete=models.CASCADE, related_name="invites")
    name = models.CharField(max_length=150)
    email = models.EmailField()
    role = models.CharField(max_length=16, choices=Role.choices)
    is_admin = models.BooleanField(default=False)
    locations = models.ManyToManyField("clinic.Location", blank=True, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Invite for {self.email} ({self.get_role_display()})"

    @property
    def pending(self) -> bool:
        return self.used_at is None and self.cancelled_at is None
