"""Clinics and their locations. A patient belongs to a clinic through their `care.Patient`."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.text import slugify

from backcare.lib.regions import region_choices


class Clinic(models.Model):
    name = models.CharField(max_length=120)
    is_demo = models.BooleanField(default=False, help_text="Sample data from `seed_demo`.")

    def __str__(self) -> str:
        return self.name


class Location(models.Model):
    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="locations")
    name = models.CharField(max_length=120)
    slug = models.SlugField(
        max_length=80, blank=True, help_text="Its public page: /locations/<slug>/."
    )
    address = models.CharField(max_length=240, blank=True)
    suburb = models.CharField(max_length=80, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    phone = models.CharField(max_length=32, blank=True, help_text="Shown to patients, tap to call.")
    timezone = models.CharField(max_length=64, default="Europe/London")
    region = models.CharField(
        max_length=2,
        blank=True,
        choices=region_choices,
        help_text="Whose emergency numbers this location's patients see.",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["clinic", "name"], name="one_location_name_per_clinic"),
            models.UniqueConstraint(
                fields=["slug"], condition=~models.Q(slug=""), name="location_slug_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.clinic.name}, {self.name}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.slug:
            self.slug = unique_slug(self.name, self.pk)
        super().save(*args, **kwargs)

    @property
    def tel(self) -> str:
        """The phone number for a tel: link (digits and a leading +)."""
        return "".join(c for c in self.phone if c.isdigit() or c == "+")


def unique_slug(name: str, pk: int | None) -> str:
    base = slugify(name)[:70] or "location"
    slug, n = base, 1
    while Location.objects.filter(slug=slug).exclude(pk=pk).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug
