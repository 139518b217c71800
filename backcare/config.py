"""Settings from environment variables: safe defaults for a laptop, loud failure on bad values."""

from __future__ import annotations

import os
import zoneinfo
from collections.abc import Mapping

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def env_str(name: str, default: str, environ: Mapping[str, str] = os.environ) -> str:
    return environ.get(name, default)


def env_bool(name: str, default: bool, environ: Mapping[str, str] = os.environ) -> bool:
    raw = environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name}={raw!r}: must be one of true, false, 1, 0, yes, no, on, off"
    )


def env_int(
    name: str, default: int, *, minimum: int = 0, environ: Mapping[str, str] = os.environ
) -> int:
    raw = environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r}: must be a whole number") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name}={raw!r}: must be {minimum} or more")
    return value


def env_timezone(name: str, default: str, environ: Mapping[str, str] = os.environ) -> str:
    raw = environ.get(name) or default
    try:
        zoneinfo.ZoneInfo(raw)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ImproperlyConfigured(
            f"{name}={raw!r}: must be an IANA time zone name such as Europe/London"
        ) from None
    return raw


def env_choice(
    name: str, default: str, allowed: tuple[str, ...], environ: Mapping[str, str] = os.environ
) -> str:
    raw = (environ.get(name) or default).strip()
    if raw.upper() not in allowed:
        raise ImproperlyConfigured(f"{name}={raw!r}: must be one of {', '.join(allowed)}")
    return raw.upper()


def env_list(name: str, default: list[str], environ: Mapping[str, str] = os.environ) -> list[str]:
    raw = environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def database(url: str, *, sqlite_path: str, conn_max_age: int, pool: int = 0) -> dict[str, object]:
    """The default database: PostgreSQL (or another) from a URL, else the embedded SQLite file.

    `pool` > 0 (BACKCARE_DB_POOL) on PostgreSQL: each process keeps Django's psycopg connection
    pool of at most that many connections instead of one persistent connection per thread.
    Django refuses a pool with persistent connections, so CONN_MAX_AGE is then 0 (a request
    hands its connection back to the pool); the pool checks a connection before lending it
    (CONN_HEALTH_CHECKS), so a restarted PostgreSQL costs no request a dead connection.
    """
    if url:
        import dj_database_url

        try:
            db: dict[str, object] = dict(
                dj_database_url.parse(url, conn_max_age=conn_max_age, conn_health_checks=True)
            )
        except ValueError as exc:
            raise ImproperlyConfigured(f"DATABASE_URL: {exc}") from None
        if not db.get("NAME"):
            raise ImproperlyConfigured("DATABASE_URL: must name a database, e.g. .../backcare")
        if pool:
            if db.get("ENGINE") != "django.db.backends.postgresql":
                raise ImproperlyConfigured(
                    f"BACKCARE_DB_POOL={pool}: a connection pool needs a PostgreSQL DATABASE_URL"
                )
            options = dict(db.get("OPTIONS") or {})  # type: ignore[call-overload]
            options["pool"] = {"min_size": 1, "max_size": pool, "timeout": 10}
            db.update(OPTIONS=options, CONN_MAX_AGE=0)
        return db
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": sqlite_path,
        "CONN_MAX_AGE": conn_max_age,
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": {
            # WAL lets readers and one writer work at once; synchronous=FULL makes each commit
            # reach the disk before it returns, because clinical data must survive a power cut.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;",
            # Take the write lock at BEGIN, so two writers queue instead of failing mid-transaction.
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        },
    }


def secret_key(environ: Mapping[str, str], key_file: str) -> str:
    """SECRET_KEY from the environment, else one generated once and kept in the data folder."""
    if environ.get("SECRET_KEY"):
        return environ["SECRET_KEY"]
    try:
        with open(key_file, encoding="utf-8") as handle:
            return handle.read().strip()
    except FileNotFoundError:
        from django.core.management.utils import get_random_secret_key

        key = get_random_secret_key()
        os.makedirs(os.path.dirname(key_file), exist_ok=True)
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(key)
        return key
