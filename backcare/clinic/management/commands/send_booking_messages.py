"""Send due booking e-mails (confirmations, reminders) once each: `--once` for one pass, else a
loop every `--every` seconds. A stand-in worker until the django-tasks worker is wired in."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from backcare.clinic.reminders import send_due


class Command(BaseCommand):
    help = "Send due appointment confirmations and reminders (each exactly once)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true")
        parser.add_argument("--every", type=int, default=30)

    def handle(self, *args: Any, **options: Any) -> None:
        while True:
            sent = send_due(timezone.now())
            if sent:
                self.stdout.write(f"sent {sent} booking e-mail(s)")
            if options["once"]:
                return
            time.sleep(max(options["every"], 1))
