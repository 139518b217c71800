"""Real servers for tests: gunicorn processes started as `make run` starts them, and a scratch
PostgreSQL database of their own (so they never touch the test database pytest-django made)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
GUNICORN = str(Path(PYTHON).with_name("gunicorn"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def postgres_url() -> str:
    """The PostgreSQL server the suite runs against (DATABASE_URL), or a skip."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        pytest.skip("needs DATABASE_URL naming a PostgreSQL server")
    return url


@contextmanager
def scratch_postgres(url: str) -> Iterator[str]:
    """A new, empty database on the server of `url`, dropped afterwards; yields its URL."""
    import psycopg

    name = f"backcare_live_{uuid.uuid4().hex[:10]}"
    parts = urllib.parse.urlsplit(url)
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield parts._replace(path=f"/{name}").geturl()
    finally:
        wait_for_postgres(admin)
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def wait_for_postgres(url: str, seconds: float = 60) -> None:
    import psycopg

    deadline = time.monotonic() + seconds
    while True:
        try:
            with psycopg.connect(url, connect_timeout=2) as conn:
                conn.execute("SELECT 1")
            return
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def manage(env: dict[str, str], *command: str) -> None:
    subprocess.run(
        [PYTHON, "manage.py", *command], cwd=ROOT, env=env, check=True, capture_output=True
    )


def prepare(env: dict[str, str]) -> None:
    """What `make run` does before it serves: migrate, demo data, static files."""
    for command in (
        ["migrate", "--noinput", "-v0"],
        ["seed_demo"],
        ["collectstatic", "--noinput", "-v0"],
    ):
        manage(env, *command)


def gunicorn(env: dict[str, str], port: int, *, workers: int = 2) -> subprocess.Popen[bytes]:
    """gunicorn as the Makefile's run target starts it (--preload, backcare.gunicorn_conf)."""
    return subprocess.Popen(
        [GUNICORN, "backcare.wsgi", "-c", "python:backcare.gunicorn_conf", "--preload",
         "--bind", f"127.0.0.1:{port}", "--workers", str(workers)],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip


def wait_until_up(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url + "/healthz", timeout=2)  # noqa: S310 (loopback)
            return
        except OSError:
            time.sleep(0.1)
    pytest.fail(f"{url} did not start")


def base_env(data: Path, database_url: str = "") -> dict[str, str]:
    env = {
        **os.environ,
        "BACKCARE_DATA_DIR": str(data),
        "DJANGO_SETTINGS_MODULE": "backcare.settings",
        "LOG_LEVEL": "WARNING",
    }
    env.pop("BACKCARE_TEST_NOW", None)
    env.pop("DATABASE_URL", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    return env
