from __future__ import annotations

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
