from __future__ import annotations

import zoneinfo
from functools import cache
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm, UserCreationForm

from backcare.accounts.demo import CANNOT_CHANGE_EMAIL, CANNOT_RESET_PASSWORD
from backcare.accounts.models import User

EMAIL_TAKEN = "Another account already uses this e-mail address. If it is yours, log in instead."


@cache
def timezone_choices() -> list[tuple[str, str]]:
    names = sorted(
        n for n in zoneinfo.available_timezones() if "/" in n and not n.startswith("Etc")
    )
    return [("UTC", "UTC"), *((n, n.replace("_", " ")) for n in names)]


def email_in_use(email: str, *, besides: User | None = None) -> bool:
    """Whether another account has this address, in any case (as the database constraint)."""
    others = User.objects.filter(email__iexact=email)
    if besides is not None:
        others = others.exclude(pk=besides.pk)
    return others.exists()


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

    def clean_email(self) -> str:
        email = User.objects.normalize_email(self.cleaned_data["email"])
        if email_in_use(email):
            raise forms.ValidationError(EMAIL_TAKEN, code="taken")
        return email


class SettingsForm(forms.ModelForm):  # type: ignore[type-arg]
    """A login's e-mail address. A new one needs the current password, because whoever holds the
    address can reset the password and take over the account."""

    current_password = forms.CharField(
        label="Your current password",
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="Only needed to change your e-mail address.",
    )

    class Meta:
        model = User
        fields = ("email",)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.had_email = self.instance.email
        # An account made before addresses were required keeps working without one (its time
        # zone still changes); once it has an address it cannot go back to none.
        self.fields["email"].required = bool(self.had_email)
        if not self.had_email:
            self.fields[
                "email"
            ].help_text = "Add one, so that you can reset your password if you forget it."

    def clean_email(self) -> str:
        email = User.objects.normalize_email(self.cleaned_data.get("email") or "")
        if self.instance.is_demo and email != self.had_email:
            raise forms.ValidationError(CANNOT_CHANGE_EMAIL, code="demo")
        changed = email.casefold() != self.had_email.casefold()
        if email and changed and email_in_use(email, besides=self.instance):
            raise forms.ValidationError(EMAIL_TAKEN, code="taken")
        return email

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        email = cleaned.get("email")
        if email is not None and email != self.had_email:
            password = cleaned.get("current_password") or ""
            if not password:
                self.add_error(
                    "current_password",
                    forms.ValidationError(
                        "Enter your current password to change your e-mail address.",
                        code="required",
                    ),
                )
            elif not self.instance.check_password(password):
                self.add_error(
                    "current_password",
                    forms.ValidationError(
                        "That is not your current password. Your e-mail address is unchanged.",
                        code="wrong",
                    ),
                )
        return cleaned


class ResetForm(PasswordResetForm):
    """Django's reset form, except that the demo account's password is never reset."""

    def clean_email(self) -> str:
        email: str = self.cleaned_data["email"]
        if User.objects.filter(email__iexact=email, is_demo=True).exists():
            raise forms.ValidationError(CANNOT_RESET_PASSWORD, code="demo")
        return email

    def get_users(self, email: str) -> Any:
        return (u for u in super().get_users(email) if not u.is_demo)
