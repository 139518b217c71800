"""Check-in and Progress by the length of a person's history, against the bare-insert ceiling.

    python bench/history.py                  everything below, then the targets
    python bench/history.py progress         only the Progress page times
    python bench/history.py checkins         only the ceiling and the check-in POSTs

Seeds (afresh each run) PER patients for each history length (1, 100 and 365 days): a plan that
began that many days ago, one check-in a day up to yesterday with each day's progression step,
snapshot and weekly summary as the app stores them. Each POST in a run is that patient's first
check-in of the day (wrk gives every request the next patient's session), so every figure is a
real insert with its progression step, never an update of one row.

In the same run, through gunicorn started as `make run` starts it (--preload, the same config),
wrk POSTs at 32 connections to `/bench/insert/` (bench/urls.py: the same middleware, one row)
and to `/check-in/` for each length; every throughput is printed as a ratio to the ceiling.
Each run's BENCH_SECONDS (default 6) is split into BENCH_ROUNDS rounds (default 3), the runs
taking turns round by round, and no round repeats a session an earlier one used.
Progress is timed in-process (the test client, as for Today in bench/web.py).

The database is DATABASE_URL (PostgreSQL: its tables are ANALYZEd after seeding) or
BACKCARE_DATA_DIR/backcare.sqlite3 (default var/bench-history/). The port is BENCH_PORT
(default 8021). Exits 1 naming each missed target.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATA = Path(os.environ.setdefault("BACKCARE_DATA_DIR", str(ROOT / "var" / "bench-history")))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
if not os.environ.get("DATABASE_URL"):
    shutil.rmtree(DATA, ignore_errors=True)
DATA.mkdir(parents=True, exist_ok=True)

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from backcare.accounts.models import User  # noqa: E402
from backcare.care.actions import snapshot_json, step_json  # noqa: E402
from backcare.care.models import (  # noqa: E402
    AssessmentRecord,
    CheckIn,
    Patient,
    Plan,
    ProgressionStep,
    WeekSummary,
)
from backcare.domain.assessment import WARNING_SIGNS, Assessment  # noqa: E402
from backcare.domain.checkin import CheckIn as CheckInValue  # noqa: E402
from backcare.domain.plan import PLAN_VERSION, plan  # noqa: E402
from backcare.domain.progress import progress  # noqa: E402
from backcare.domain.progress_summary import Day, week_days  # noqa: E402
from backcare.domain.serialize import triage_json  # noqa: E402
from bench.ceiling import CSRF  # noqa: E402
from bench.urls import create_table  # noqa: E402

LENGTHS = (1, 100, 365)
PER = int(os.environ.get("BENCH_PATIENTS", "2500"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "6"))
CONNECTIONS = 32
PORT = int(os.environ.get("BENCH_PORT", "8021"))
ZONE = "Europe/London"
PASSWORD = "bench-password"  # noqa: S105
POSTGRES = connection.vendor == "postgresql"
CEILING_SHARE = 0.4 if POSTGRES else 0.5
P99_MS = 50.0
FLAT_CHECK_IN = 0.9
FLAT_PROGRESS = 1.2


def course(length: int, today: date) -> dict[str, Any]:
    """A plan `length` days old and its check-ins up to yesterday, as the app would store them."""
    answers = {
        "age": 44, "sex": None, "onset_days": 2, "mechanism": "lifting", "pain_now": 6,
        "spasm_episodes_per_day": 3, **dict.fromkeys(WARNING_SIGNS, False),
        "lifestyle": {"desk_hours_per_day": 8},
    }  # fmt: skip
    a = Assessment.model_validate(answers)
    start = today - timedelta(days=length - 1)
    made = plan(a, today=start)
    exercises = [p.exercise for p in made.state.prescriptions]
    days = []
    for n in range(length - 1):
        done = n % 5 != 0
        days.append(
            {"date": start + timedelta(days=n), "pain_now": max(1, 6 - n // 20 + n % 2),
             "spasm_episodes": max(0, 3 - n // 30), "new_warning_signs": [],
             "exercises_done": [{"exercise": e, "sets": 1} for e in exercises] if done else [],
             "pain_during_exercise": 2 if done else None, "pain_next_morning": 2 if n else None}
        )  # fmt: skip
    values = [CheckInValue.model_validate(d) for d in days]
    yesterday = today - timedelta(days=1)
    result = progress(made.state, values, today=max(start, yesterday)) if values else None
    weeks = week_days(
        start,
        [
            Day(d["date"], d["pain_now"], d["spasm_episodes"], bool(d["exercises_done"]))
            for d in days
        ],
    )
    return {
        "start": start, "answers": a.model_dump(mode="json"), "triage": triage_json(made.triage),
        "level": made.triage.level.value, "base": made.state.model_dump(mode="json"),
        "state": (result.state if result else made.state).model_dump(mode="json"),
        "phase": made.state.phase, "days": days, "weeks": weeks,
        "step": step_json(result) if result else None,
        "snapshot": snapshot_json(result) if result else None,
        "snapshot_on": result.snapshot.on if result and result.snapshot else None,
    }  # fmt: skip


def seed() -> dict[int, list[int]]:
    """PER patients for each length; returns their user ids by length."""
    call_command("flush", interactive=False, verbosity=0)
    create_table()
    today = timezone.now().astimezone(ZoneInfo(ZONE)).date()
    hashed = make_password(PASSWORD)
    began = time.perf_counter()
    out: dict[int, list[int]] = {}
    for length in LENGTHS:
        k = course(length, today)
        out[length] = []
        for first in range(0, PER, 250):
            with transaction.atomic():
                out[length] += _batch(length, first, min(250, PER - first), k, hashed)
    if POSTGRES:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    rows = sum(len(course_days) for course_days in [range(n - 1) for n in LENGTHS]) * PER
    print(f"seeded {PER * len(LENGTHS):,} patients, {rows:,} check-ins "
          f"in {time.perf_counter() - began:.0f} s ({connection.vendor})")  # fmt: skip
    return out


def _batch(length: int, first: int, count: int, k: dict[str, Any], hashed: str) -> list[int]:
    now = timezone.now()
    users = User.objects.bulk_create(
        User(username=f"h{length}-{n}", password=hashed, timezone=ZONE)
        for n in range(first, first + count)
    )
    patients = Patient.objects.bulk_create(
        Patient(user=u, name=u.username, timezone=ZONE, created_at=now) for u in users
    )
    records = AssessmentRecord.objects.bulk_create(
        AssessmentRecord(patient=p, answers=k["answers"], level=k["level"], triage=k["triage"],
                         policy_version=k["triage"]["policy_version"], created_at=now)
        for p in patients
    )  # fmt: skip
    last = k["days"][-1]["date"] if k["days"] else None
    plans = Plan.objects.bulk_create(
        Plan(patient=p, assessment=r, created_on=k["start"], checked_on=k["start"],
             episode_started_on=k["start"], episode_pain=k["answers"]["pain_now"],
             episode_spasms=k["answers"]["spasm_episodes_per_day"], last_check_in_on=last,
             base_state=k["base"], state=k["state"], level=k["level"], phase=k["phase"],
             plan_version=PLAN_VERSION, updated_at=now)
        for p, r in zip(patients, records, strict=True)
    )  # fmt: skip
    if not k["days"]:
        return [u.pk for u in users]
    rows = [
        CheckIn(patient=p, date=d["date"], pain_now=d["pain_now"],
                spasm_episodes=d["spasm_episodes"], exercises_done=d["exercises_done"],
                pain_during_exercise=d["pain_during_exercise"],
                pain_next_morning=d["pain_next_morning"], new_warning_signs=[], created_at=now)
        for p in patients for d in k["days"]
    ]  # fmt: skip
    created = CheckIn.objects.bulk_create(rows, batch_size=5000)
    latest = {c.patient_id: c for c in created if c.date == last}
    ProgressionStep.objects.bulk_create(
        ProgressionStep(plan=pl, check_in=latest[p.pk], status=k["step"]["status"],
                        level=k["level"], phase=k["step"]["phase"], result=k["step"],
                        engine_version=k["step"]["version"], created_at=now,
                        engine_state=k["snapshot"], snapshot_on=k["snapshot_on"])
        for p, pl in zip(patients, plans, strict=True)
    )  # fmt: skip
    WeekSummary.objects.bulk_create(
        WeekSummary(patient=p, plan=pl, starts_on=w.starts_on, days_checked_in=w.days_checked_in,
                    pain_total=w.pain_total, spasm_total=w.spasm_total,
                    exercise_days=w.exercise_days, pains=list(w.pains), spasms=list(w.spasms))
        for p, pl in zip(patients, plans, strict=True) for w in k["weeks"]
    )  # fmt: skip
    return [u.pk for u in users]


def sessions(user_ids: list[int]) -> list[str]:
    from tests.open_clinic import session_keys

    return session_keys(User.objects.filter(pk__in=user_ids).order_by("pk"))


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def progress_times(ids: dict[int, list[int]], requests: int = 300) -> dict[int, dict[str, float]]:
    """Progress render times for each length, the lengths taking turns request by request so a
    busy moment on a shared machine falls on all of them alike. One client, as one server
    process (a new client builds its middleware afresh, which a server does once), with each
    request under the next patient's session."""
    keys = {length: sessions(ids[length][:50]) for length in LENGTHS}
    client = Client()
    times: dict[int, list[float]] = {length: [] for length in LENGTHS}
    for n in range(requests):
        for length in LENGTHS:
            client.cookies["sessionid"] = keys[length][n % len(keys[length])]
            began = time.perf_counter()
            response = client.get("/progress/")
            times[length].append((time.perf_counter() - began) * 1000)
            assert response.status_code == 200, response.status_code
    return {
        length: {"p50": statistics.median(t), "p95": percentile(t, 0.95)}
        for length, t in times.items()
    }


