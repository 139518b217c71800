"""Run the task worker of the configured backend (BACKCARE_TASKS): django-tasks' database worker,
or an RQ worker with its scheduler and django-tasks' job class. `make run` starts this. On the
database backend it also keeps the hourly purge of unclaimed anonymous checks queued."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Run background tasks (booking e-mails, webhooks) on the configured backend."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--interval", type=float, default=2.0, help="Seconds between polls.")
        parser.add_argument("--batch", action="store_true", help="Run what is due, then exit.")

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.BACKCARE_TASKS == "RQ":
            call_command(
                "rqworker",
                "default",
                job_class="django_tasks_rq.Job",
                with_scheduler=True,
                burst=options["batch"],
            )
        elif settings.BACKCARE_TASKS == "DATABASE":
            from backcare.clinic.tasks import keep_purging

            if not options["batch"]:
                keep_purging()  # the hourly purge of unclaimed anonymous checks
            call_command(
                "db_worker",
                interval=options["interval"],
                queue_name="*",
                batch=options["batch"],
                startup_delay=not options["batch"],
            )
        else:
            self.stdout.write("BACKCARE_TASKS=immediate: tasks run in the request; no worker")
