"""`GET /api/v1/me/today` per second through gunicorn, with patients' own tokens (issue 11).

    python bench/api_today.py [--seconds 10] [--connections 32] [--tokens 400] [--warm 10]

On the web benchmark's database (bench/web.py seed: 10,000 patients with a year of check-ins,
reused while it is full), `--tokens` patients each get a personal access token (read scope);
wrk sends each request with the next patient's `Authorization: Bearer` header to gunicorn as
`make run` starts it (--preload, 2 sync workers), with the API's request limits raised so that
no request is refused for being many, and the counts in Redis (BACKCARE_API_COUNTS=redis, as
for several app servers; set it to `database` to measure the default). First `--warm` seconds
of the same requests, unmeasured: each patient's first read in each server process makes their
checklist, which the process then keeps under its version (docs/api.md, "Today, kept"). In the
same run and server, the bare-insert view (bench/urls.py: a session login and one row) and the
load balancer's `/healthz` (no login, `SELECT 1`: what this machine serves through the same
middleware at all) give ceilings, and the API's rate is printed beside both as ratios. Every
answer must be a 200 with the patient's own Today; exits 1 below the target (2,000 requests/s)
or on any error. The port is BENCH_PORT (default 8031).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"  # the bare-insert view beside the API
os.environ["BACKCARE_API_REQUESTS_PER_ADDRESS"] = "100000000"
os.environ["BACKCARE_API_REQUESTS_PER_TOKEN"] = "100000000"  # noqa: S105 (a count)
# Counted in Redis, as the many-servers deployment does (docs/deployment.md), unless asked.
os.environ.setdefault("BACKCARE_API_COUNTS", "redis")

from bench import web  # noqa: E402  (sets up Django on the bench database)

TARGET = 2000.0
PORT = int(os.environ.get("BENCH_PORT", "8031"))

LUA = """
local tokens = {%(tokens)s}
local n = 0
request = function()
  n = n + 1
  local headers = {}
  headers["Authorization"] = "Bearer " .. tokens[(n %% #tokens) + 1]
  return wrk.format("GET", "/api/v1/me/today", headers)
end
local shown = 0
response = function(status, headers, body)
  if status ~= 200 and shown < 3 then
    shown = shown + 1
    io.write("refused (" .. status .. "): " .. string.sub(body, 1, 600) .. "\\n")
  end
end
"""


def _tokens(count: int) -> list[str]:
    """A fresh read token for each of the first `count` bench patients (older ones revoked)."""
    from django.utils import timezone

    from backcare.api.models import AccessToken
    from backcare.api.tokens import do_create_token

    now = timezone.now()
    users = list(web.User.objects.filter(username__startswith="bench").order_by("pk")[:count])
    AccessToken.objects.filter(user__in=users, name="bench").delete()
    return [do_create_token(u, name="bench", scopes=["read"], now=now)[1] for u in users]


def _wrk(base: str, url: str, lua: str, seconds: int, connections: int) -> tuple[float, str]:
    script = Path(tempfile.mkstemp(suffix=".lua")[1])
    script.write_text(lua)
    try:
        done = subprocess.run(
            ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", str(script),
             base + url],
            capture_output=True, text=True, check=True, timeout=seconds + 60,
        )  # fmt: skip
    finally:
        script.unlink()
    print(done.stdout)
    rate = float(next(x for x in done.stdout.splitlines() if "Requests/sec" in x).split()[-1])
    bad = [x.strip() for x in done.stdout.splitlines() if "Non-2xx" in x or "Socket errors" in x]
    return rate, "; ".join(bad)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--tokens", type=int, default=400)
    parser.add_argument(
        "--warm", type=int, default=10,
        help="seconds of unmeasured requests first: each patient's first read of the day in "
        "each server process makes their checklist (a few ms); the measure is the reads after "
        "(5 s left about one patient in ten unkept in some process: 400 patients, 2 workers)",
    )  # fmt: skip
    args = parser.parse_args(argv)
    web.seed()
    from django.core.management import call_command

    from bench.ceiling import bare_insert_rate
    from bench.urls import create_table

    call_command("collectstatic", interactive=False, verbosity=0)
    create_table()
    tokens = _tokens(args.tokens)
    sessions = web.sessions(200)
    lua = LUA % {"tokens": ",".join(f'"{t}"' for t in tokens)}
    with web.Server(PORT) as base:
        if args.warm:
            _wrk(base, "/api/v1/me/today", lua, args.warm, args.connections)
        today, today_bad = _wrk(
            base, "/api/v1/me/today", lua, args.seconds, args.connections
        )  # fmt: skip
        bare = bare_insert_rate(base, sessions, seconds=args.seconds, connections=args.connections)
        health, _ = _wrk(base, "/healthz", "", args.seconds, args.connections)
    print(
        f"GET /api/v1/me/today: {today:,.0f} requests/s (target >= {TARGET:,.0f}; counts in "
        f"{os.environ['BACKCARE_API_COUNTS']}); bare insert {bare:,.0f} requests/s, ratio "
        f"{today / bare:.2f}; /healthz (no login, SELECT 1) {health:,.0f} requests/s, ratio "
        f"{today / health:.2f}"
    )
    misses = []
    if today < TARGET:
        misses.append(f"{today:,.0f} requests/s < {TARGET:,.0f}")
    if today_bad:
        misses.append(f"errors: {today_bad}")
    print("GET /api/v1/me/today: " + ("ok" if not misses else "MISS: " + "; ".join(misses)))
    return 1 if misses else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
