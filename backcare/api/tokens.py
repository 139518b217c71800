"""Making, finding and revoking personal access tokens."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Any

from backcare.api.models import SCOPES, AccessToken
from backcare.lib.rows import Prepared

PREFIX = "bc_"
MAX_ACTIVE = 20
# last_used_at is a hint for the settings page, not an audit trail: writing it at most once a
# minute keeps a token's requests from each being a write.
TOUCH_EVERY = timedelta(minutes=1)


def hash_of(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def do_create_token(
    user: Any, *, name: str, scopes: list[str], now: datetime
) -> tuple[AccessToken, str]:
    """A new token for `user`: the row, and the token itself (shown once, never stored)."""
    if not scopes or any(s not in SCOPES for s in scopes):
        raise ValueError(f"scopes: must be some of {', '.join(SCOPES)}")
    token = PREFIX + secrets.token_urlsafe(32)
    row = AccessToken.objects.create(
        user=user,
        name=name,
        token_hash=hash_of(token),
        prefix=token[:10],
        scopes=[s for s in SCOPES if s in scopes],
        created_at=now,
    )
    return row, token


def do_revoke_token(user: Any, token_id: int, *, now: datetime) -> bool:
    """Revoke one of `user`'s own tokens; False when they have no such active token."""
    # The row itself records when: created_at and revoked_at, kept after revoking.
    found = AccessToken.objects.filter(pk=token_id, user=user, revoked_at__isnull=True)
    return found.update(revoked_at=now) == 1


def active_tokens(user: Any) -> list[AccessToken]:
    return list(AccessToken.objects.filter(user=user).order_by("-created_at", "-pk"))


# Every token request reads this: its SQL is made once per process (lib/rows.py).
_ACTIVE = Prepared(
    lambda token_hash: AccessToken.objects.select_related(
        "user", "user__patient", "user__staff"
    ).filter(token_hash=token_hash, revoked_at__isnull=True, user__is_active=True)[:1],
    "0" * 64,  # a stand-in hash; token_hash is unique, so no ORDER BY is needed
)


def find(token: str, *, now: datetime) -> AccessToken | None:
    """The active token for this secret, with its user and their patient or staff record, as a
    session's user is read (accounts.backends: one query), or None."""
    if not token.startswith(PREFIX) or len(token) > 100:
        return None
    row = _ACTIVE.first(hash_of(token))
    if row is not None and (row.last_used_at is None or row.last_used_at < now - TOUCH_EVERY):
        AccessToken.objects.filter(pk=row.pk).update(last_used_at=now)
    return row
