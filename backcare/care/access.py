"""Guards for every patient-owned record. "Missing" and "not yours" look the same: a 404."""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from backcare.care.models import AssessmentRecord, CheckIn, Plan

User = AbstractBaseUser | AnonymousUser


def access_active_plan(user: User) -> Plan:
    if not user.is_authenticated:
        raise Http404("no plan")
    # The starting state is large and only progression needs it (cached): load it on demand.
    plan = Plan.objects.filter(user=user, is_active=True).defer("base_state").first()
    if plan is None:
        raise Http404("no plan")
    return plan


def access_assessment(
    user: User, assessment_id: int, *, session_ids: list[int]
) -> AssessmentRecord:
    """An assessment the person owns, or one made in this browser session before signing up."""
    record = AssessmentRecord.objects.filter(pk=assessment_id).first()
    if record is None:
        raise Http404("no assessment")
    owns = user.is_authenticated and record.user_id == user.pk
    anonymous_here = record.user_id is None and assessment_id in session_ids
    if not (owns or anonymous_here):
        raise Http404("no assessment")
    return record


def access_check_in(user: User, check_in_id: int) -> CheckIn:
    if not user.is_authenticated:
        raise Http404("no check-in")
    check_in = CheckIn.objects.filter(pk=check_in_id, user=user).first()
    if check_in is None:
        raise Http404("no check-in")
    return check_in
