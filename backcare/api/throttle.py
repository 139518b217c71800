"""Requests per minute, per token (or session login) and per network address.

Counted in fixed one-minute windows where every server process sees the same counts: by
default in the database (one upsert a request that counts both keys and returns the new
counts), or with BACKCARE_API_COUNTS=redis in Redis (one round trip, a script of INCR and
EXPIRE, and no database write a request: on SQLite every write waits for the file's one write
lock and its fsync). A refused request is a 429 with Retry-After: the seconds until the window
turns.
"""

from __future__ import annotations

import hashlib
import hmac
import math
from datetime import datetime
from functools import cache
from typing import Any

from django.conf import settings
from django.db import connection

from backcare.accounts.ratelimit import client_address
from backcare.api.models import RequestCount
from backcare.api.problems import Problem

WINDOW = 60


def _key(kind: str, value: str) -> str:
    secret = settings.SECRET_KEY.encode()
    return hmac.new(secret, f"api\0{kind}\0{value}".encode(), hashlib.sha256).hexdigest()


def _count(keys: list[str], window: int) -> dict[str, int]:
    q = connection.ops.quote_name
    table = q(RequestCount._meta.db_table)
    key, start, count = q("key"), q("window_start"), q("count")
    values = ", ".join(["(%s, %s, 1)"] * len(keys))
    # Works on SQLite (3.35+) and PostgreSQL alike; the constraint is (key, window_start).
    sql = (
        f"INSERT INTO {table} ({key}, {start}, {count}) VALUES {values} "  # noqa: S608
        f"ON CONFLICT ({key}, {start}) DO UPDATE SET {count} = {table}.{count} + 1 "
        f"RETURNING {key}, {count}"
    )
    params: list[object] = []
    for k in keys:
        params += [k, window]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = {k: int(c) for k, c in cursor.fetchall()}
    if any(c == 1 for c in found.values()):  # a new window: forget this key's older ones
        RequestCount.objects.filter(key__in=keys, window_start__lt=window).delete()
    return found


# One round trip for every key of a request: each is counted, and a new one is given its expiry
# in the same step (a script runs whole, so no key is ever left without one).
COUNT_SCRIPT = """
local counts = {}
for i, key in ipairs(KEYS) do
  counts[i] = redis.call('INCR', key)
  if counts[i] == 1 then redis.call('EXPIRE', key, ARGV[1]) end
end
return counts
"""


@cache
def _redis(url: str) -> Any:
    """The process's connection pool for `url`, and the counting script registered on it
    (connections, not state: no counts are kept in the process)."""
    import redis

    client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
    return client.register_script(COUNT_SCRIPT)


def _count_redis(keys: list[str], window: int) -> dict[str, int]:
    """The same counts in Redis. A key expires a window after its own ends (no clean-up step).
    Redis out of reach is a 503 (try again shortly), as a database outage is, never a 500."""
    import redis

    names = [f"backcare:api:{k}:{window}" for k in keys]
    try:
        done = _redis(settings.REDIS_URL)(keys=names, args=[2 * WINDOW])
    except redis.RedisError as exc:
        raise Problem(
            503,
            "The request counter could not be reached just now; nothing was done. "
            "Try again shortly.",
            headers={"Retry-After": "5"},
        ) from exc
    return {k: int(c) for k, c in zip(keys, done, strict=True)}


def check(request: object, *, who: str | None, now: datetime) -> None:
    """Count this request for its address (and `who`, a token or login); raise a 429 Problem
    when either has used up its minute."""
    per_address, per_who = settings.BACKCARE_API_RATE_LIMITS
    window = int(now.timestamp()) // WINDOW * WINDOW
    limits = {_key("address", client_address(request)): per_address}  # type: ignore[arg-type]
    if who is not None:
        limits[_key("who", who)] = per_who
    counts = (_count_redis if settings.BACKCARE_API_COUNTS == "REDIS" else _count)(
        list(limits), window
    )
    if any(counts.get(k, 0) > n for k, n in limits.items()):
        wait = max(1, math.ceil(window + WINDOW - now.timestamp()))
        raise Problem(
            429,
            f"Too many requests this minute; try again in {wait} seconds.",
            headers={"Retry-After": str(wait)},
        )
