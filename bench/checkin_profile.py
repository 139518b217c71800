"""Where a check-in POST's time goes, in-process, beside the bare-insert view (issue 12).

    python bench/checkin_profile.py [--patients 300] [--days 100] [--top 30] [--no-profile]

On a fresh SQLite database in a temporary directory (or DATABASE_URL, flushed first), seeds
`--patients` patients whose plans began `--days` days ago, with a check-in a day up to
yesterday (bench/history.py's course: steps, snapshots and weekly summaries as the app stores
them). Then, through django.test.Client with CSRF enforced and each request under the next
patient's session, it POSTs the web form's check-in (the body bench/history.py sends through
wrk), so every POST is that patient's first check-in of the day, and the same number of POSTs
to `/bench/insert/` (bench/urls.py). It prints, for each: ms per POST (wall and this process's
CPU), SQL statements per POST (CaptureQueriesContext, BEGIN/COMMIT/savepoints counted apart),
and then a cProfile top list of a second batch of patients' check-ins.

A wrk run measures throughput; this measures what one request costs and where, without the
server's noise, so each change can be weighed on its own. The in-process ratio is a guide: wrk's
figure also pays for gunicorn's parsing and the disk's fsync.
"""

from __future__ import annotations

import argparse
import atexit
import cProfile
import os
import pstats
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
if not os.environ.get("DATABASE_URL"):
    os.environ["BACKCARE_DATA_DIR"] = tempfile.mkdtemp(prefix="checkin-profile-")
    atexit.register(shutil.rmtree, os.environ["BACKCARE_DATA_DIR"], ignore_errors=True)
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.ceiling import CSRF  # noqa: E402
from bench.history import CHECK_IN, PASSWORD, ZONE, _batch, course, sessions  # noqa: E402
from bench.urls import create_table  # noqa: E402

TRANSACTION = re.compile(r"^(SAVEPOINT|RELEASE SAVEPOINT|BEGIN|COMMIT)", re.IGNORECASE)


def seed(patients: int, days: int) -> list[int]:
    from zoneinfo import ZoneInfo

    call_command("migrate", verbosity=0)
    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)  # WhiteNoise warns without
    call_command("flush", interactive=False, verbosity=0)
    create_table()
    today = timezone.now().astimezone(ZoneInfo(ZONE)).date()
    k = course(days, today)
    hashed = make_password(PASSWORD)
    ids: list[int] = []
    for first in range(0, patients, 250):
        with transaction.atomic():
            ids += _batch(days, first, min(250, patients - first), k, hashed)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return ids


def post(client: Client, key: str, url: str, body: str) -> Any:
    client.cookies["sessionid"] = key
    return client.post(
        url,
        body,
        content_type="application/x-www-form-urlencoded",
        headers={"x-csrftoken": CSRF, "referer": f"http://testserver{url}"},
    )


class Timings:
    """Each POST's wall and CPU time. Queries are counted apart (`counted`): Django's debug
    cursor, which CaptureQueriesContext turns on, costs each query time of its own, and would
    weigh on the check-in's ten more than on the bare insert's three."""

    def __init__(self) -> None:
        self.wall: list[float] = []
        self.cpu: list[float] = []

    def add(self, client: Client, key: str, url: str, body: str, status: int) -> None:
        began, began_cpu = time.perf_counter(), time.process_time()
        response = post(client, key, url, body)
        self.wall.append((time.perf_counter() - began) * 1000)
        self.cpu.append((time.process_time() - began_cpu) * 1000)
        assert response.status_code == status, (url, response.status_code)

    def summary(self) -> dict[str, float]:
        return {
            "wall": statistics.median(self.wall),
            "mean": statistics.fmean(self.wall),
            "cpu": statistics.median(self.cpu),
        }


def counted(client: Client, keys: list[str], url: str, body: str) -> tuple[float, float]:
    """Queries a POST makes, and BEGIN/COMMIT/savepoint statements, on average over `keys`."""
    queries = statements = 0
    for key in keys:
        with CaptureQueriesContext(connection) as captured:
            post(client, key, url, body)
        sql = [q["sql"] for q in captured.captured_queries]
        statements += len(sql)
        queries += sum(1 for s in sql if not TRANSACTION.match(s))
    return queries / len(keys), (statements - queries) / len(keys)


