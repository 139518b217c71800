"""A lived-in caseload for the demo clinic: about thirty patients in the states a physiotherapist
meets in a week (getting better, stuck, a new warning sign, gone quiet, pain up, a check overdue,
someone with no login yet), all sample data.

Each patient's history is made the way a real one is: a check, a plan, then daily check-ins
through the same actions the pages use, so the queue, the record and the charts are real.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import transaction

from backcare.accounts.models import StaffMember, User
from backcare.care.actions import do_check_in, do_save_assessment, do_sign_up, do_start_plan
from backcare.care.models import CheckIn, Patient
from backcare.care.weeks import fill_weeks
from backcare.clinic.models import Clinic, Location
from backcare.domain.assessment import WARNING_SIGNS, Assessment
from backcare.domain.checkin import CheckIn as CheckInValue
from backcare.lib.timezones import local_today, zone

PASSWORD = "backcare-demo-patient"  # noqa: S105 (sample accounts, never real people)


@dataclass(frozen=True)
class Story:
    name: str
    days: int  # how long ago the plan began
    pain: int  # at the check
    course: str  # improving, stuck, sign, quiet, worse, spasms, none
    quiet_for: int = 0  # days since the last check-in
    login: bool = True


STORIES = (
    Story("Amira Haddad", 20, 6, "improving"),
    Story("Ben Carter", 12, 5, "improving"),
    Story("Chloe Nguyen", 6, 7, "improving"),
    Story("Daniel Okafor", 18, 6, "stuck"),
    Story("Ella Rossi", 16, 5, "stuck"),
    Story("Farid Rahimi", 9, 5, "sign"),
    Story("Grace Kim", 4, 6, "sign"),
    Story("Hamish Brown", 10, 4, "quiet", quiet_for=5),
    Story("Isla Murphy", 25, 5, "quiet", quiet_for=15),
    Story("Jack Wilson", 8, 4, "worse"),
    Story("Kiara Singh", 11, 5, "spasms"),
    Story("Liam O'Brien", 17, 4, "improving"),
    Story("Mei Lin", 3, 6, "improving"),
    Story("Noah Taylor", 22, 5, "improving"),
    Story("Olivia Walker", 14, 6, "stuck"),
    Story("Priya Patel", 7, 3, "improving"),
    Story("Quinn Harris", 5, 5, "worse"),
    Story("Ruby Thompson", 19, 4, "improving"),
    Story("Sam Lee", 2, 7, "improving"),
    Story("Tara Jones", 13, 5, "quiet", quiet_for=4),
    Story("Umar Khan", 9, 6, "spasms"),
    Story("Vera Novak", 15, 4, "improving"),
    Story("Will Martin", 6, 5, "improving"),
    Story("Xin Zhao", 21, 6, "stuck"),
    Story("Yusuf Ali", 1, 6, "improving"),
    Story("Zoe Clarke", 10, 5, "improving"),
    Story("Aiden Scott", 0, 0, "none", login=False),
    Story("Bella Evans", 0, 0, "none", login=False),
    Story("Caleb White", 16, 5, "improving"),
    Story("Dana Fischer", 8, 4, "sign"),
)


def answers(story: Story, rng: random.Random) -> dict[str, Any]:
    return {
        "age": rng.randint(24, 48),
        "sex": rng.choice(["female", "male"]),
        "onset_days": rng.randint(1, 4),
        "mechanism": rng.choice(["lifting", "bending", "twisting", "sport", "sitting"]),
        "pain_now": story.pain,
        "spasm_episodes_per_day": rng.randint(2, 4),
        **dict.fromkeys(WARNING_SIGNS, False),
        "lifestyle": {"previous_episodes": 1},
        "startback_skipped": True,
    }


def day_values(story: Story, day: int, rng: random.Random) -> tuple[int, int]:
    """Pain and spasm episodes on `day` of the plan, by the story's course."""
    start = story.pain
    if story.course == "improving":
        pain = max(0, start - day // 3 + rng.choice([-1, 0, 0, 1]))
        spasms = max(0, 3 - day // 4)
    elif story.course == "stuck":
        pain, spasms = start + rng.choice([-1, 0, 0, 1]), 3
    elif story.course == "worse":
        pain = min(10, start + (3 if day >= story.days - 1 else 0))
        spasms = 2
    elif story.course == "spasms":
        pain, spasms = start, 1 if day < story.days - 7 else 4
    else:
        pain, spasms = max(1, start - day // 4), max(0, 2 - day // 5)
    return max(0, min(10, pain)), spasms


def seed_caseload(clinic: Clinic, physio: StaffMember | None, now: datetime) -> int:
    """Make the caseload (once: an existing one is left as it is). Returns how many were made."""
    if Patient.objects.filter(clinic=clinic, is_demo=True, user__isnull=True).exists():
        return 0
    rng = random.Random(9)  # noqa: S311 (sample data, the same every time; not a secret)
    locations = list(Location.objects.filter(clinic=clinic).order_by("pk"))
    hashed = make_password(PASSWORD)
    made = 0
    for n, story in enumerate(STORIES):
        location = locations[n % len(locations)] if locations else None
        with transaction.atomic():
            _one(story, n, clinic, physio, location, rng, hashed, now)
        made += 1
    return made


def _one(
    story: Story,
    n: int,
    clinic: Clinic,
    physio: StaffMember | None,
    location: Location | None,
    rng: random.Random,
    hashed: str,
    now: datetime,
) -> None:
    tz = location.timezone if location is not None else "Australia/Melbourne"
    first, _, last = story.name.partition(" ")
    email = f"{first.lower()}.{last.lower().replace(chr(39), '')}@example.org"
    if not story.login:
        Patient.objects.create(
            name=story.name, email=email, clinic=clinic, lead_physio=physio, location=location,
            timezone=tz, is_demo=True, created_at=now,
        )  # fmt: skip
        return
    user = User.objects.create(
        username=f"demo-patient-{n + 1:02d}", first_name=first, last_name=last, email=email,
        password=hashed, timezone=tz, is_demo=True,
    )  # fmt: skip
    patient = do_sign_up(user, timezone=tz, now=now - timedelta(days=story.days + 1))
    Patient.objects.filter(pk=patient.pk).update(
        clinic=clinic, lead_physio=physio, location=location, is_demo=True,
        phone=f"04{rng.randint(10, 99)} {rng.randint(100, 999)} {rng.randint(100, 999)}",
    )  # fmt: skip
    patient.refresh_from_db()
    here = zone(tz)
    today = local_today(patient, now)
    start = today - timedelta(days=story.days)
    began = datetime.combine(start, time(9, 0), tzinfo=here)
    record = do_save_assessment(
        user, patient, Assessment.model_validate(answers(story, rng)), now=began
    )
    plan = do_start_plan(user, patient, record, today=start, now=began)
    last_day = story.days - story.quiet_for
    history = []
    for day in range(0, last_day):
        pain, spasms = day_values(story, day, rng)
        history.append(
            CheckIn(
                patient=patient, date=start + timedelta(days=day), pain_now=pain,
                spasm_episodes=spasms, exercises_done=[], new_warning_signs=[], sleep="",
                created_at=datetime.combine(start + timedelta(days=day), time(20), tzinfo=here),
            )
        )  # fmt: skip
    CheckIn.objects.bulk_create(history)
    fill_weeks(plan)
    if last_day < 0 or story.course == "none":
        return
    pain, spasms = day_values(story, last_day, rng)
    done = [p["exercise"] for p in plan.state["prescriptions"]][:3]
    value: dict[str, Any] = {
        "date": start + timedelta(days=last_day),
        "pain_now": pain,
        "spasm_episodes": spasms,
        "exercises_done": [{"exercise": e, "sets": 1} for e in done],
        "pain_during_exercise": 2 if done else None,
        "pain_next_morning": pain if last_day else None,
        "new_warning_signs": ["fever"] if story.course == "sign" else [],
    }
    at = datetime.combine(value["date"], time(20), tzinfo=here)
    do_check_in(user, patient, CheckInValue.model_validate(value), now=min(at, now))
