"""Booking POSTs per second through gunicorn on SQLite, and no double booking in the run.

    python bench/booking_web.py [--seconds 10] [--port 8013] [--connections 8] [--workers 2]

A fresh database in var/bench-booking/ (rebuilt on every run): one location in Melbourne with 40
practitioners working 07:00-21:00 every day, 2,000 patients logged in. wrk posts the patient
booking form (the same view a phone posts to) with a different patient and a different free
30-minute slot each time, so every request is a real booking that succeeds; the list wraps
round only if the run outlasts it, and then the repeats must be refused. Afterwards the database
is asked, in SQL, for any two active appointments that overlap for a practitioner or a patient:
there must be none, and every booking wrk saw acknowledged (302) must be a row. In the same
server, wrk then POSTs to the bare-insert view (bench/urls.py: a session login and one row) at the
same concurrency: the machine's ceiling, printed beside the booking rate as a ratio. Exits 1 on a
miss.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "var" / "bench-booking"
os.environ["BACKCARE_DATA_DIR"] = str(DATA)
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"  # the bare-insert view beside the site
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
os.environ.pop("DATABASE_URL", None)  # SQLite: the target is on the embedded database
sys.path.insert(0, str(ROOT))

TARGET = 200.0  # booking POSTs per second
PRACTITIONERS = 40
PATIENTS = 2_000
# One wrk thread, as in bench/web.py: wrk shares the two cores with the server it measures, and a
# second thread took about a tenth of the rate for itself (195 against 230 requests/s here).
THREADS = 1
SLOTS = 12_000  # distinct (practitioner, start) pairs handed to wrk, far more than a run uses


def _fresh_database() -> None:
    shutil.rmtree(DATA, ignore_errors=True)
    DATA.mkdir(parents=True)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)
    from bench.urls import create_table

    create_table()


def _seed() -> tuple[int, int, list[tuple[int, str]], list[str]]:
    """The clinic, its practitioners' hours, the patients' sessions; returns the location, the
    type, the (practitioner, start) pairs to book and the session keys."""
    from django.db import transaction
    from django.utils import timezone

    from backcare.accounts.models import User
    from backcare.care.models import Patient
    from backcare.clinic.models import AppointmentType
    from backcare.lib.timezones import zone
    from tests.open_clinic import free_half_hours, open_clinic, session_keys

    now = timezone.now()
    with transaction.atomic():
        made = open_clinic("Bench Physio", [f"prac{n:02d}" for n in range(PRACTITIONERS)])
        clinic, quay, staff = made.clinic, made.location, made.staff
        kind = AppointmentType.objects.create(
            clinic=clinic, name="Follow-up", kind="follow_up", duration_minutes=30, price_cents=8500
        )
        kind.givers.set(staff)
        patients = User.objects.bulk_create(
            User(username=f"booker{n:04d}", timezone="Australia/Melbourne") for n in range(PATIENTS)
        )
        Patient.objects.bulk_create(
            Patient(user=u, name=u.username, clinic=clinic, timezone=u.timezone, created_at=now)
            for u in patients
        )
    keys = session_keys(User.objects.filter(username__startswith="booker").order_by("pk"))
    # From the day after tomorrow: well past the minimum notice, whatever the hour; a patient's
    # next request (2,000 later) is on another day.
    first = now.astimezone(zone(quay.timezone)).date() + timedelta(days=2)
    slots = free_half_hours(made, first=first, count=SLOTS)
    return quay.pk, kind.pk, slots, keys


LUA = """
local sessions = {%(sessions)s}
local slots = {%(slots)s}
local threads = 0
setup = function(thread)
  thread:set("id", threads)
  threads = threads + 1
