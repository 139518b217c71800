"""Two app servers, one database: nothing a request needs is kept in one process.

Two gunicorn processes (standing in for two hosts) serve the same database: one SQLite file, and
(with DATABASE_URL naming a PostgreSQL server) a PostgreSQL database that each process reaches
through its own Django connection pool. A person logs in and
checks in through the first; the second serves their session, their Today and their data with the
check-in in it; a second check-in through the second is seen by the first. A per-process cache
of sessions, plans or check-ins would fail this.
"""

from __future__ import annotations

import http.cookiejar
import json
import re
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack

import pytest

from tests import live


@pytest.fixture(
    scope="module",
    params=["sqlite", pytest.param("postgres-pool", marks=pytest.mark.db)],
)
def servers(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, str]]:
    """Two gunicorn processes on one SQLite file, or on one PostgreSQL database with each
    process keeping Django's connection pool (BACKCARE_DB_POOL)."""
    data = tmp_path_factory.mktemp("two-servers")
    with ExitStack() as stack:
        if request.param == "sqlite":
            env = live.base_env(data)
        else:
            url = stack.enter_context(live.scratch_postgres(live.postgres_url()))
            env = {**live.base_env(data, url), "BACKCARE_DB_POOL": "4"}
        live.prepare(env)
        ports = [live.free_port(), live.free_port()]
        procs = [live.gunicorn(env, port, workers=1) for port in ports]
        urls = [f"http://127.0.0.1:{port}" for port in ports]
        try:
            for url in urls:
                live.wait_until_up(url)
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


def demo_logged_in(server: str) -> Browser:
    person = Browser()
    login = server + "/account/login/"
    person.post(login, {"username": "demo", "password": "backcare-demo"}, referer=login)
    return person


def check_ins(browser: Browser, server: str) -> list[dict[str, object]]:
    data = json.loads(browser.get(server + "/account/my-data.json"))
    return list(data["check_ins"])


def test_a_session_and_a_check_in_made_through_one_server_are_served_by_the_other(
    servers: tuple[str, str],
) -> None:
    a, b = servers
    person = demo_logged_in(a)
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


def test_a_warning_sign_checked_in_through_one_server_stops_the_others_kept_today(
    servers: tuple[str, str],
) -> None:
    """Each process keeps the API's Today under the version it reads from the database on every
    request (api/me.py): B's kept checklist gives way at once to A's check-in."""
    a, b = servers
    person = demo_logged_in(a)
    before = json.loads(person.get(b + "/api/v1/me/today"))
    assert json.loads(person.get(b + "/api/v1/me/today")) == before  # kept by B
    assert not before["stopped"]
    form = {"pain_now": "4", "spasm_episodes": "2", "new_warning_signs": ["fever"]}
    person.post(a + "/check-in/", form, referer=a + "/check-in/")
    after = json.loads(person.get(b + "/api/v1/me/today"))
    assert after["stopped"] and after["exercises"] == [] and after["checked_in_today"]
