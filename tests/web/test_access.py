"""The one guard: a patient's record is reached by the patient themself or by their clinic's
physiotherapists (a receptionist: who they are, never their clinical data); by nobody else.
Missing and forbidden look the same."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.utils import timezone

from backcare.care.access import (
    access_active_plan,
    access_assessment,
    access_check_in,
    access_patient,
    own_patient,
)
from backcare.care.actions import do_check_in, do_save_assessment
from backcare.care.models import AuditEvent
from backcare.domain.assessment import Assessment
from backcare.domain.checkin import CheckIn as CheckInValue
from tests.domain.people import answers
from tests.web.people import clinic_for, people, today_of

pytestmark = pytest.mark.django_db


def who(name: str, p: Any, c: Any) -> Any:
    return {
        "anonymous": AnonymousUser(),
        "the patient": p.maya,
        "another patient": p.sam,
        "their physiotherapist": c.priya,
        "a receptionist": c.rob,
        "another clinic's physiotherapist": c.otto,
    }[name]


@pytest.mark.parametrize(
    ("actor", "clinical", "write", "allowed"),
    [
        ("anonymous", False, False, False),
        ("the patient", True, False, True),
        ("the patient", True, True, True),
        ("another patient", False, False, False),
        ("their physiotherapist", True, False, True),
        ("their physiotherapist", True, True, True),
        ("a receptionist", False, False, True),
        ("a receptionist", True, False, False),
        ("a receptionist", False, True, False),
        ("another clinic's physiotherapist", False, False, False),
        ("another clinic's physiotherapist", True, False, False),
    ],
)
def test_who_reaches_a_patients_record(
    actor: str, clinical: bool, write: bool, allowed: bool
) -> None:
    p = people()
    c = clinic_for(p.maya)
    patient_id = p.maya.patient.pk
    if allowed:
        got = access_patient(who(actor, p, c), patient_id, clinical=clinical, write=write)
        assert got.pk == patient_id
    else:
        with pytest.raises(Http404):
            access_patient(who(actor, p, c), patient_id, clinical=clinical, write=write)


def test_missing_looks_like_forbidden_and_a_clinic_of_none_is_nobodys() -> None:
    p = people()
    c = clinic_for()  # Maya has no clinic: her record is hers alone
    for actor in (c.priya, c.rob, c.otto):
        with pytest.raises(Http404):
            access_patient(actor, p.maya.patient.pk, clinical=False)
    with pytest.raises(Http404):
        access_patient(c.priya, 10**9)


def test_a_clinical_read_by_staff_is_audited_and_the_patients_own_is_not() -> None:
    p = people()
    c = clinic_for(p.maya)
    now = timezone.now()
    access_patient(c.priya, p.maya.patient.pk, now=now)
    access_patient(p.maya, p.maya.patient.pk, now=now)
    access_patient(c.rob, p.maya.patient.pk, clinical=False, now=now)
    viewed = AuditEvent.objects.filter(action="record.viewed")
    assert [(e.actor, e.patient_id) for e in viewed] == [(c.priya, p.maya.patient.pk)]


def test_own_patient_is_the_logins_own_record() -> None:
    p = people()
    c = clinic_for(p.maya)
    assert own_patient(p.maya) == p.maya.patient
    for nobody in (AnonymousUser(), c.priya):
        with pytest.raises(Http404):
            own_patient(nobody)


def test_each_patient_has_their_own_plan() -> None:
    p = people()
    assert access_active_plan(p.maya.patient) == p.maya_plan
    assert access_active_plan(p.sam.patient) == p.sam_plan
    with pytest.raises(Http404):
        access_active_plan(p.eve.patient)


def test_an_assessment_is_its_patients_own_or_this_sessions_before_sign_up() -> None:
    p = people()
    c = clinic_for(p.maya)
    mine = p.maya_plan.assessment
    assert access_assessment(p.maya, mine.pk, session_ids=[]) == mine
    for nobody in (p.sam, p.eve, c.priya, c.rob, c.otto, AnonymousUser()):
        with pytest.raises(Http404):
            access_assessment(nobody, mine.pk, session_ids=[mine.pk])
    anonymous = do_save_assessment(
        None, None, Assessment.model_validate(answers()), now=timezone.now()
    )
    assert access_assessment(AnonymousUser(), anonymous.pk, session_ids=[anonymous.pk]) == anonymous
    with pytest.raises(Http404):
        access_assessment(AnonymousUser(), anonymous.pk, session_ids=[])
    with pytest.raises(Http404):
        access_assessment(p.maya, 10**9, session_ids=[10**9])


def test_a_check_in_is_its_patients_own() -> None:
    p = people()
    value = CheckInValue(date=today_of(p.maya), pain_now=3, spasm_episodes=1, new_warning_signs=[])
    mine, _, _ = do_check_in(p.maya, p.maya.patient, value, now=timezone.now())
    assert access_check_in(p.maya.patient, mine.pk) == mine
    for other in (p.sam.patient, p.eve.patient):
        with pytest.raises(Http404):
            access_check_in(other, mine.pk)
    with pytest.raises(Http404):
        access_check_in(p.maya.patient, 10**9)
