"""A patient's own settings: where they are, for their days and their emergency numbers."""

from __future__ import annotations

from django import forms

from backcare.accounts.forms import timezone_choices
from backcare.care.models import Patient
from backcare.lib.regions import region_choices


class PatientSettingsForm(forms.ModelForm):  # type: ignore[type-arg]
    timezone = forms.ChoiceField(
        choices=timezone_choices,
        help_text="So that your days and reminders start at midnight where you live.",
    )
    region = forms.ChoiceField(
        label="Where you are",
        choices=lambda: [("", "Where my clinic is"), *region_choices()],
        required=False,
        help_text="For the emergency and health advice numbers backcare shows you.",
    )

    class Meta:
        model = Patient
        fields = ("timezone", "region")
