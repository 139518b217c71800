"""Create a staff login from the command line (the first administrator of a new clinic, say).

Prints a one-time password to hand over, or reads one from standard input (--password-stdin).
Bad input names the option and exits with code 2; nothing is created then.
"""

from __future__ import annotations

import secrets
import sys
from typing import Any

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.validators import validate_email
from django.utils.text import slugify

from backcare.accounts.models import Role, User
from backcare.clinic.models import Clinic, Location
from backcare.clinic.staff import do_create_staff

HANDOVER = "Password to hand over once (they can change it in settings): "


def _fail(message: str) -> CommandError:
    return CommandError(message, returncode=2)


def find_clinic(value: str) -> Clinic:
    if value.isascii() and value.isdigit():
        clinic = Clinic.objects.filter(pk=int(value)).first()
    else:
        clinic = next((c for c in Clinic.objects.all() if slugify(c.name) == slugify(value)), None)
    if clinic is None:
        raise _fail(f"--clinic: no clinic with id or name {value!r}")
    return clinic


class Command(BaseCommand):
    help = "Create a staff member of a clinic (prints a one-time password)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--clinic", required=True, help="the clinic's id or its name as a slug")
        parser.add_argument("--username", required=True)
        parser.add_argument("--email", required=True)
        parser.add_argument("--name", default="", help="full name")
        parser.add_argument("--role", required=True, help="physio or receptionist")
        parser.add_argument("--admin", action="store_true", help="a clinic administrator")
        parser.add_argument(
            "--location", action="append", default=[], help="a location's name (repeatable)"
        )
        parser.add_argument("--password-stdin", action="store_true")

    def handle(self, *args: Any, **o: Any) -> None:
        clinic = find_clinic(o["clinic"])
        if o["role"] not in Role.values:
            raise _fail(f"--role: must be one of {', '.join(Role.values)}")
        username = o["username"].strip()
        try:
            User.username_validator(username)
        except ValidationError as error:
            raise _fail(f"--username: {' '.join(error.messages)}") from error
        if User.objects.filter(username__iexact=username).exists():
            raise _fail("--username: that username is taken")
        try:
            validate_email(o["email"])
        except ValidationError as error:
            raise _fail("--email: enter a valid e-mail address") from error
        if User.objects.filter(email__iexact=o["email"]).exists():
            raise _fail("--email: another account already uses this address")
        locations = []
        for name in o["location"]:
            location = Location.objects.filter(clinic=clinic, name__iexact=name).first()
            if location is None:
                raise _fail(f"--location: {clinic.name} has no location called {name!r}")
            locations.append(location)
        generated = not o["password_stdin"]
        password = secrets.token_urlsafe(12) if generated else sys.stdin.readline().rstrip("\n")
        try:
            password_validation.validate_password(password, User(username=username))
        except ValidationError as error:
            raise _fail(f"--password-stdin: {' '.join(error.messages)}") from error
        staff = do_create_staff(
            clinic, username=username, email=o["email"], password=password, role=o["role"],
            is_admin=o["admin"], locations=locations, name=o["name"],
        )  # fmt: skip
        self.stdout.write(f"Created {staff} at {clinic.name}.")
        if generated:
            self.stdout.write(f"{HANDOVER}{password}")
        self.stdout.write("At the first login they set up an authenticator app.")
