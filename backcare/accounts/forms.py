from __future__ import annotations

import zoneinfo
from functools import cache

from django import forms
from django.contrib.auth.forms import UserCreationForm

from backcare.accounts.models import User


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
        initial="Europe/London",
        help_text="So that your days and reminders start at midnight where you live.",
    )

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "email", "timezone")


class SettingsForm(forms.ModelForm):  # type: ignore[type-arg]
    timezone = forms.ChoiceField(choices=timezone_choices)

    class Meta:
        model = User
        fields = ("email", "timezone")
