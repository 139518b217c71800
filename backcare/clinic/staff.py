"""A clinic's staff accounts: invitations, joining, deactivating, resetting a second factor.

Each `do_*` runs in one transaction. Invite tokens are random; only their SHA-256 is stored.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.core.mail import send_mail
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from backcare.accounts.models import StaffInvite, StaffMember, User
from backcare.care.models import Action, AuditEvent

INVITE_DAYS = 7


class StaffError(Exception):
    """A refused change, with a message naming what is wrong."""


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def open_invite(token: str, now: datetime) -> StaffInvite | None:
    """The invite a link is for, while it is pending and fresh; else None."""
    invite = StaffInvite.objects.filter(token_hash=token_hash(token)).first()
    if invite is None or not invite.pending or invite.expires_at <= now:
        return None
    return invite


def _audit(actor: Any, action: str, obj: Any, now: datetime, **details: Any) -> None:
    AuditEvent.objects.create(
        actor=actor, action=action, object_type=type(obj).__name__, object_id=obj.pk,
        details=details, at=now,
    )  # fmt: skip


def _send(invite: StaffInvite, link: str) -> None:
    # Only the link: nothing about patients, nothing about the clinic's records.
    send_mail(
        f"{invite.clinic.name} invites you to backcare",
        f"{invite.clinic.name} has invited you to join its staff on backcare.\n\n"
        f"Choose your login here (the link works once, for {INVITE_DAYS} days):\n{link}\n",
        None,
        [invite.email],
    )


def _fresh_token(invite: StaffInvite, now: datetime) -> str:
    token = secrets.token_urlsafe(32)
    invite.token_hash = token_hash(token)
    invite.created_at = now
    invite.expires_at = now + timedelta(days=INVITE_DAYS)
    return token


def do_invite_staff(
    admin: StaffMember, *, name: str, email: str, role: str, is_admin: bool,
    locations: Iterable[Any], link_for: Any, now: datetime,
) -> StaffInvite:  # fmt: skip
    """Invite someone; `link_for(token)` makes the absolute link for the e-mail."""
    chosen = list(locations)
    if any(loc.clinic_id != admin.clinic_id for loc in chosen):
        raise StaffError("locations: choose from this clinic's locations only")
    with transaction.atomic():
        invite = StaffInvite(
            clinic_id=admin.clinic_id, name=name, email=email, role=role, is_admin=is_admin,
            invited_by=admin.user,
        )  # fmt: skip
        token = _fresh_token(invite, now)
        invite.save()
        invite.locations.set(chosen)
        _audit(admin.user, Action.STAFF_INVITED, invite, now, role=role, is_admin=is_admin)
    _send(invite, link_for(token))
    return invite


def do_resend_invite(
    admin: StaffMember, invite: StaffInvite, *, link_for: Any, now: datetime
) -> None:
    with transaction.atomic():
        token = _fresh_token(invite, now)
        invite.save(update_fields=["token_hash", "created_at", "expires_at"])
        _audit(admin.user, Action.STAFF_INVITED, invite, now, resent=True)
    _send(invite, link_for(token))


def do_cancel_invite(admin: StaffMember, invite: StaffInvite, *, now: datetime) -> None:
    invite.cancelled_at = now
    invite.save(update_fields=["cancelled_at"])


def do_accept_invite(
    invite: StaffInvite, *, username: str, password: str, now: datetime
) -> StaffMember:
    """Make the login and the staff role; the invite is used up (a second click finds nothing)."""
    with transaction.atomic():
        taken = StaffInvite.objects.filter(
            pk=invite.pk, used_at__isnull=True, cancelled_at__isnull=True
        ).update(used_at=now)
        if not taken:
            raise StaffError("This invitation has already been used.")
        first, _, last = invite.name.partition(" ")
        user = User.objects.create_user(
            username, email=invite.email, password=password, first_name=first, last_name=last
        )
        staff = StaffMember.objects.create(
            user=user, clinic_id=invite.clinic_id, role=invite.role, is_admin=invite.is_admin
        )
        staff.locations.set(invite.locations.all())
    return staff


def do_deactivate(admin: StaffMember, staff: StaffMember, *, now: datetime) -> None:
    if staff.pk == admin.pk:
        raise StaffError("You cannot deactivate your own account.")
    with transaction.atomic():
        if staff.is_admin:
            others = StaffMember.objects.select_for_update().filter(
                clinic_id=staff.clinic_id, is_admin=True, user__is_active=True
            )
            if not others.exclude(pk=staff.pk).exists():
                raise StaffError("The clinic needs at least one active administrator.")
        User.objects.filter(pk=staff.user_id).update(is_active=False)


def do_reset_second_factor(actor: Any, staff: StaffMember, *, now: datetime) -> int:
    """Remove their authenticator devices: at their next login they set up a new one."""
    deleted, _ = TOTPDevice.objects.filter(user_id=staff.user_id).delete()
    return deleted


def do_create_staff(
    clinic: Any, *, username: str, email: str, password: str, role: str, is_admin: bool,
    locations: Iterable[Any], name: str = "",
) -> StaffMember:  # fmt: skip
    with transaction.atomic():
        first, _, last = name.partition(" ")
        user = User.objects.create_user(
            username, email=email, password=password, first_name=first, last_name=last
        )
        staff = StaffMember.objects.create(user=user, clinic=clinic, role=role, is_admin=is_admin)
        staff.locations.set(list(locations))
    return staff
