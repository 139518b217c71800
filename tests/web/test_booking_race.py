"""200 booking attempts at once, over real HTTP, against gunicorn on the suite's database kind.

Twenty logged-in patients race for six start times with three practitioners: the same time, and
overlapping times of other lengths (30, 45 + 15 after, 20 + 5 after), for a named practitioner or
for anyone. Each attempt is a POST to /book/ from its own thread, with the patient's session and
CSRF token. Afterwards the database itself is asked, by comparing intervals in SQL, for two rows
of one practitioner or one patient that overlap: there must be none, every winner must be a row,
every loser must have had the "just taken" answer (a 409) and a row that really was in its way,
and nothing may be a server error.

SQLite: a file of its own, as `make run` has. PostgreSQL (DATABASE_URL set, as in `make
test-postgres`): a database of its own on that server, dropped afterwards.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import random
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.db

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
ATTEMPTS = 200


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _own_postgres(url: str) -> tuple[str, Any]:
    """A new database beside the suite's on the same server, and how to drop it."""
    import psycopg

    parts = urllib.parse.urlsplit(url)
    name = f"backcare_race_{os.getpid()}"
    admin = parts._replace(path="/postgres").geturl()

    def run(sql: str) -> None:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(sql)

    run(f'DROP DATABASE IF EXISTS "{name}"')
    run(f'CREATE DATABASE "{name}"')
    return parts._replace(path=f"/{name}").geturl(), lambda: run(
        f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'
    )


def _manage(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [PYTHON, *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    return done.stdout


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, str], Any]]:
    env = {
        **os.environ,
        "BACKCARE_DATA_DIR": str(tmp_path_factory.mktemp("race")),
        "DJANGO_SETTINGS_MODULE": "tests.live_settings",
        "LOG_LEVEL": "WARNING",
    }
    env.pop("BACKCARE_TEST_NOW", None)
    drop = None
    if env.get("DATABASE_URL"):
        env["DATABASE_URL"], drop = _own_postgres(env["DATABASE_URL"])
    try:
        _manage(env, "manage.py", "migrate", "-v0")
        seeded = json.loads(_manage(env, "-m", "tests.live_booking", "seed").splitlines()[-1])
        port = _free_port()
        process = subprocess.Popen(
            [PYTHON, "-m", "gunicorn", "backcare.wsgi", "--bind", f"127.0.0.1:{port}",
             "--workers", "3", "--threads", "4", "--log-level", "warning"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )  # fmt: skip
        try:
            _wait(port)
            yield f"127.0.0.1:{port}", env, seeded
        finally:
            process.terminate()
            _, errors = process.communicate(timeout=20)
            assert b"Traceback" not in errors, errors.decode()[-3000:]
    finally:
        if drop is not None:
            drop()


def _wait(port: int) -> None:
    for _ in range(200):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.1)
    pytest.fail("gunicorn did not start")


@dataclass(frozen=True)
class Attempt:
    session: str
    token: str
    patient: int
    kind: dict[str, int]
    practitioner: int | None  # None: anyone
    start: str


def _token(host: str, session: str, location: int, kind: int) -> str:
    """The booking page as the patient sees it, and the CSRF token its form carries."""
    conn = http.client.HTTPConnection(host, timeout=30)
    query = urllib.parse.urlencode({"location": location, "type": kind})
    conn.request("GET", f"/book/?{query}", headers={"Cookie": f"sessionid={session}"})
    response = conn.getresponse()
    page = response.read().decode()
    assert response.status == 200 and "Log in to book" not in page
    cookie = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie") or "")
    form = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert cookie and form
    return f"{cookie[1]}|{form[1]}"


def _post(host: str, location: int, a: Attempt) -> tuple[int, str]:
    cookie, form = a.token.split("|")
    body = urllib.parse.urlencode(
        {
            "csrfmiddlewaretoken": form,
            "location": location,
            "type": a.kind["id"],
            "practitioner": a.practitioner or "any",
            "start": a.start,
            "reason": "race",
        }
    )
    conn = http.client.HTTPConnection(host, timeout=60)
    conn.request(
        "POST",
        "/book/",
        body=body,
        headers={
            "Cookie": f"sessionid={a.session}; csrftoken={cookie}",
            "Content-Type": "application/x-www-form-urlencoded",
        },
    )
    response = conn.getresponse()
    return response.status, response.read().decode()


def _attempts(host: str, seeded: dict[str, Any]) -> list[Attempt]:
    rng = random.Random(200)  # noqa: S311 (the same race every run)
    tokens = {
        s["key"]: _token(host, s["key"], seeded["location"], seeded["types"][0]["id"])
        for s in seeded["sessions"]
    }
    out = []
    for _ in range(ATTEMPTS):
        s = rng.choice(seeded["sessions"])
        out.append(
            Attempt(
                session=s["key"],
                token=tokens[s["key"]],
                patient=s["patient"],
                kind=rng.choice(seeded["types"]),
                practitioner=rng.choice([*seeded["practitioners"][:2], None]),
                start=rng.choice(seeded["starts"]),
            )
        )
    return out


def _in_the_way(a: Attempt, rows: list[dict[str, Any]], everyone: list[int]) -> bool:
    """A booked row that really stood in the way of a losing attempt: the practitioner's time
    and buffer, or the patient's own appointment. For anyone, a row in the way of one of them:
    "anyone" tries those whose slots (laid end to end) start at that time, not every giver."""
    start = datetime.fromisoformat(a.start)
    end = start + timedelta(minutes=a.kind["minutes"])
    blocked = end + timedelta(minutes=a.kind["buffer"])
    t = [(r, datetime.fromisoformat(r["start"])) for r in rows]

    def busy(who: int) -> bool:
        return any(
            r["practitioner"] == who and s < blocked and start < _at(r["blocked_until"])
            for r, s in t
        )

    patient = any(r["patient"] == a.patient and s < end and start < _at(r["end"]) for r, s in t)
    wanted = [a.practitioner] if a.practitioner else everyone
    return patient or any(busy(w) for w in wanted)


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def test_200_concurrent_bookings_sell_each_time_once(server: tuple[str, dict[str, str], Any]):
    host, env, seeded = server
    attempts = _attempts(host, seeded)
    gate = threading.Barrier(50)

    def fire(a: Attempt) -> tuple[int, str]:
        with contextlib.suppress(threading.BrokenBarrierError):  # the last few go as they can
            gate.wait(timeout=5)
        return _post(host, seeded["location"], a)

    began = time.monotonic()
    with ThreadPoolExecutor(max_workers=50) as pool:
        results = list(pool.map(fire, attempts))
    took = time.monotonic() - began
    found = json.loads(_manage(env, "-m", "tests.live_booking", "rows").splitlines()[-1])
    expected = "postgresql" if os.environ.get("DATABASE_URL") else "sqlite"
    assert found["vendor"] == expected
    assert found["overlaps"] == {"practitioner": 0, "patient": 0, "same_start": 0}
    rows = [r for r in found["rows"] if r["status"] == "booked"]
    statuses = [status for status, _ in results]
    assert 500 not in statuses and set(statuses) <= {302, 409}, statuses
    assert statuses.count(302) == len(rows) == len(found["rows"]) >= len(seeded["starts"])
    for a, (status, page) in zip(attempts, results, strict=True):
        if status == 409:
            assert "just taken" in page
            assert _in_the_way(a, rows, seeded["practitioners"]), a
    print(f"{ATTEMPTS} attempts in {took:.1f} s")
    assert took < 60, f"{ATTEMPTS} attempts took {took:.0f} s"
