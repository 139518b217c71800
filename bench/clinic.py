"""Clinic benchmarks for `make bench`: a physiotherapist with 300 patients and 100,000 check-ins.

    python bench/clinic.py queue     the attention queue's server-side render time, p50/p95,
                                     and its query count (target: p95 under 50 ms)

The database is BACKCARE_DATA_DIR/backcare.sqlite3 (default var/bench-clinic/), or DATABASE_URL;
it is filled the first time (about a minute) and reused.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("BACKCARE_DATA_DIR", str(ROOT / "var" / "bench-clinic"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backcare.settings")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")

import django  # noqa: E402

django.setup()

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_otp import DEVICE_ID_SESSION_KEY  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

from backcare.accounts.models import StaffMember, User  # noqa: E402
from backcare.care.models import AssessmentRecord, CheckIn, Patient, Plan  # noqa: E402
from backcare.clinic.models import Clinic, Location  # noqa: E402
from backcare.domain.assessment import WARNING_SIGNS, Assessment  # noqa: E402
from backcare.domain.plan import PLAN_VERSION, plan  # noqa: E402
from backcare.domain.serialize import triage_json  # noqa: E402

PATIENTS = 300
DAYS = 336  # 300 patients, 334-336 days each: 100,200 check-ins
TARGET_P95_MS = 50.0
ZONE = "Australia/Melbourne"


def seed() -> tuple[User, Clinic]:
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    clinic = Clinic.objects.filter(name="Bench Clinic").first()
    if clinic is not None:
        return User.objects.get(username="bench-physio"), clinic
    began = time.perf_counter()
    with transaction.atomic():
        clinic = Clinic.objects.create(name="Bench Clinic")
        location = Location.objects.create(clinic=clinic, name="Bench", timezone=ZONE, region="AU")
        physio = User.objects.create(username="bench-physio", password=make_password("x"))
        staff = StaffMember.objects.create(user=physio, clinic=clinic, role="physio")
        now = timezone.now()
        start = now.date() - timedelta(days=DAYS - 1)
        answers = {
            "age": 40, "onset_days": 2, "mechanism": "lifting", "pain_now": 5,
            "spasm_episodes_per_day": 3, **dict.fromkeys(WARNING_SIGNS, False),
            "lifestyle": {"previous_episodes": 1}, "startback_skipped": True,
        }  # fmt: skip
        made = plan(Assessment.model_validate(answers), today=start)
        state = made.state.model_dump(mode="json")
        patients = Patient.objects.bulk_create(
            Patient(name=f"Patient {n:03d}", clinic=clinic, lead_physio=staff, location=location,
                    timezone=ZONE, created_at=now)
            for n in range(PATIENTS)
        )  # fmt: skip
        records = AssessmentRecord.objects.bulk_create(
            AssessmentRecord(patient=p, answers=answers, level=made.triage.level.value,
                             triage=triage_json(made.triage), policy_version="bench",
                             created_at=now)
            for p in patients
        )  # fmt: skip
        Plan.objects.bulk_create(
            Plan(patient=p, assessment=r, created_on=start, checked_on=start,
                 episode_started_on=start, episode_pain=5, episode_spasms=3,
                 last_check_in_on=start + timedelta(days=DAYS - 1 - (n % 3)),
                 stopped_on=start + timedelta(days=DAYS - 3) if n % 50 == 0 else None,
                 stop_signs=["fever"] if n % 50 == 0 else [],
                 base_state=state, state=state, level=made.triage.level.value,
                 phase=made.state.phase, plan_version=PLAN_VERSION, updated_at=now)
            for n, (p, r) in enumerate(zip(patients, records, strict=True))
        )  # fmt: skip
        for n, p in enumerate(patients):
            CheckIn.objects.bulk_create(
                [
                    CheckIn(patient=p, date=start + timedelta(days=d), pain_now=(d + n) % 8,
                            spasm_episodes=(d * n) % 4, exercises_done=[],
                            new_warning_signs=["fever"] if n % 50 == 0 and d == DAYS - 3 else [],
                            created_at=now)
                    for d in range(DAYS - (n % 3))
                ],
                batch_size=2000,
            )  # fmt: skip
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    count = CheckIn.objects.filter(patient__clinic=clinic).count()
    print(f"seeded {PATIENTS} patients, {count:,} check-ins in {time.perf_counter() - began:.0f} s")
    return physio, clinic


def verified_client(user: User) -> Client:
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or (
        TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    )
    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def queue(requests: int = 200) -> dict[str, Any]:
    physio, _ = seed()
    client = verified_client(physio)
    from backcare.warmup import settle

    settle()  # as a server does before its first request (backcare/wsgi.py)
    url = "/clinic/?physio=all"
    for _ in range(10):
        assert client.get(url).status_code == 200
    seen: list[str] = []

    def count(execute: Any, sql: str, *args: Any) -> Any:
        seen.append(sql)
        return execute(sql, *args)

    with connection.execute_wrapper(count):
        client.get(url)
    times = []
    for _ in range(requests):
        began = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200
    result = {
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(percentile(times, 0.95), 1),
        "queries": len(seen),
        "patients": PATIENTS,
    }
    ok = result["p95_ms"] < TARGET_P95_MS
    print(
        f"queue, {PATIENTS} patients and 100,000 check-ins ({connection.vendor}): "
        f"p50 {result['p50_ms']} ms, p95 {result['p95_ms']} ms "
        f"(target < {TARGET_P95_MS:g}), {result['queries']} queries: {'ok' if ok else 'MISS'}"
    )
    result["ok"] = ok
    return result


def main(argv: list[str]) -> int:
    what = argv[0] if argv else "queue"
    if what != "queue":
        print(__doc__)
        return 2
    return 0 if queue()["ok"] else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