end
local n = 0
request = function()
  -- each wrk thread takes every THREADS-th slot from its own offset: no two post the same
  local i = n * %(threads)d + id
  n = n + 1
  local s = sessions[(i %% #sessions) + 1]
  local slot = slots[(i %% #slots) + 1]
  local headers = {}
  headers["Cookie"] = "sessionid=" .. s .. "; csrftoken=%(csrf)s"
  headers["X-CSRFToken"] = "%(csrf)s"
  headers["Content-Type"] = "application/x-www-form-urlencoded"
  return wrk.format("POST", "/book/", headers,
    "location=%(location)d&type=%(kind)d&practitioner=" .. slot[1] .. "&start=" .. slot[2])
end
local shown = 0
response = function(status, headers, body)
  if status ~= 302 and shown < 3 then
    shown = shown + 1
    io.write("refused (" .. status .. "): " .. string.sub(body, 1, 2000) .. "\\n")
  end
end
"""


def _overlaps() -> dict[str, int]:
    from django.db import connection

    from tests.live_booking import OVERLAPS

    found = {}
    with connection.cursor() as cursor:
        for name, sql in OVERLAPS.items():
            cursor.execute(sql)
            found[name] = cursor.fetchone()[0]
    return found


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--port", type=int, default=int(os.environ.get("BENCH_PORT", 8013)))
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: run `make bench` (it installs Debian's wrk)")
    _fresh_database()
    location, kind, slots, keys = _seed()

    from backcare.clinic.models import Appointment
    from bench.ceiling import CSRF, bare_insert_rate
    from bench.web import Server

    script = Path(tempfile.mkstemp(suffix=".lua")[1])
    script.write_text(
        LUA
        % {
            "sessions": ",".join(f'"{k}"' for k in keys),
            "slots": ",".join(f'{{{p},"{s.replace("+", "%2B")}"}}' for p, s in slots),
            "csrf": CSRF,
            "location": location,
            "kind": kind,
            "threads": THREADS,
        }
    )
    try:
        with Server(args.port, args.workers) as base:
            done = subprocess.run(
                ["wrk", f"-t{THREADS}", f"-c{args.connections}", f"-d{args.seconds}s", "--latency",
                 "-s", str(script), base + "/book/"],
                capture_output=True, text=True, check=True, timeout=args.seconds + 60,
            )  # fmt: skip
            ceiling = bare_insert_rate(
                base, keys, seconds=args.seconds, connections=args.connections, threads=THREADS
            )
    finally:
        script.unlink()
    print(done.stdout)
    if done.stderr.strip():  # a Lua error makes wrk fall back to plain GETs: not a booking run
        raise SystemExit(f"wrk: {done.stderr.strip()}")
    lines = done.stdout.splitlines()
    rate = float(next(x for x in lines if "Requests/sec" in x).split()[-1])
    sent = int(next(x for x in lines if "requests in" in x).split()[0])
    refused = next((int(x.split()[-1]) for x in lines if "Non-2xx" in x), 0)
    errors = [x.strip() for x in lines if "Socket errors" in x]
    rows = Appointment.objects.filter(status="booked").count()
    overlaps = _overlaps()
    acknowledged = sent - refused
    expect_refused = max(0, sent - len(slots))  # only repeats of the wrapped-round list
    print(
        f"booking POST: {rate:,.0f} requests/s on SQLite (target >= {TARGET:.0f}); "
        f"{sent} sent, {acknowledged} booked (302), {refused} refused; {rows} appointments; "
        f"overlaps {overlaps}; bare insert {ceiling:,.0f} requests/s, ratio {rate / ceiling:.2f}"
    )
    misses = []
    if rate < TARGET:
        misses.append(f"{rate:,.0f} requests/s < {TARGET:.0f}")
    if any(overlaps.values()):
        misses.append(f"double booking: {overlaps}")
    # wrk stops counting at the deadline while a few requests are still in flight: those may
    # be saved without wrk seeing their answer, never the other way round.
    if not acknowledged <= rows <= acknowledged + args.connections:
        misses.append(f"{acknowledged} acknowledged but {rows} rows")
    if refused > expect_refused + args.connections or errors:
        misses.append(f"unexpected refusals or socket errors: {refused} refused; {errors}")
    print("booking POST: " + ("ok" if not misses else "MISS: " + "; ".join(misses)))
    return 1 if misses else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