# Each wrk thread takes every THREADS-th session from its own offset, so no two requests of a run
# share a session (and a check-in is always that patient's first of the day) until the list wraps.
THREADS = 2
LUA = """
local sessions = {%s}
local threads = {}
setup = function(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end
n = 0
request = function()
  local i = START + n * THREADS + id
  n = n + 1
  local headers = {}
  headers["Cookie"] = "sessionid=" .. sessions[(i %% #sessions) + 1] .. "; csrftoken=%s"
  headers["X-CSRFToken"] = "%s"
  headers["Content-Type"] = "application/x-www-form-urlencoded"
  headers["Referer"] = "http://127.0.0.1:%d%s"
  return wrk.format("POST", "%s", headers, "%s")
end
done = function(summary, latency, requests)
  local most = 0
  for _, thread in ipairs(threads) do most = math.max(most, thread:get("n")) end
  io.write(string.format("RESULT %%d %%.3f %%.2f %%d %%d\\n", summary.requests,
    summary.duration / 1e6, latency:percentile(99) / 1000,
    summary.errors.status + summary.errors.connect + summary.errors.timeout
    + summary.errors.read + summary.errors.write, START + most * THREADS))
end
"""
CHECK_IN = (
    "pain_now=3&spasm_episodes=2&exercises_done=walking&pain_during_exercise=2"
    "&new_warning_signs=none"
)


