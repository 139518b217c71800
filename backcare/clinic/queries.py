"""Reads for the clinic side, in a fixed handful of queries however large the caseload.

The attention queue needs, for every patient, the last two weeks of check-ins, the active plan's
dates and baseline, whether a warning sign stopped the programme, and when a message went
unanswered: one query each for the whole caseload, then the pure rules in domain/attention.py.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from typing import Any

from django.db import connection

from backcare.care.models import CheckIn, Patient, Plan
from backcare.domain.attention import Day, Entry, Snapshot, queue
from backcare.domain.episode import recheck
from backcare.lib.timezones import local_today

HISTORY_DAYS = 14


def caseload(
    clinic_id: int,
    *,
    now: datetime,
    physio_id: int | None = None,
    location_id: int | None = None,
    extra: Mapping[str, Mapping[int, Any]] | None = None,
) -> list[Entry]:
    """The clinic's patients (or one physio's, or one location's), most urgent first.

    `extra` carries per-patient facts from other features, keyed by name then patient id:
    "unanswered_since" (datetime of the oldest unanswered message) and "next_appointment".
    """
    patients = Patient.objects.filter(clinic_id=clinic_id, erased_at__isnull=True)
    if physio_id is not None:
        patients = patients.filter(lead_physio_id=physio_id)
    if location_id is not None:
        patients = patients.filter(location_id=location_id)
    rows = list(patients.values("pk", "name", "timezone"))
    ids = [r["pk"] for r in rows]
    plans = {
        p["patient_id"]: p
        for p in Plan.objects.filter(patient_id__in=ids, is_active=True).values(
            "patient_id",
            "created_on",
            "checked_on",
            "level",
            "phase",
            "episode_started_on",
            "episode_pain",
            "episode_spasms",
            "last_check_in_on",
            "stopped_on",
            "stop_signs",
        )
    }
    days = _recent_days(ids, now)
    extra = extra or {}
    unanswered = extra.get("unanswered_since")
    if unanswered is None:
        from backcare.clinic.messages import unanswered_since

        unanswered = unanswered_since(patients.values("pk"))
    if "next_appointment" not in extra:
        from backcare.clinic.booking_queries import next_appointment

        found = next_appointment(patients.values("pk"), now=now)
        extra = {**extra, "next_appointment": found}
    snapshots = []
    todays: dict[str, date] = {}
    for r in rows:
        pid = r["pk"]
        plan = plans.get(pid)
        tz = r["timezone"]
        today = todays.get(tz) or todays.setdefault(tz, local_today(_Zone(tz), now))
        history = days.get(pid, [])
        stopped_on = plan["stopped_on"] if plan else None
        signs = tuple(plan["stop_signs"] or ()) if plan else ()
        snapshots.append(
            Snapshot(
                patient_id=pid,
                name=r["name"],
                days=history,
                last_check_in=plan["last_check_in_on"] if plan else None,
                plan_started_on=plan["created_on"] if plan else None,
                episode_started_on=plan["episode_started_on"] if plan else None,
                baseline_pain=plan["episode_pain"] if plan else None,
                baseline_spasms=plan["episode_spasms"] if plan else None,
                stopped_on=stopped_on,
                stop_signs=signs,
                level=plan["level"] if plan else None,
                recheck_due_on=recheck(plan["checked_on"], today).due_on if plan else None,
                unanswered_since=unanswered.get(pid),
                extra={k: v[pid] for k, v in extra.items() if pid in v},
                today=today,
            )
        )
    return queue(snapshots, today=now.date(), now=now)


class _Zone:
    """Just enough of a person for `local_today`: their time zone's name."""

    def __init__(self, timezone: str) -> None:
        self.timezone = timezone


def _recent_days(ids: Iterable[int], now: datetime) -> dict[int, list[Day]]:
    """Each patient's check-ins of the last two weeks (with a day's margin for their zone), in
    one query on the (patient, day) index."""
    since = (now - timedelta(days=HISTORY_DAYS + 1)).date()
    ids = list(ids)
    if not ids:
        return {}
    # A plain query: the ORM's per-row work was most of the queue's cost at 300 patients.
    marks = ", ".join(["%s"] * len(ids))
    sql = (
        f"SELECT patient_id, date, pain_now, spasm_episodes FROM {CheckIn._meta.db_table} "  # noqa: S608
        f"WHERE date >= %s AND patient_id IN ({marks}) ORDER BY patient_id, date"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [since, *ids])
        rows = cursor.fetchall()
    history: dict[int, list[Day]] = defaultdict(list)
    for pid, on, pain, spasms in rows:
        history[pid].append(
            Day(on if isinstance(on, date) else date.fromisoformat(on), pain, spasms)
        )
    return history
