"""Demo data so a newcomer sees a lived-in app: a demo patient three weeks into a plan.

Idempotent: run it as often as you like; `--reset` rebuilds the demo patient from scratch.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.utils import timezone

from backcare.accounts.models import StaffMember, User
from backcare.care.actions import do_check_in, do_save_assessment, do_sign_up, do_start_plan
from backcare.care.models import Patient, Plan
from backcare.clinic.demo import DEMO_STAFF, demo_staff
from backcare.clinic.demo_booking import demo_booking
from backcare.clinic.demo_caseload import seed_caseload
from backcare.clinic.models import Clinic, Location
from backcare.domain.assessment import WARNING_SIGNS, Assessment
from backcare.domain.checkin import CheckIn
from backcare.lib.timezones import local_today, user_zone

DEMO_USERNAME = "demo"
DEMO_PASSWORD = "backcare-demo"  # noqa: S105 (a documented sample account, not a secret)
DAYS = 21

ANSWERS: dict[str, Any] = {
    "age": 38,
    "sex": "female",
    "onset_days": 1,
    "mechanism": "lifting",
    "pain_now": 6,
    "spasm_episodes_per_day": 4,
    **dict.fromkeys(WARNING_SIGNS, False),
    "startback": {
        **{f"q{i}": i in (2, 4) for i in range(1, 9)},
        "q9": "moderately",
    },
    "symptoms": ["tightness", "cramping", "hard_to_stand_straight"],
    "lifestyle": {
        "desk_hours_per_day": 8,
        "active_days_per_week": 1,
        "stress": 6,
        "hamstrings_feel_tight": True,
        "previous_episodes": 1,
    },
}


class Command(BaseCommand):
    help = "Create the demo patient (username demo, password backcare-demo) with sample data."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--reset", action="store_true", help="rebuild the demo patient")

    def handle(self, *args: Any, **options: Any) -> None:
        existing = User.objects.filter(username=DEMO_USERNAME).first()
        # A demo patient whose plan has ended (plans from an older check are ended when the
        # check changes) is rebuilt, so the demo always shows a plan in progress.
        current = (
            existing is not None
            and Plan.objects.filter(patient__user=existing, is_active=True).exists()
        )
        now = timezone.now()
        if current and not options["reset"]:
            self.stdout.write("Demo patient already there (use --reset to rebuild).")
        else:
            with transaction.atomic():
                if existing is not None:
                    Patient.objects.filter(user=existing).delete()
                    existing.delete()
                seed(now)
            self.stdout.write(
                f"Demo patient ready: log in as {DEMO_USERNAME} / {DEMO_PASSWORD} (sample data)."
            )
        clinic = demo_clinic()
        staff = demo_staff(clinic)
        physio = staff["physio"]
        # The demo clinic's patients are the demo physiotherapist's (a caseload made before the
        # demo staff existed had no lead physiotherapist).
        Patient.objects.filter(clinic=clinic, is_demo=True, lead_physio__isnull=True).update(
            lead_physio=physio
        )
        made = seed_caseload(clinic, physio, now)
        if made:
            self.stdout.write(f"Demo clinic caseload ready: {made} sample patients.")
        booked = demo_booking(clinic, list(staff.values()), now)
        if booked:
            self.stdout.write(f"Demo bookings ready: {booked} appointments.")
        self.stdout.write(
            "Demo clinic staff: "
            + ", ".join(f"{u} / {v[0]}" for u, v in DEMO_STAFF.items())
            + " (second factor: manage.py demo_totp <username>)."
        )


DEMO_CLINIC = "backcare Demo Clinic (sample data)"
DEMO_ZONE = "Australia/Melbourne"
DEMO_LOCATIONS = (
    ("Richmond", "12 Swan Street, Richmond VIC 3121"),
    ("Brunswick", "301 Sydney Road, Brunswick VIC 3056"),
)


def demo_clinic() -> Clinic:
    clinic, _ = Clinic.objects.get_or_create(name=DEMO_CLINIC, defaults={"is_demo": True})
    for name, address in DEMO_LOCATIONS:
        Location.objects.get_or_create(
            clinic=clinic,
            name=name,
            defaults={"address": address, "timezone": DEMO_ZONE, "region": "AU"},
        )
    return clinic


def seed(now: datetime) -> User:
    user = User.objects.create_user(
        DEMO_USERNAME,
        email="demo@example.org",
        password=DEMO_PASSWORD,
        first_name="Demo",
        timezone=DEMO_ZONE,
        is_demo=True,
    )
    zone = user_zone(user)
    start = local_today(user, now) - timedelta(days=DAYS - 1)
    began = datetime.combine(start, time(9, 0), tzinfo=zone)
    patient = do_sign_up(user, timezone=DEMO_ZONE, now=began)
    lead = StaffMember.objects.filter(user__username="physio", clinic=demo_clinic()).first()
    Patient.objects.filter(pk=patient.pk).update(
        clinic=demo_clinic(), is_demo=True, lead_physio=lead
    )
    patient.refresh_from_db()
    record = do_save_assessment(user, patient, Assessment.model_validate(ANSWERS), now=began)
    plan = do_start_plan(user, patient, record, today=start, now=began)
    for day in range(DAYS - 1):
        on = start + timedelta(days=day)
        plan.refresh_from_db()
        done = [p["exercise"] for p in plan.state["prescriptions"]]
        skipped = day in (5, 12)  # real life: a couple of days without exercise
        pain = max(1, 6 - day // 3 + (1 if day == 9 else 0))
        value: dict[str, Any] = {
            "date": on.isoformat(),
            "pain_now": pain,
            "spasm_episodes": max(0, 4 - day // 4),
            "exercises_done": [] if skipped else [{"exercise": e, "sets": 1} for e in done],
            "new_warning_signs": [],
        }
        if not skipped:
            value["pain_during_exercise"] = 5 if day == 9 else 2 + day % 2
        if day:
            value["pain_next_morning"] = max(1, pain - 1)
        at = datetime.combine(on, time(20, 0), tzinfo=zone)
        do_check_in(user, patient, CheckIn.model_validate_json(_json(value)), now=at)
    return user


def _json(value: dict[str, Any]) -> str:
    import json

    return json.dumps(value)
