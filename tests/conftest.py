from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine

_DB_FIXTURES = {
    "db",
    "transactional_db",
    "client",
    "admin_client",
    "django_user_model",
    "live_server",
}

# No test reads the real clock: each runs with time-machine pinned at an instant (ticking from
# there), by default the second of these. `make test` runs the suite again at each of them, so a
# date worked out from the server's clock instead of the person's cannot hide until CI happens to
# run at the wrong hour. BACKCARE_TEST_NOW picks another instant (any ISO 8601 instant).
# Browser tests keep the real clock: Chromium's own clock cannot be pinned from here, and the
# pages compare times with it.
INSTANTS = (
    "2026-12-01T00:30:00Z",
    "2026-12-01T11:00:00Z",
    "2026-12-01T15:30:00Z",
    "2026-12-01T23:30:00Z",
)
PINNED = os.environ.get("BACKCARE_TEST_NOW") or INSTANTS[1]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that touches the database, so CI can run them again on PostgreSQL."""
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        if item.get_closest_marker("django_db") or names & _DB_FIXTURES:
            item.add_marker(pytest.mark.db)


def pytest_report_header() -> str:
    return f"clock pinned at {PINNED} (BACKCARE_TEST_NOW), browser tests on the real clock"


@pytest.fixture(autouse=True)
def _pinned_clock(request: pytest.FixtureRequest) -> Iterator[None]:
    if request.node.get_closest_marker("browser"):
        yield
        return
    with time_machine.travel(PINNED, tick=True):
        yield


@pytest.fixture(autouse=True)
def _no_kept_checklists() -> Iterator[None]:
    """Each test starts with no kept Today checklist: a rolled-back test's rows give their ids
    to the next test's, and with the clock pinned even their times can be the same."""
    from django.core.cache import caches

    caches["today"].clear()
    yield


@pytest.fixture(autouse=True)
def _plain_static_files(settings: Any) -> None:
    """Tests run without collectstatic, so serve static files without the hashed manifest."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # Password hashing is deliberately slow; tests need speed, not protection.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
