"""Clinics and their locations. A patient belongs to a clinic through their `care.Patient`."""

from __future__ import annotations

from django.db import models

from backcare.lib.regions import region_choices


class Clinic(models.Model):
    name = models.CharField(max_length=120)
    is_demo = models.BooleanField(default=False, help_text="Sample data from `seed_demo`.")

    def __str__(self) -> str:
        return self.name


class Location(models.Model):
    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="locations")
    name = models.CharField(max_length=120)
    address = models.CharField(max_length=240, blank=True)
    timezone = models.CharField(max_length=64, default="Europe/London")
    region = models.CharField(
        max_length=2,
        blank=True,
        choices=region_choices,
        help_text="Whose emergency numbers this location's patients see.",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["clinic", "name"], name="one_location_name_per_clinic")
        ]

    def __str__(self) -> str:
        return f"{self.clinic.name}, {self.name}"
