"""Durability under faults (scripts/fault.py --short): check-ins and bookings through the API of
real gunicorn and task-worker processes, killed with SIGKILL mid-load and started again, and
PostgreSQL stopped and started mid-load: every acknowledged write is in the database once, no
appointment overlaps another, no e-mail goes out twice, and the outage is answered with 503s.
`make bench` runs the longer version (--full)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.skipif(
    bool(os.environ.get("BACKCARE_TEST_NOW")),
    reason="the servers run on the real clock: the clock-pinned reruns would repeat this run",
)


def fault(only: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "scripts/fault.py", "--short", "--only", only, "--port", "0"],
        cwd=ROOT, capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip


def test_sigkill_of_server_and_worker_loses_and_doubles_nothing() -> None:
    done = fault("sqlite")
    assert done.returncode == 0, done.stdout + done.stderr[-3000:]
    assert "fault sqlite-kills" in done.stdout and "SIGKILL" in done.stdout, done.stdout


@pytest.mark.skipif(
    shutil.which("pg_createcluster") is None or os.geteuid() != 0,
    reason="needs pg_createcluster (postgresql-common) and root for a throwaway cluster",
)
def test_a_postgresql_restart_is_answered_503_and_recovered_from() -> None:
    done = fault("postgres")
    assert done.returncode == 0, done.stdout + done.stderr[-3000:]
    assert "PostgreSQL stopped" in done.stdout and '"503":' in done.stdout, done.stdout
