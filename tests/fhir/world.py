"""A lived-in record for the FHIR tests: Demo's three weeks of check-ins (the demo seeding),
moved to Harbour Physio (Priya her physiotherapist, Rob its receptionist, Otto at another
clinic; Sam another patient there), with questionnaires, a signed and amended treatment note,
a booked and a cancelled appointment, and a warning sign that stopped the programme."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from django.utils import timezone

from backcare.accounts.models import User
from backcare.care.actions import do_check_in, do_record_questionnaire
from backcare.care.models import Patient
from backcare.clinic.booking_actions import do_book, do_cancel, free_slots_for
from backcare.clinic.management.commands.seed_demo import seed
from backcare.clinic.models import Appointment, AppointmentType, OpeningHours, WorkingHours
from backcare.clinic.notes import TEXT_FIELDS, NoteForm, do_save_note, do_sign_note
from backcare.domain.checkin import CheckIn
from backcare.domain.questionnaires import OdiSections, PsfsAnswers, score_odi, score_psfs
from backcare.lib.timezones import local_today
from tests.web.people import Clinic, clinic_for, signed_up, staff_member

TENS = {
    "kind": "tens",
    "mode": "conventional",
    "frequency_hz": 100.0,
    "pulse_width_us": 200.0,
    "minutes": 20,
    "intensity": "strong_but_comfortable",
    "electrode_sites": "L4-L5 paraspinal",
    "device": "TENS 7000",
    "notes": "",
}
MOBILISATION = {
    "kind": "mobilisation",
    "technique": "central_pa",
    "level": "L4/5",
    "grade": "III",
    "sets": 3,
    "seconds_per_set": 30,
    "response": "Eased",
}
TAUGHT = {"kind": "exercises_taught", "exercises": ["walking"], "notes": ""}


@dataclass
class World:
    demo: User
    patient: Patient
    c: Clinic
    sam: User
    paul: User
    follow_up: AppointmentType
    booked: Appointment
    cancelled: Appointment
    now: datetime


def note(
    world_c: Clinic,
    patient: Patient,
    treatments: list[dict[str, Any]],
    now: datetime,
    amends: Any = None,
) -> Any:
    form = NoteForm(
        day=local_today(patient, now),
        pain=3,
        texts=dict.fromkeys(TEXT_FIELDS, "Seen"),
        treatments=treatments,
        amendment_reason="Level corrected" if amends else "",
    )
    staff = world_c.priya.staff
    saved = do_save_note(world_c.priya, staff, patient, form, note=None, now=now, amends=amends)
    return do_sign_note(world_c.priya, staff, saved, now=now)


def _hours(c: Clinic, paul: User) -> AppointmentType:
    for day in range(7):
        OpeningHours.objects.create(location=c.location, weekday=day, start=time(7), end=time(19))
        for who in (c.priya, paul):
            WorkingHours.objects.create(
                staff=who.staff, location=c.location, weekday=day, start=time(9), end=time(17)
            )
    kind = AppointmentType.objects.create(
        clinic=c.clinic, name="Follow-up", kind="follow_up", duration_minutes=30, price_cents=8500
    )
    kind.givers.set([c.priya.staff, paul.staff])
    return kind


def world(*, stop: bool = True) -> World:
    now = timezone.now()
    demo = seed(now)
    sam = signed_up("sam", zone="Australia/Brisbane")
    c = clinic_for(demo, sam)
    patient = Patient.objects.get(user=demo)
    paul = staff_member("paul", c.clinic, "physio")
    follow_up = _hours(c, paul)
    slots = free_slots_for(
        c.location,
        follow_up,
        first_day=local_today(c.location, now),
        last_day=local_today(c.location, now) + timedelta(days=6),
        now=now,
    )
    booked, gone = (
        do_book(
            demo,
            patient=patient,
            practitioner=c.priya.staff,
            location=c.location,
            appointment_type=follow_up,
            start=s.start,
            now=now,
            reason="Review of the programme",
        )
        for s in (slots[0], slots[4])
    )
    cancelled = do_cancel(c.priya, gone, now=now, by_patient=False)
    sections = OdiSections.model_validate(dict.fromkeys(OdiSections.model_fields, 2))
    odi = score_odi(sections)
    day = local_today(patient, now)
    do_record_questionnaire(
        c.priya,
        patient,
        "odi",
        sections.model_dump(),
        {"percent": odi.percent, "band": odi.band.value, "answered": odi.answered},
        taken_on=day,
        now=now,
    )
    psfs = PsfsAnswers.model_validate({"activities": [{"name": "Sitting", "rating": 4}]})
    do_record_questionnaire(
        demo,
        patient,
        "psfs",
        psfs.model_dump(),
        {"mean": score_psfs(psfs)},
        taken_on=day,
        now=now,
        source="patient",
    )
    do_record_questionnaire(
        c.priya, patient, "nprs", {"score": 3}, {"score": 3}, taken_on=day, now=now
    )
    first = note(c, patient, [TENS, MOBILISATION], now)
    note(c, patient, [TENS, {**MOBILISATION, "level": "L5/S1"}, TAUGHT], now, amends=first)
    if stop:
        value = {
            "date": day.isoformat(),
            "pain_now": 4,
            "spasm_episodes": 1,
            "exercises_done": [],
            "new_warning_signs": ["fever"],
        }
        do_check_in(demo, patient, CheckIn.model_validate_json(json.dumps(value)), now=now)
    return World(demo, patient, c, sam, paul, follow_up, booked, cancelled, now)