class Server:
    """gunicorn as `make run` starts it (--preload, backcare.gunicorn_conf), on loopback."""

    def __enter__(self) -> str:
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings", "LOG_LEVEL": "WARNING"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "backcare.wsgi",
             "-c", "python:backcare.gunicorn_conf", "--preload", "--bind", f"127.0.0.1:{PORT}",
             "--workers", "2", "--log-level", "warning"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
        )  # fmt: skip
        import socket

        for _ in range(200):
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", PORT)) == 0:
                    return f"http://127.0.0.1:{PORT}"
            time.sleep(0.1)
        raise SystemExit(f"gunicorn did not start on port {PORT}")

    def __exit__(self, *exc: object) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


# Each run's SECONDS are split into ROUNDS, the runs taking turns round by round (the ceiling,
# then each history length), so a slow moment of a shared machine, or a database file that grows
# as the runs go on, falls on all of them alike rather than on whichever came last.
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))


def wrk(
    base: str, url: str, keys: list[str], body: str, *, seconds: float, start: int = 0
) -> dict[str, float]:
    """One wrk run; its sessions are keys[start], keys[start + 1], ... (wrapping at the end),
    and "next" is where the following run should start so that it repeats none of them."""
    script = Path(tempfile.mkstemp(suffix=".lua")[1])
    quoted = ",".join(f'"{k}"' for k in keys)
    lua = LUA.replace("THREADS", str(THREADS)).replace("START", str(start))
    script.write_text(lua % (quoted, CSRF, CSRF, PORT, url, url, body))
    try:
        done = subprocess.run(
            ["wrk", f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{seconds:g}s", "-s", str(script),
             base + url],
            capture_output=True, text=True, check=True, timeout=seconds + 60,
        )  # fmt: skip
    finally:
        script.unlink()
    line = next(x for x in done.stdout.splitlines() if x.startswith("RESULT"))
    count, took, p99, errors, following = line.split()[1:]
    return {
        "requests": int(count), "seconds": float(took), "p99": float(p99),
        "errors": int(errors), "next": int(following),
    }  # fmt: skip


def combined(rounds: list[dict[str, float]], sessions_held: int) -> dict[str, float]:
    """A run's rounds as one: requests over seconds, and the worst round's p99 (wrk cannot
    merge latency histograms, so the figure errs high, never low)."""
    requests = sum(r["requests"] for r in rounds)
    return {
        "rate": requests / sum(r["seconds"] for r in rounds),
        "p99": max(r["p99"] for r in rounds),
        "errors": sum(r["errors"] for r in rounds),
        "requests": requests,
        "repeated": max(0, int(rounds[-1]["next"]) - sessions_held),
    }


