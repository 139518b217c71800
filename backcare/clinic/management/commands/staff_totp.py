"""Reset a staff member's lost second factor: their devices go, the next login sets up anew."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from backcare.accounts.models import StaffMember
from backcare.clinic.staff import do_reset_second_factor


class Command(BaseCommand):
    help = "Reset a staff member's second factor (they set up a new authenticator at next login)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--reset", action="store_true", help="required: remove the devices")

    def handle(self, *args: Any, **options: Any) -> None:
        staff = StaffMember.objects.filter(user__username=options["username"]).first()
        if staff is None:
            raise CommandError("username: no staff member has that username", returncode=2)
        if not options["reset"]:
            raise CommandError("--reset: add it to confirm removing their devices", returncode=2)
        removed = do_reset_second_factor(None, staff, now=timezone.now())
        self.stdout.write(f"Removed {removed} device(s); {staff.name} sets up a new one at login.")
