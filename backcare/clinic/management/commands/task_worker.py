"""Run the task worker of the configured backend (BACKCARE_TASKS): django-tasks' database worker,
or an RQ worker with its scheduler and django-tasks' job class. `make run` starts this. On the
database backend it also keeps the hourly purge of unclaimed anonymous checks queued."""

from __future__ import annotations

import logging
import socket
import time
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import InterfaceError, OperationalError, close_old_connections, connections
from django.utils import timezone

log = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Run background tasks (booking e-mails, webhooks) on the configured backend."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--interval", type=float, default=2.0, help="Seconds between polls.")
        parser.add_argument("--batch", action="store_true", help="Run what is due, then exit.")

    def handle(self, *args: Any, **options: Any) -> None:
        from backcare.lib.mail import sweep_parts

        if swept := sweep_parts():
            log.warning(
                "task worker: %d half-written e-mail file(s) of a killed worker removed", swept
            )
        if settings.BACKCARE_TASKS == "RQ":
            call_command(
                "rqworker",
                "default",
                job_class="django_tasks_rq.Job",
                with_scheduler=True,
                burst=options["batch"],
            )
        elif settings.BACKCARE_TASKS == "DATABASE":
            self._database_worker(options)
        else:
            self.stdout.write("BACKCARE_TASKS=immediate: tasks run in the request; no worker")

    def _database_worker(self, options: dict[str, Any]) -> None:
        """django-tasks' database worker, under this process's own id, after making ready again
        the tasks a dead worker left marked running (backcare.tasks.recover_stalled). When the
        database cannot be reached (PostgreSQL restarting) it waits and starts again instead of
        exiting, so the worker `make run` started comes back by itself with the database."""
        import os

        from backcare.clinic.tasks import keep_purging
        from backcare.tasks import recover_stalled, worker_id

        host = socket.gethostname()
        me = worker_id(host, os.getpid())
        while True:
            try:
                recovered = recover_stalled(timezone.now(), host=host, mine=me)
                if recovered:
                    log.warning("task worker: %d task(s) of a dead worker made ready", recovered)
                if not options["batch"]:
                    keep_purging()  # the hourly purge of unclaimed anonymous checks
                call_command(
                    "db_worker",
                    interval=options["interval"],
                    queue_name="*",
                    batch=options["batch"],
                    startup_delay=not options["batch"],
                    worker_id=me,
                )
                return
            except (OperationalError, InterfaceError) as exc:
                log.warning("task worker: database unavailable (%s); trying again", exc)
                for conn in connections.all():
                    conn.close_if_unusable_or_obsolete()
                close_old_connections()
                time.sleep(max(options["interval"], 1.0))