def checkin_runs(ids: dict[int, list[int]]) -> dict[str, dict[str, float]]:
    keys = {length: sessions(ids[length]) for length in LENGTHS}
    runs = {"bare insert": ("/bench/insert/", sessions(ids[LENGTHS[0]][:200]), "x=1")}
    for length in LENGTHS:
        runs[f"check-in, {length} days"] = ("/check-in/", keys[length], CHECK_IN)
    done: dict[str, list[dict[str, float]]] = {name: [] for name in runs}
    with Server() as base:
        for _ in range(ROUNDS):
            for name, (url, held, body) in runs.items():
                start = int(done[name][-1]["next"]) if done[name] else 0
                done[name].append(wrk(base, url, held, body, seconds=SECONDS / ROUNDS, start=start))
    out = {name: combined(done[name], len(runs[name][1])) for name in runs}
    for length in LENGTHS:
        # Each acknowledged POST must be a stored first check-in of the day.
        out[f"check-in, {length} days"]["stored"] = CheckIn.objects.filter(
            patient__user_id__in=ids[length],
            date=timezone.now().astimezone(ZoneInfo(ZONE)).date(),
        ).count()
    return out


def report(runs: dict[str, dict[str, float]], pages: dict[int, dict[str, float]]) -> list[str]:
    misses = []
    print(f"database: {connection.vendor}; {CONNECTIONS} connections, {SECONDS} s a run")
    if runs:
        ceiling = runs["bare insert"]["rate"]
        for name, r in runs.items():
            print(
                f"  {name:<20} {r['rate']:7.0f} req/s  ratio {r['rate'] / ceiling:4.2f}"
                f"  p99 {r['p99']:5.1f} ms  errors {r['errors']:.0f}"
                + (f"  (repeated {r['repeated']:.0f} sessions)" if r["repeated"] else "")
            )
            if r["errors"]:
                misses.append(f"{name}: {r['errors']:.0f} errors")
            if "stored" in r and not r["repeated"] and r["stored"] < r["requests"]:
                misses.append(f"{name}: {r['requests']:.0f} POSTs, {r['stored']:.0f} stored")
        for length in LENGTHS:
            r = runs[f"check-in, {length} days"]
            if r["rate"] / ceiling < CEILING_SHARE:
                misses.append(
                    f"check-in at {length} days / bare insert {r['rate'] / ceiling:.2f}"
                    f" < {CEILING_SHARE}"
                )
            if r["p99"] >= P99_MS:
                misses.append(f"check-in at {length} days p99 {r['p99']:.1f} ms >= {P99_MS:g}")
        # Little's law: with CONNECTIONS requests always in flight, the mean response time is
        # CONNECTIONS / rate, so below CONNECTIONS / P99_MS requests/s no p99 can be under P99_MS.
        print(
            f"  at {CONNECTIONS} connections a p99 under {P99_MS:g} ms needs more than "
            f"{CONNECTIONS / P99_MS * 1000:.0f} req/s (the bare insert's own mean response: "
            f"{CONNECTIONS / ceiling * 1000:.0f} ms)"
        )
        flat = (
            runs[f"check-in, {LENGTHS[-1]} days"]["rate"]
            / runs[f"check-in, {LENGTHS[0]} days"]["rate"]
        )
        print(f"  check-in throughput {LENGTHS[-1]} days / {LENGTHS[0]} day: {flat:.2f}")
        if flat < FLAT_CHECK_IN:
            misses.append(f"check-in throughput {LENGTHS[-1]}/{LENGTHS[0]} days {flat:.2f} < 0.9")
    if pages:
        for length, p in pages.items():
            print(f"  Progress, {length:>3} days  p50 {p['p50']:5.1f} ms  p95 {p['p95']:5.1f} ms")
        grow = pages[LENGTHS[-1]]["p95"] / pages[LENGTHS[0]]["p95"]
        print(f"  Progress p95 {LENGTHS[-1]} days / {LENGTHS[0]} day: {grow:.2f}")
        if grow > FLAT_PROGRESS:
            misses.append(f"Progress p95 {LENGTHS[-1]}/{LENGTHS[0]} days {grow:.2f} > 1.2")
    for miss in misses:
        print(f"MISSED: {miss}")
    return misses


def main(argv: list[str]) -> int:
    part = argv[0] if argv else "all"
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    print(f"database: {connection.vendor} {settings.DATABASES['default']['NAME']}")
    ids = seed()
    from backcare.warmup import settle

    settle()
    pages = progress_times(ids) if part in ("all", "progress") else {}
    runs = checkin_runs(ids) if part in ("all", "checkins") else {}
    return 1 if report(runs, pages) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