def show(name: str, r: dict[str, float], queries: tuple[float, float]) -> None:
    print(
        f"  {name:<12} {r['wall']:6.2f} ms median ({r['mean']:5.2f} mean), {r['cpu']:5.2f} ms CPU,"
        f" {queries[0]:4.1f} queries (+{queries[1]:.1f} BEGIN/COMMIT)"
    )


def statements(client: Client, keys: list[str]) -> None:
    """The database's own time for each of a check-in's statements (median, in order), so a
    slow statement shows apart from the Python around it."""
    spent: dict[tuple[int, str], list[float]] = {}
    order: list[str] = []

    def timer(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        began = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            shape = " ".join(sql.replace('"', "").split()[:4])[:60]
            spent.setdefault((len(order), shape), []).append((time.perf_counter() - began) * 1000)
            order.append(sql)

    for key in keys:
        order.clear()
        with connection.execute_wrapper(timer):
            post(client, key, "/check-in/", CHECK_IN)
    print(f"\ndatabase time per statement, median of {len(keys)} check-in POSTs (ms)")
    for (_, shape), times in sorted(spent.items()):
        print(f"  {statistics.median(times):6.3f}  {shape}")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--patients", type=int, default=300)
    parser.add_argument("--days", type=int, default=100)
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--no-profile", action="store_true")
    parser.add_argument("--dump", help="also write the profile here (for pstats or snakeviz)")
    args = parser.parse_args(argv)
    ids = seed(args.patients, args.days)
    keys = sessions(ids)
    half = len(keys) // 2
    timed_keys, profiled_keys = keys[:half], keys[half:]
    client = Client(enforce_csrf_checks=True)
    client.cookies["csrftoken"] = CSRF
    # Warm up: the first request imports and compiles what a server has ready (--preload).
    post(client, keys[0], "/bench/insert/", "x=1")
    post(client, timed_keys.pop(), "/check-in/", CHECK_IN)
    print(f"database: {connection.vendor}; {args.patients} patients, {args.days} days of history")
    # Taking turns, request by request, so a busy moment on a shared machine falls on both alike.
    bare_times, check_in_times = Timings(), Timings()
    for key in timed_keys:
        bare_times.add(client, key, "/bench/insert/", "x=1", 201)
        check_in_times.add(client, key, "/check-in/", CHECK_IN, 302)
    bare, check_in = bare_times.summary(), check_in_times.summary()
    few, profiled_keys = profiled_keys[:5], profiled_keys[5:]
    show("bare insert", bare, counted(client, few, "/bench/insert/", "x=1"))
    show("check-in", check_in, counted(client, few, "/check-in/", CHECK_IN))
    pairs = [b / c for b, c in zip(bare_times.cpu, check_in_times.cpu, strict=True)]
    print(
        f"  in-process ratio (bare / check-in): {bare['wall'] / check_in['wall']:.2f} of medians,"
        f" {statistics.median(pairs):.2f} median of each pair's CPU (steadier on a busy machine)"
    )
    statements(client, profiled_keys[: len(profiled_keys) // 2])
    profiled_keys = profiled_keys[len(profiled_keys) // 2 :]
    if args.no_profile:
        return 0
    profile = cProfile.Profile()
    profile.enable()
    for key in profiled_keys:
        post(client, key, "/check-in/", CHECK_IN)
    profile.disable()
    if args.dump:
        profile.dump_stats(args.dump)
    stats = pstats.Stats(profile).strip_dirs()
    print(f"\ncProfile, {len(profiled_keys)} check-in POSTs, by own time")
    stats.sort_stats("tottime").print_stats(args.top)
    print(f"cProfile, {len(profiled_keys)} check-in POSTs, by cumulative time")
    stats.sort_stats("cumulative").print_stats(args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
