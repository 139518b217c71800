from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models

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
