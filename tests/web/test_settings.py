"""Settings fail loudly on bad values; the databases are set up as the house plan says."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.backends.sqlite3.base import DatabaseWrapper
from django.test import Client

from backcare import config


@pytest.mark.parametrize(
    ("reader", "raw", "message"),
    [
        (lambda env: config.env_bool("DEBUG", False, env), "maybe", "DEBUG='maybe'"),
        (lambda env: config.env_int("CONN_MAX_AGE", 1, environ=env), "ten", "CONN_MAX_AGE='ten'"),
        (lambda env: config.env_int("CONN_MAX_AGE", 1, environ=env), "-5", "must be 0 or more"),
    ],
)
def test_malformed_values_raise_naming_the_variable(reader, raw: str, message: str) -> None:  # type: ignore[no-untyped-def]
    name = "DEBUG" if "DEBUG" in message else "CONN_MAX_AGE"
    with pytest.raises(ImproperlyConfigured, match=message):
        reader({name: raw})


@pytest.mark.parametrize(("raw", "value"), [("true", True), ("0", False), ("", True)])
def test_bool_values(raw: str, value: bool) -> None:
    assert config.env_bool("X", True, {"X": raw}) is value


def test_a_database_url_without_a_database_name_is_refused() -> None:
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL"):
        config.database("postgres://postgres@127.0.0.1:5432", sqlite_path="x", conn_max_age=0)


def test_a_pool_on_postgres_replaces_persistent_connections() -> None:
    db = config.database("postgres://u@db:5432/backcare", sqlite_path="x", conn_max_age=600, pool=8)
    assert db["OPTIONS"] == {"pool": {"min_size": 1, "max_size": 8, "timeout": 10}}
    assert db["CONN_MAX_AGE"] == 0  # Django refuses a pool with persistent connections
    assert db["CONN_HEALTH_CHECKS"] is True  # the pool checks a connection before lending it


def test_a_pool_without_postgres_is_refused_naming_the_setting() -> None:
    with pytest.raises(ImproperlyConfigured, match=r"BACKCARE_DB_POOL=8: .*PostgreSQL"):
        config.database("sqlite:///x.db", sqlite_path="x", conn_max_age=600, pool=8)


def test_a_database_url_gives_postgres_with_persistent_connections() -> None:
    db = config.database("postgres://u@db:5432/backcare", sqlite_path="x", conn_max_age=600)
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert db["CONN_MAX_AGE"] == 600


@pytest.mark.django_db
def test_embedded_sqlite_uses_wal_and_full_sync(tmp_path: Path) -> None:
    db = config.database("", sqlite_path=str(tmp_path / "b.sqlite3"), conn_max_age=600)
    wrapper = DatabaseWrapper({**settings.DATABASES["default"], **db, "TIME_ZONE": None})
    try:
        with wrapper.cursor() as cursor:
            assert cursor.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
            assert cursor.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    finally:
        wrapper.close()
    assert db["CONN_MAX_AGE"] == 600


def test_the_secret_key_is_generated_once_and_kept(tmp_path: Path) -> None:
    key_file = str(tmp_path / "data" / "secret_key")
    first = config.secret_key({}, key_file)
    assert len(first) >= 50
    assert config.secret_key({}, key_file) == first
    assert config.secret_key({"SECRET_KEY": "from-env"}, key_file) == "from-env"


def test_the_user_model_is_backcares_own() -> None:
    assert settings.AUTH_USER_MODEL == "accounts.User"


@pytest.mark.django_db
def test_users_are_stored(django_user_model) -> None:  # type: ignore[no-untyped-def]
    user = django_user_model.objects.create_user("maya", password="a long passphrase 42")
    assert django_user_model.objects.get(pk=user.pk).timezone == "UTC"


@pytest.mark.django_db
def test_health_check_answers_when_the_database_does(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert connection.vendor in {"sqlite", "postgresql"}


@pytest.mark.django_db
def test_the_suite_runs_on_the_database_it_was_asked_for() -> None:
    url = os.environ.get("DATABASE_URL", "")
    assert connection.vendor == ("postgresql" if url.startswith("postgres") else "sqlite")


def test_deploy_checks_are_clean_with_production_settings(tmp_path: Path) -> None:
    import secrets
    import subprocess
    import sys

    env = {
        **os.environ,
        "DEBUG": "false",
        "BACKCARE_HTTPS": "true",
        "ALLOWED_HOSTS": "backcare.example.org",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "BACKCARE_DATA_DIR": str(tmp_path),
    }
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    done = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout
