"""The guards: every patient-owned record is reachable only by its owner; missing looks the same."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.utils import timezone

from backcare.accounts.models import User
from backcare.care.access import access_active_plan, access_assessment, access_check_in
from backcare.care.actions import do_check_in, do_save_assessment
from backcare.domain.assessment import Assessment
from backcare.domain.checkin import CheckIn as CheckInValue
from tests.domain.people import answers
from tests.web.people import people, today_of

pytestmark = pytest.mark.django_db


def checkin_value(user: User) -> CheckInValue:
    return CheckInValue.model_validate_json(
        f'{{"date": "{today_of(user)}", "pain_now": 3, "spasm_episodes": 1,'
        ' "new_warning_signs": []}'
    )


def test_a_person_reaches_their_own_plan_and_nobody_elses() -> None:
    p = people()
    assert access_active_plan(p.maya) == p.maya_plan
    assert access_active_plan(p.sam) == p.sam_plan
    with pytest.raises(Http404):
        access_active_plan(p.eve)
    with pytest.raises(Http404):
        access_active_plan(AnonymousUser())


def test_it_refuses_another_persons_assessment() -> None:
    p = people()
    maya_assessment = p.maya_plan.assessment
    assert access_assessment(p.maya, maya_assessment.pk, session_ids=[]) == maya_assessment
    for who in (p.sam, p.eve, AnonymousUser()):
        with pytest.raises(Http404):
            access_assessment(who, maya_assessment.pk, session_ids=[maya_assessment.pk])


def test_an_anonymous_check_is_reachable_only_from_its_own_session() -> None:
    record = do_save_assessment(None, Assessment.model_validate(answers()), now=timezone.now())
    assert access_assessment(AnonymousUser(), record.pk, session_ids=[record.pk]) == record
    with pytest.raises(Http404):
        access_assessment(AnonymousUser(), record.pk, session_ids=[])


def test_a_missing_assessment_looks_like_someone_elses() -> None:
    p = people()
    with pytest.raises(Http404):
        access_assessment(p.maya, 10**9, session_ids=[10**9])


def test_it_refuses_another_persons_check_in() -> None:
    p = people()
    mine, _, _ = do_check_in(p.maya, checkin_value(p.maya), now=timezone.now())
    assert access_check_in(p.maya, mine.pk) == mine
    for who in (p.sam, p.eve, AnonymousUser()):
        with pytest.raises(Http404):
            access_check_in(who, mine.pk)
    with pytest.raises(Http404):
        access_check_in(p.maya, 10**9)
