from __future__ import annotations

from typing import Any

import pytest

_DB_FIXTURES = {
    "db",
    "transactional_db",
    "client",
    "admin_client",
    "django_user_model",
    "live_server",
}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that touches the database, so CI can run them again on PostgreSQL."""
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        if item.get_closest_marker("django_db") or names & _DB_FIXTURES:
            item.add_marker(pytest.mark.db)


@pytest.fixture(autouse=True)
def _plain_static_files(settings: Any) -> None:
    """Tests run without collectstatic, so serve static files without the hashed manifest."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # Password hashing is deliberately slow; tests need speed, not protection.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
