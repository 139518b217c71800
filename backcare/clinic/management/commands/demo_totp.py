"""Print the current second-factor code of a demo staff login (their secrets are published)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_otp.oath import totp

from backcare.clinic.demo import DEMO_STAFF, demo_key_hex


class Command(BaseCommand):
    help = "Print the current 6-digit code for a demo staff login: physio, reception, clinicadmin."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="one of: " + ", ".join(DEMO_STAFF))

    def handle(self, *args: Any, **options: Any) -> None:
        entry = DEMO_STAFF.get(options["username"])
        if entry is None:
            raise CommandError(
                f"username: must be one of {', '.join(DEMO_STAFF)} (demo logins only)",
                returncode=2,
            )
        key = bytes.fromhex(demo_key_hex(entry[5]))
        self.stdout.write(f"{totp(key):06d}")
