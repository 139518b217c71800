"""Delete the checks taken without an account that nobody claimed within 24 hours.

`make run` runs it at start and the task worker every hour (backcare.clinic.tasks); on RQ, run it
from cron. Safe to
run at any time and as often as you like: a second run removes nothing more.
"""

from __future__ import annotations

from datetime import UTC, datetime

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from backcare.care.actions import ANONYMOUS_CHECK_HOURS, do_purge_anonymous_checks


def instant(raw: str) -> datetime:
    try:
        value = datetime.fromisoformat(raw)
    except ValueError:
        value = None
    if value is None or value.tzinfo is None:
        raise CommandError(
            f"--now: {raw!r} must be an ISO 8601 instant with its zone, "
            "such as 2026-12-01T11:00:00Z",
            returncode=2,
        )
    return value


class Command(BaseCommand):
    help = (
        "Delete the checks taken without an account and not claimed within "
        f"{ANONYMOUS_CHECK_HOURS} hours."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--now",
            help="The instant to count from (ISO 8601 with its zone); default: the clock now.",
        )

    def handle(self, *args: object, **options: object) -> None:
        raw = options.get("now")
        now = instant(str(raw)) if raw else timezone.now()
        done = do_purge_anonymous_checks(now=now)
        self.stdout.write(
            f"Removed {done.checks} anonymous check{'' if done.checks == 1 else 's'} "
            f"(and {done.audit_rows} audit row{'' if done.audit_rows == 1 else 's'}) "
            f"taken before {done.before.astimezone(UTC):%Y-%m-%d %H:%M} UTC and never claimed."
        )
