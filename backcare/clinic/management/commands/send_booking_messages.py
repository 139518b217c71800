"""Sweep: send every due booking e-mail (confirmation, reminder) that is still unsent, once each:
`--once` for one pass, else a loop every `--every` seconds. The task worker (`task_worker`) sends
them as they fall due; this catches any whose job a queue lost (RQ, where the job is queued
after the booking commits). Run it from cron every few minutes on such a deployment."""

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
