from __future__ import annotations

import zoneinfo
from functools import cache

from django import forms
from django.conf import settings
from django.contrib.auth.forms import UserCreationForm

from backcare.accounts.models import User
from backcare.lib.regions import region_choices


@cache
def timezone_choices() -> list[tuple[str, str]]:
    names = sorted(
        n for n in zoneinfo.available_timezones() if "/" in n and not n.startswith("Etc")
    )
    return [("UTC", "UTC"), *((n, n.replace("_", " ")) for n in names)]


class SignupForm(UserCreationForm):  # type: ignore[type-arg]
    email = forms.EmailField(
        required=True,
        help_text="Only used to reset your password if you forget it.",
    )
    timezone = forms.ChoiceField(
        choices=timezone_choices,
        initial=lambda: settings.BACKCARE_DEFAULT_TIMEZONE,
        widget=forms.Select(attrs={"data-guess": "1"}),
        help_text="So that your days and reminders start at midnight where you live.",
    )

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "email", "timezone")


class SettingsForm(forms.ModelForm):  # type: ignore[type-arg]
    timezone = forms.ChoiceField(choices=timezone_choices)
    region = forms.ChoiceField(
        label="Where you are",
        choices=lambda: [("", "Where my clinic is"), *region_choices()],
        required=False,
        help_text="For the emergency and health advice numbers backcare shows you.",
    )

    class Meta:
        model = User
        fields = ("email", "timezone", "region")
