"""Web benchmarks for `make bench`: 10,000 patients and 1,000,000 check-ins.

    python bench/web.py seed        fill the bench database (once; reused while it is full)
    python bench/web.py pages       Today and Progress server-side render times, p50/p95
    python bench/web.py checkins    check-in POSTs per second through gunicorn, measured by wrk
    python bench/web.py weight      bytes a first visit to Today and Progress downloads

The database is BACKCARE_DATA_DIR/backcare.sqlite3 (default var/bench/), or DATABASE_URL.
Traffic goes to 127.0.0.1 only, for a bounded time.
"""

from __future__ import annotations

import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("BACKCARE_DATA_DIR", str(ROOT / "var" / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backcare.settings")
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

from backcare.accounts.models import User  # noqa: E402
from backcare.care.actions import step_json  # noqa: E402
from backcare.care.models import (  # noqa: E402
    AssessmentRecord,
    CheckIn,
    Patient,
    Plan,
    ProgressionStep,
)
from backcare.domain.assessment import WARNING_SIGNS, Assessment  # noqa: E402
from backcare.domain.checkin import CheckIn as CheckInValue  # noqa: E402
from backcare.domain.plan import PLAN_VERSION, plan  # noqa: E402
from backcare.domain.progress import progress  # noqa: E402
from backcare.domain.serialize import triage_json  # noqa: E402

PATIENTS = 10_000
DAYS = 100  # 10,000 x 100 = 1,000,000 check-ins
PASSWORD = "bench-password"  # noqa: S105
PORT = int(os.environ.get("BENCH_PORT", "8011"))
from bench.ceiling import CSRF  # noqa: E402


def variants(today: date) -> list[dict[str, Any]]:
    """A few kinds of patient, each with its plan and a realistic 100-day course."""
    start = today - timedelta(days=DAYS - 1)
    rng = random.Random(7)
    out = []
    for age, pain, onset, life in (
        (38, 6, 1, {"desk_hours_per_day": 8, "hamstrings_feel_tight": True}),
        (52, 4, 4, {"active_days_per_week": 1}),
        (29, 3, 8, {"stress": 8}),
        (44, 5, 2, {"heavy_lifting_at_work": True}),
    ):
        answers = {
            "age": age, "sex": None, "onset_days": onset, "mechanism": "lifting",
            "pain_now": pain, "spasm_episodes_per_day": 3,
            **dict.fromkeys(WARNING_SIGNS, False), "lifestyle": life,
        }  # fmt: skip
        a = Assessment.model_validate(answers)
        made = plan(a, today=start)
        exercises = [p.exercise for p in made.state.prescriptions]
        days = []
        for n in range(DAYS):
            did = rng.random() < 0.8
            p = max(0, min(10, pain - n // 15 + rng.choice([-1, 0, 0, 1])))
            day: dict[str, Any] = {
                "date": start + timedelta(days=n), "pain_now": p,
                "spasm_episodes": max(0, 3 - n // 20 + rng.choice([-1, 0, 1])),
                "exercises_done": [{"exercise": e, "sets": 1} for e in exercises] if did else [],
                "pain_during_exercise": rng.choice([1, 2, 2, 3, 4]) if did else None,
                "pain_next_morning": max(0, p - 1) if n else None,
                "new_warning_signs": [],
            }  # fmt: skip
            days.append(day)
        values = [CheckInValue.model_validate(d) for d in days]
        result = progress(made.state, values, today=today)
        out.append(
            {"answers": a.model_dump(mode="json"), "triage": triage_json(made.triage),
             "state": made.state.model_dump(mode="json"), "level": made.triage.level.value,
             "phase": made.state.phase, "days": days, "step": step_json(result),
             "progressed": result.state.model_dump(mode="json")}
        )  # fmt: skip
    return out


def seed(patients: int = PATIENTS) -> None:
    call_command("migrate", verbosity=0)
    if User.objects.filter(username__startswith="bench").count() >= patients:
        print(f"bench database already has {patients:,} patients")
        return
    today = timezone.now().astimezone(ZoneInfo("Europe/London")).date()  # the patients' zone
    start = today - timedelta(days=DAYS - 1)
    kinds = variants(today)
    hashed = make_password(PASSWORD)
    now = timezone.now()
    began = time.perf_counter()
    batch = 500
    for first in range(0, patients, batch):
        with transaction.atomic():
            _seed_batch(first, min(batch, patients - first), kinds, hashed, now, start)
        if first % 2000 == 0:
            print(f"  {first + batch:,} patients ({time.perf_counter() - began:.0f} s)")
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"seeded {patients:,} patients, {patients * DAYS:,} check-ins "
          f"in {time.perf_counter() - began:.0f} s")  # fmt: skip


def _seed_batch(
    first: int, count: int, kinds: list[dict[str, Any]], hashed: str, now: datetime, start: date
) -> None:
    users = User.objects.bulk_create(
        User(username=f"bench{n:05d}", password=hashed, timezone="Europe/London")
        for n in range(first, first + count)
    )
    chosen = [kinds[u.pk % len(kinds)] for u in users]
    patients = Patient.objects.bulk_create(
        Patient(user=u, name=u.username, timezone="Europe/London", created_at=now) for u in users
    )
    records = AssessmentRecord.objects.bulk_create(
        AssessmentRecord(patient=u, answers=k["answers"], level=k["level"], triage=k["triage"],
                         policy_version=k["triage"]["policy_version"], created_at=now)
        for u, k in zip(patients, chosen, strict=True)
    )  # fmt: skip
    plans = Plan.objects.bulk_create(
        Plan(patient=u, assessment=r, created_on=start, checked_on=start,
             episode_started_on=start, episode_pain=k["answers"]["pain_now"],
             episode_spasms=k["answers"]["spasm_episodes_per_day"],
             last_check_in_on=k["days"][-1]["date"] if k["days"] else None,
             base_state=k["state"], state=k["progressed"], level=k["level"],
             phase=k["phase"], plan_version=PLAN_VERSION, updated_at=now)
        for u, r, k in zip(patients, records, chosen, strict=True)
    )  # fmt: skip
    rows = [
        CheckIn(
            patient=u, date=d["date"], pain_now=d["pain_now"], spasm_episodes=d["spasm_episodes"],
            exercises_done=d["exercises_done"], pain_during_exercise=d["pain_during_exercise"],
            pain_next_morning=d["pain_next_morning"], new_warning_signs=[], created_at=now,
        )
        for u, k in zip(patients, chosen, strict=True)
        for d in k["days"]
    ]  # fmt: skip
    created = CheckIn.objects.bulk_create(rows, batch_size=5000)
    last = {c.patient_id: c for c in created if c.date == k_last(chosen)}
    ProgressionStep.objects.bulk_create(
        ProgressionStep(plan=p, check_in=last[u.pk], status="continue", level=k["level"],
                        phase=k["step"]["phase"], result=k["step"],
                        engine_version=k["step"]["version"], created_at=now)
        for u, p, k in zip(patients, plans, chosen, strict=True)
    )  # fmt: skip


def k_last(chosen: list[dict[str, Any]]) -> date:
    return chosen[0]["days"][-1]["date"]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def pages(requests: int = 300) -> dict[str, dict[str, float]]:
    """Server-side render time of Today and Progress for random patients (test client). One
    client, as one server process: a new client builds its middleware afresh (WhiteNoise lists
    every static file), which a server does once, not per request."""
    rng = random.Random(3)
    ids = list(User.objects.filter(username__startswith="bench").values_list("pk", flat=True))
    report: dict[str, dict[str, float]] = {}
    client = Client()
    for name, url in (("today", "/today/"), ("progress", "/progress/")):
        times, queries = [], []
        for _ in range(requests):
            client.force_login(User.objects.get(pk=rng.choice(ids)))
            with CaptureQueriesContext(connection) as captured:
                began = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - began) * 1000)
            assert response.status_code == 200, (url, response.status_code)
            queries.append(len(captured))
        report[name] = {
            "p50_ms": statistics.median(times), "p95_ms": percentile(times, 0.95),
            "max_queries": max(queries),
        }  # fmt: skip
        print(
            f"{name:<10} p50 {report[name]['p50_ms']:6.1f} ms   p95 "
            f"{report[name]['p95_ms']:6.1f} ms   queries {max(queries)}   (target p95 < 50 ms)"
        )
    return report


PAGE_LUA = """
local sessions = {%s}
local n = 0
request = function()
  n = n + 1
  local headers = {}
  headers["Cookie"] = "sessionid=" .. sessions[(n %% #sessions) + 1]
  return wrk.format("GET", "%s", headers)
end
done = function(summary, latency, requests)
  io.write(string.format("p50 %%.1f p95 %%.1f p99 %%.1f ms, %%d requests, %%d errors\\n",
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.requests, summary.errors.status + summary.errors.connect + summary.errors.timeout))
end
"""


def page_latency(seconds: int = 10, port: int = 8012) -> dict[str, str]:
    """Today and Progress through gunicorn, one request at a time, for many patients."""
    keys = sessions(1000)
    out = {}
    with Server(port) as base:
        for url in ("/today/", "/progress/"):
            script = Path(tempfile.mkstemp(suffix=".lua")[1])
            script.write_text(PAGE_LUA % (",".join(f'"{k}"' for k in keys), url))
            try:
                done = subprocess.run(
                    ["wrk", "-t1", "-c1", f"-d{seconds}s", "-s", str(script), base + url],
                    capture_output=True, text=True, check=True, timeout=seconds + 30,
                )  # fmt: skip
            finally:
                script.unlink()
            line = done.stdout.strip().splitlines()[-1]
            out[url] = line
            print(f"{url:<12} {line}   (target p95 < 50 ms)")
    return out


class Server:
    """gunicorn serving backcare on loopback for the length of a `with` block."""

    def __init__(self, port: int, workers: int = 2) -> None:
        self.port, self.workers = port, workers

    def __enter__(self) -> str:
        env = {**os.environ, "ALLOWED_HOSTS": "127.0.0.1,localhost"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "backcare.wsgi", "--preload", "--bind",
             f"127.0.0.1:{self.port}", "--workers", str(self.workers), "--log-level", "warning"],
            cwd=ROOT, env=env,
        )  # fmt: skip
        _wait_for(self.port)
        return f"http://127.0.0.1:{self.port}"

    def __exit__(self, *exc: object) -> None:
        self.process.terminate()
        self.process.wait(timeout=20)


def sessions(count: int) -> list[str]:
    """Log `count` patients in directly, returning their session keys."""
    from tests.open_clinic import session_keys

    return session_keys(User.objects.filter(username__startswith="bench").order_by("pk")[:count])


LUA = """
local sessions = {%s}
local n = 0
request = function()
  n = n + 1
  local s = sessions[(n %% #sessions) + 1]
  local headers = {}
  headers["Cookie"] = "sessionid=" .. s .. "; csrftoken=%s"
  headers["X-CSRFToken"] = "%s"
  headers["Content-Type"] = "application/x-www-form-urlencoded"
  headers["Referer"] = "http://127.0.0.1:%d/check-in/"
  return wrk.format("POST", "/check-in/", headers,
    "pain_now=3&spasm_episodes=2&exercises_done=walking&pain_during_exercise=2&new_warning_signs=none")
end
"""


CHECK_IN_TARGET = 500.0  # requests/s, the web issue's figure (bench/history.py: the ratios)


def checkins(seconds: int = 10, port: int = PORT, workers: int = 2) -> float:
    """Check-in POSTs per second: gunicorn on loopback, wrk for a bounded time."""
    if subprocess.run(["which", "wrk"], capture_output=True, check=False).returncode:
        raise SystemExit("wrk is missing: run `make bench` (it installs Debian's wrk)")
    keys = sessions(400)
    script = Path(tempfile.mkstemp(suffix=".lua")[1])
    quoted = ",".join(f'"{k}"' for k in keys)
    script.write_text(LUA % (quoted, CSRF, CSRF, port))
    try:
        with Server(port, workers) as base:
            done = subprocess.run(
                ["wrk", "-t1", "-c8", f"-d{seconds}s", "--latency", "-s", str(script),
                 base + "/check-in/"],
                capture_output=True, text=True, check=True, timeout=seconds + 30,
            )  # fmt: skip
    finally:
        script.unlink()
    print(done.stdout)
    rate = float(next(x for x in done.stdout.splitlines() if "Requests/sec" in x).split()[-1])
    bad = [x for x in done.stdout.splitlines() if "Non-2xx" in x or "Socket errors" in x]
    if bad:
        raise SystemExit(f"errors during the run: {bad}")
    verdict = "ok" if rate >= CHECK_IN_TARGET else "MISS"
    print(f"check-in POST: {rate:,.0f} requests/s (target >= {CHECK_IN_TARGET:.0f}): {verdict}")
    return rate


def _wait_for(port: int) -> None:
    import socket

    for _ in range(100):
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise SystemExit("gunicorn did not start")


def weight() -> dict[str, int]:
    """Bytes of a first (uncached) visit: the HTML plus every stylesheet, script and image."""
    import re

    client = Client()
    client.force_login(User.objects.filter(username__startswith="bench").first())
    out = {}
    for url in ("/today/", "/progress/"):
        page = client.get(url).content  # read uncompressed to find what the browser loads
        loaded = re.findall(rb'<(?:link[^>]+href|script[^>]+src|img[^>]+src)="(/[^"]+)"', page)
        total = len(_body(client, url)) + sum(
            len(_body(client, a.decode().replace("&amp;", "&"))) for a in set(loaded)
        )
        out[url] = total
        print(f"{url:<12} {total / 1024:6.1f} KB sent on a first visit (target < 150 KB)")
    return out


def _body(client: Client, url: str) -> bytes:
    """The bytes sent, compressed as for any browser (pages: Django; static files: WhiteNoise)."""
    response = client.get(url, headers={"accept-encoding": "gzip"})
    assert response.status_code == 200, (url, response.status_code)
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)  # type: ignore[attr-defined]
    return bytes(response.content)


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "all"
    print(f"database: {connection.vendor} {settings.DATABASES['default']['NAME']}")
    if command in ("seed", "all"):
        seed()
    if command in ("pages", "weight", "all"):
        # The pages link to hashed static files, as in production.
        call_command("collectstatic", interactive=False, verbosity=0)
        # The same start-up as the WSGI server (backcare/wsgi.py), so we measure what it runs.
        from backcare.warmup import settle

        settle()
    if command in ("pages", "all"):
        pages()
        page_latency()
    if command in ("weight", "all"):
        weight()
    if command in ("checkins", "all") and checkins() < CHECK_IN_TARGET:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
