"""Every URL, with GET and POST, as each of six people: anonymous, the patient (Maya), another
patient (Sam), her physiotherapist (Priya), a receptionist of her clinic (Rob) and another
clinic's physiotherapist (Otto). Each URL has a policy below; each policy says what every
person gets. A new URL without a policy fails the test, so every URL joins the matrix.

Besides the status, no page may show a marker it should not: Maya's name (her clinic's staff
may see it), her physiotherapist's note to her (clinical: Rob never sees it), and Sam's name
(no clinic at all: only Sam).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from backcare.care import handout
from backcare.care.actions import do_change_programme
from backcare.care.models import Patient
from backcare.domain.changes import Change, ClinicianChange
from tests.domain.people import startback
from tests.web.people import Clinic, People, clinic_for, person, signed_up, staff_login, today_of
from tests.web.test_hostile_queries import logged_in_with_a_check_in, routes, urls_for

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "patient", "other patient", "physio", "receptionist", "other physio")

MAYA_NAME = "Maya Zanzibar"
MAYA_NOTE = "Kestrel: keep the knees soft"
SAM_NAME = "Sam Okapi"

# What each person gets: "ok" (the page does its work: 2xx, a redirect other than to a login,
# a 400 for the empty form, or 405 for a method the page does not take), "login" (sent to log
# in), "no" (404, or 403: refused with nothing shown), "admin" (sent to the admin's own login).
OK, LOGIN, NO, ADMIN = "ok", "login", "no", "admin"
STAFF = {"physio": OK, "receptionist": OK, "other physio": OK}
POLICIES: dict[str, dict[str, str | tuple[str, str]]] = {
    # Anyone: the public pages, and the pages that log in or out.
    "public": dict.fromkeys(ROLES, OK),
    # The person's own pages at /me-style URLs: each patient sees only their own; staff have no
    # self-care record of their own, so these pages do not exist for them.
    "own": {
        "anonymous": LOGIN,
        "patient": OK,
        "other patient": OK,
        "physio": NO,
        "receptionist": NO,
        "other physio": NO,
    },
    # Pages of one's own plan that send a login with no plan to take the check (staff have none).
    "own, or the check": {"anonymous": LOGIN, "patient": OK, "other patient": OK, **STAFF},
    # The same for pages any login has (settings, password change).
    "any login": {"anonymous": LOGIN, "patient": OK, "other patient": OK, **STAFF},
    # One of Maya's own records by its id (a result, a check-in): Maya only.
    "maya's": {
        "anonymous": NO,
        "patient": OK,
        "other patient": NO,
        "physio": NO,
        "receptionist": NO,
        "other physio": NO,
    },
    # One of Maya's own records by its id that needs her login (a check-in, an appointment).
    "maya's check-in": {
        "anonymous": LOGIN,
        "patient": OK,
        "other patient": NO,
        "physio": NO,
        "receptionist": NO,
        "other physio": NO,
    },
    # The clinic's pages that are not about one patient: any staff member, of their own clinic.
    "staff": {"anonymous": LOGIN, "patient": NO, "other patient": NO, **STAFF},
    "clinical staff": {
        "anonymous": LOGIN,
        "patient": NO,
        "other patient": NO,
        "physio": OK,
        "receptionist": NO,
        "other physio": OK,
    },
    # Maya's record on the clinic side: her clinic's physiotherapists only.
    "maya's record": {
        "anonymous": LOGIN,
        "patient": NO,
        "other patient": NO,
        "physio": OK,
        "receptionist": NO,
        "other physio": NO,
    },
    # Who Maya is and how to reach her: her clinic's staff, receptionist too.
    "maya's contact": {
        "anonymous": LOGIN,
        "patient": NO,
        "other patient": NO,
        "physio": OK,
        "receptionist": OK,
        "other physio": NO,
    },
    # A clinic's staff page and its buttons: clinic administrators only (none of these six;
    # tests/web/test_staff.py covers the administrators themselves).
    "clinic admin": {"anonymous": LOGIN, **dict.fromkeys(ROLES[1:], NO)},
    # A staff invite link: the sample tokens are no invite's, so the same 404 for everyone.
    "an invite link": dict.fromkeys(ROLES, NO),
    # Booking: anyone may start choosing; booking itself (the POST) needs a patient's login.
    "booking": {
        "anonymous": (OK, LOGIN),
        "patient": OK,
        "other patient": OK,
        "physio": (OK, NO),
        "receptionist": (OK, NO),
        "other physio": (OK, NO),
    },
    # Django's admin: nobody here is a superuser, so everyone meets the admin's own login.
    "django admin": dict.fromkeys(ROLES, ADMIN),
}

POLICY_OF: dict[str, str] = {
    "home": "public",
    "check_start": "public",
    "check_step": "public",
    "exercises": "public",
    "exercise": "public",
    "exercise_figure": "public",
    "learn": "public",
    "learn_topic": "public",
    "signup": "public",
    "set_region": "public",
    "login": "public",
    "admin:login": "public",
    "admin:logout": "public",
    "logout": "public",
    "password_reset": "public",
    "password_reset_confirm": "public",
    "password_reset_done": "public",
    "password_reset_complete": "public",
    "healthz": "public",
    "result": "maya's",
    "check_in_result": "maya's check-in",
    "today": "own, or the check",
    "thermal": "own",
    "handout_pdf": "own",
    "calendar_ics": "own",
    "progress": "own, or the check",
    "progress_chart": "own",
    "check_in": "own, or the check",
    "export_data": "any login",
    "delete_account": "own",
    "account_settings": "any login",
    "password_change": "any login",
    "password_change_done": "any login",
    "staff_verify": "staff",
    "staff_setup_second_factor": "staff",
    "clinic_home": "staff",
    "clinic_queue_rules": "clinical staff",
    "clinic_new_patient": "staff",
    "clinic_patient": "maya's contact",
    "clinic_invite": "maya's contact",
    "clinic_patient_chart": "maya's record",
    "clinic_change_programme": "maya's record",
    "clinic_record_questionnaire": "maya's record",
    "clinic_staff": "clinic admin",
    "clinic_resend_invite": "clinic admin",
    "clinic_cancel_invite": "clinic admin",
    "clinic_deactivate_staff": "clinic admin",
    "clinic_reset_second_factor": "clinic admin",
    "clinic_webhooks": "clinic admin",
    "clinic_rotate_webhook_secret": "clinic admin",
    "clinic_deactivate_webhook": "clinic admin",
    "staff_join": "an invite link",
    "messages": "own",
    "locations": "public",
    "location": "public",
    "book": "booking",
    "appointments": "own",
    "appointment": "maya's check-in",
    "appointment_waitlist": "maya's check-in",
    "clinic_day": "staff",
    "clinic_appointment_action": "maya's contact",
    "clinic_book_for_patient": "maya's contact",
    "who_looked": "own",
    "clinic_inbox": "clinical staff",
    "clinic_messages": "maya's record",
    "clinic_new_note": "maya's record",
    "clinic_note": "maya's record",
    "clinic_sign_note": "maya's record",
    "clinic_amend_note": "maya's record",
    "api_tokens": "any login",
    "api_revoke_token": "any login",
}

# Sample paths that name nothing: a 404 for everyone.
MISSING = {"/locations/nowhere/"}

# Who may see which marker: Maya's name, her physiotherapist's note, Sam's name.
MAY_SEE: dict[str, set[str]] = {
    "anonymous": set(),
    "patient": {MAYA_NAME, MAYA_NOTE},
    "other patient": {SAM_NAME},
    "physio": {MAYA_NAME, MAYA_NOTE},
    "receptionist": {MAYA_NAME},
    "other physio": set(),
}


@dataclass
class World:
    team: People
    clinic: Clinic

    def user(self, role: str) -> Any:
        return {
            "anonymous": None,
            "patient": self.team.maya,
            "other patient": self.team.sam,
            "physio": self.clinic.priya,
            "receptionist": self.clinic.rob,
            "other physio": self.clinic.otto,
        }[role]

    def client(self, role: str) -> Client:
        client = Client()
        user = self.user(role)
        if user is None:
            return client
        if hasattr(user, "staff"):
            staff_login(client, user)
        else:
            client.force_login(user)
        return client


@pytest.fixture
def world(monkeypatch: pytest.MonkeyPatch) -> World:
    monkeypatch.setattr(handout, "render_pdf", lambda data: b"%PDF-1.7 not drawn in this test")
    maya_user, maya_plan = person("maya", onset_days=4, pain_now=4, startback=startback(agree=3))
    sam, sam_plan = person("sam", onset_days=3, pain_now=3, startback=startback(agree=1))
    team = People(maya_user, maya_plan, sam, sam_plan, signed_up("eve"))
    maya = logged_in_with_a_check_in(team)
    clinic = clinic_for(maya)
    Patient.objects.filter(pk=maya.patient.pk).update(name=MAYA_NAME)
    Patient.objects.filter(pk=team.sam.patient.pk).update(name=SAM_NAME)
    maya.patient.refresh_from_db()
    change = ClinicianChange(on=today_of(maya), kind=Change.LOCK, exercise="*", note=MAYA_NOTE)
    _, problems = do_change_programme(
        clinic.priya, maya.patient, change, today=today_of(maya), now=timezone.now()
    )
    assert not problems
    from backcare.clinic.models import TreatmentNote

    now = timezone.now()
    TreatmentNote.objects.create(
        patient=maya.patient,
        author=clinic.priya.staff,
        author_name="Priya",
        seen_on=today_of(maya),
        subjective=MAYA_NOTE,
        created_at=now,
        updated_at=now,
    )
    _appointment(maya.patient, clinic)
    return World(team, clinic)


def _appointment(patient: Patient, clinic: Clinic) -> None:
    """A follow-up for Maya in two days with Priya, made directly (booking has its own tests)."""
    from datetime import timedelta

    from backcare.clinic.models import Appointment, AppointmentType

    kind = AppointmentType.objects.create(
        clinic=clinic.clinic,
        name="Follow-up",
        kind="follow_up",
        duration_minutes=30,
        buffer_minutes=0,
        price_cents=9000,
    )
    start = timezone.now().replace(microsecond=0) + timedelta(days=2)
    Appointment.objects.create(
        clinic=clinic.clinic,
        patient=patient,
        practitioner=clinic.priya.staff,
        location=clinic.location,
        appointment_type=kind,
        start=start,
        end=start + timedelta(minutes=30),
        blocked_until=start + timedelta(minutes=30),
        reason=MAYA_NOTE,
        booked_at=timezone.now(),
        booked_by=patient.user,
    )


def test_every_url_has_a_policy() -> None:
    names = {name for name, _ in routes() if not name.startswith("admin:")}
    missing = sorted(names - POLICY_OF.keys())
    assert not missing, f"URLs with no policy in the permission matrix: {missing}"
    assert POLICY_OF.keys() <= names | {"admin:login", "admin:logout"}, sorted(
        POLICY_OF.keys() - names
    )


def outcome(response: Any) -> str:
    status = response.status_code
    if status >= 500:
        return f"server error {status}"
    if status in (301, 302, 303, 307, 308):
        location = response.headers["Location"]
        if location.startswith("/admin/login/"):
            return ADMIN
        if location.startswith("/account/login/"):
            return LOGIN
        return OK
    if status in (403, 404):
        return NO
    return OK  # 200, 201, 400 (the empty form), 405, 413, 429


def test_every_cell_of_the_matrix(world: World) -> None:
    """About 60 URLs x 2 methods x 6 people, each against its policy and the markers."""
    cells = urls_for(world.team.maya)
    wrong: list[str] = []
    leaks: list[str] = []
    checked = 0
    for role in ROLES:
        for name, url in cells:
            policy = POLICY_OF.get(name) or "django admin"
            rule = POLICIES[policy][role]
            if url in MISSING:
                rule = NO
            for method in ("get", "post"):
                expected = rule if isinstance(rule, str) else rule[method == "post"]
                client = world.client(role)  # fresh each time: a POST may log out
                response = getattr(client, method)(url)
                got = outcome(response)
                checked += 1
                if got != expected and not (got == OK and response.status_code == 405):
                    wrong.append(f"{role:14} {method.upper():4} {url} ({policy}): {got}")
                body = _text(response)
                for marker in {MAYA_NAME, MAYA_NOTE, SAM_NAME} - MAY_SEE[role]:
                    if marker in body:
                        leaks.append(f"{role} {method.upper()} {url} shows {marker!r}")
    assert checked > 500
    assert not wrong, "\n".join(wrong)
    assert not leaks, "\n".join(leaks)


def test_the_markers_are_where_they_should_be(world: World) -> None:
    """The leak check can fail: the people who may see a marker do see it."""
    maya_id = world.team.maya.patient.pk
    record = _text(world.client("physio").get(f"/clinic/patients/{maya_id}/"))
    assert MAYA_NAME in record and MAYA_NOTE in record
    contact = _text(world.client("receptionist").get(f"/clinic/patients/{maya_id}/"))
    assert MAYA_NAME in contact and MAYA_NOTE not in contact
    assert MAYA_NOTE in _text(world.client("patient").get("/today/"))


def _text(response: Any) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")
