"""Two app servers, one database: nothing a request needs is kept in one process.

Two gunicorn processes (standing in for two hosts) serve the same database. A person logs in and
checks in through the first; the second serves their session, their Today and their data with the
check-in in it; a second check-in through the second is seen by the first. A per-process cache
of sessions, plans or check-ins would fail this.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
GUNICORN = str(Path(PYTHON).with_name("gunicorn"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    data = tmp_path_factory.mktemp("two-servers")
    env = {
        **os.environ,
        "BACKCARE_DATA_DIR": str(data),
        "DJANGO_SETTINGS_MODULE": "backcare.settings",
        "LOG_LEVEL": "WARNING",
    }
    env.pop("DATABASE_URL", None)  # one SQLite file, shared by both processes
    env.pop("BACKCARE_TEST_NOW", None)
    for command in (["migrate", "-v0"], ["seed_demo"], ["collectstatic", "--noinput", "-v0"]):
        subprocess.run(
            [PYTHON, "manage.py", *command], cwd=ROOT, env=env, check=True, capture_output=True
        )
    ports = [free_port(), free_port()]
    procs = [
        subprocess.Popen(
            [GUNICORN, "backcare.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for port in ports
    ]
    urls = [f"http://127.0.0.1:{port}" for port in ports]
    try:
        for url in urls:
            for _ in range(100):
                try:
                    urllib.request.urlopen(url + "/healthz", timeout=2)  # noqa: S310
                    break
                except OSError:
                    time.sleep(0.1)
            else:
                pytest.fail(f"{url} did not start")
        yield urls[0], urls[1]
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            p.wait(timeout=10)


class Browser:
    """Just enough of a browser: one cookie jar, used against either server."""

    def __init__(self) -> None:
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, url: str) -> str:
        with self.opener.open(url, timeout=10) as r:
            return str(r.read().decode())

    def post(self, url: str, form: dict[str, str | list[str]], *, referer: str) -> int:
        page = self.get(url)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert token, url
        body = urllib.parse.urlencode({**form, "csrfmiddlewaretoken": token[1]}, doseq=True)
        headers = {"Referer": referer}
        request = urllib.request.Request(url, data=body.encode(), headers=headers)  # noqa: S310
        with self.opener.open(request, timeout=10) as r:
            return int(r.status)


def check_ins(browser: Browser, server: str) -> list[dict[str, object]]:
    data = json.loads(browser.get(server + "/account/my-data.json"))
    return list(data["check_ins"])


def test_a_session_and_a_check_in_made_through_one_server_are_served_by_the_other(
    servers: tuple[str, str],
) -> None:
    a, b = servers
    person = Browser()
    person.post(
        a + "/account/login/",
        {"username": "demo", "password": "backcare-demo"},
        referer=a + "/account/login/",
    )
    before = check_ins(person, b)  # the session made on A works on B
    assert before
    form = {
        "pain_now": "7",
        "spasm_episodes": "5",
        "exercises_done": ["walking"],
        "pain_during_exercise": "3",
        "pain_next_morning": "",
        "new_warning_signs": ["none"],
    }
    person.post(a + "/check-in/", form, referer=a + "/check-in/")
    after = check_ins(person, b)
    assert len(after) == len(before) + 1
    assert after[-1]["pain_now"] == 7 and after[-1]["spasm_episodes"] == 5
    assert "Change today's check-in" in person.get(b + "/today/").replace("&#x27;", "'")
    # The same day again, through B: one check-in for the day, updated, as A sees it.
    person.post(b + "/check-in/", {**form, "pain_now": "4"}, referer=b + "/check-in/")
    seen_by_a = check_ins(person, a)
    assert len(seen_by_a) == len(after) and seen_by_a[-1]["pain_now"] == 4
