"""A check-in's cost by the length of its history, for `make bench` (issue: "a check-in costs the
same on day 365 as on day 1").

    python bench/checkin.py

For plans 1, 90 and 365 days old (one check-in a day), times `do_check_in` for the day's
check-in (saved again and again, so each run replays from the step before it), carrying on from
the stored snapshot as the app does, and, side by side in the same run, replaying from the
plan's first day as before. Prints medians and the ratio of day 365 to day 1; exits 1 when the
ratio is above 1.5 (flat, within this machine's noise).

The database is BACKCARE_DATA_DIR/backcare.sqlite3 (default var/bench-checkin/), rebuilt each run.
"""

from __future__ import annotations

import os
import shutil
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATA = Path(os.environ.setdefault("BACKCARE_DATA_DIR", str(ROOT / "var" / "bench-checkin")))
shutil.rmtree(DATA, ignore_errors=True)
DATA.mkdir(parents=True)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backcare.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from backcare.accounts.models import User  # noqa: E402
from backcare.care import actions  # noqa: E402
from backcare.care.actions import (  # noqa: E402
    do_check_in,
    do_save_assessment,
    do_sign_up,
    do_start_plan,
)
from backcare.care.models import Plan  # noqa: E402
from backcare.domain.assessment import WARNING_SIGNS, Assessment  # noqa: E402
from backcare.domain.checkin import CheckIn  # noqa: E402
from backcare.lib.timezones import local_today  # noqa: E402

DAYS = (1, 90, 365)
RUNS = 150
LIMIT = 1.5

ANSWERS = {
    "age": 40,
    "sex": "female",
    "onset_days": 3,
    "mechanism": "lifting",
    "pain_now": 4,
    "spasm_episodes_per_day": 3,
    **dict.fromkeys(WARNING_SIGNS, False),
    "lifestyle": {"previous_episodes": 2},
}


def value(on, n: int) -> CheckIn:
    return CheckIn.model_validate(
        {
            "date": on,
            "pain_now": 2 + n % 3,
            "spasm_episodes": n % 4,
            "exercises_done": [
                {"exercise": "walking", "sets": 1},
                {"exercise": "bridge", "sets": 2},
            ],
            "pain_during_exercise": 2 + n % 4,
            "pain_next_morning": 2,
            "new_warning_signs": [],
        }
    )


def patient_with(days: int):
    now = timezone.now()
    user = User.objects.create_user(f"p{days}", email=f"p{days}@example.org", password="x" * 12)
    patient = do_sign_up(user, timezone="Europe/London", now=now)
    record = do_save_assessment(user, patient, Assessment.model_validate(ANSWERS), now=now)
    today = local_today(patient, now)
    start = today - timedelta(days=days - 1)
    plan = do_start_plan(user, patient, record, today=start, now=now)
    for n in range(days):
        plan = Plan.objects.get(pk=plan.pk)
        do_check_in(user, patient, value(start + timedelta(days=n), n), now=now, plan=plan)
    return user, patient, plan, today


def timed(user, patient, plan, today) -> float:
    samples, cpu = [], []
    with CaptureQueriesContext(connection) as queries:
        for n in range(RUNS):
            began, began_cpu = time.perf_counter(), time.process_time()
            do_check_in(user, patient, value(today, n), now=timezone.now())
            samples.append((time.perf_counter() - began) * 1000)
            cpu.append((time.process_time() - began_cpu) * 1000)
    CPU[id(patient)] = (statistics.median(cpu), len(queries) / RUNS)
    return statistics.median(samples)


CPU: dict[int, tuple[float, float]] = {}  # this process's own time (not the disk's) and queries


def main() -> int:
    call_command("migrate", verbosity=0)
    people = {d: patient_with(d) for d in DAYS}
    resumed = {d: timed(*people[d]) for d in DAYS}
    resumed_cpu = {d: CPU[id(people[d][1])] for d in DAYS}
    real = actions.read_resume  # do_check_in's own name for it (care/resume.py)
    actions.read_resume = lambda active, before: real(active, before=active.created_on)  # none
    try:
        full = {d: timed(*people[d]) for d in DAYS}
    finally:
        actions.read_resume = real
    print("check-in (do_check_in, SQLite), median ms over", RUNS, "runs")
    print("  days of history   from a snapshot   from the first day")
    for d in DAYS:
        print(f"  {d:>16}   {resumed[d]:>15.2f}   {full[d]:>18.2f}")
    print("  CPU ms (median) and queries a check-in, from a snapshot (the disk's fsync excluded)")
    for d in DAYS:
        cpu, queries = resumed_cpu[d]
        print(f"  {d:>16}   {cpu:>8.2f} ms CPU   {queries:>5.1f} queries")
    ratio = resumed[DAYS[-1]] / resumed[DAYS[0]]
    before = full[DAYS[-1]] / full[DAYS[0]]
    print(
        f"  day {DAYS[-1]} / day {DAYS[0]}: {ratio:.2f} from a snapshot, {before:.2f} replaying all"
    )
    if ratio > LIMIT:
        print(f"MISSED: day {DAYS[-1]} costs {ratio:.2f}x day {DAYS[0]} (limit {LIMIT})")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
