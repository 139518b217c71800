from __future__ import annotations

from django.contrib import admin

from backcare.clinic.models import Clinic, Location


class LocationInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Location
    extra = 0


@admin.register(Clinic)
class ClinicAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    inlines = (LocationInline,)
    list_display = ("name", "is_demo")
