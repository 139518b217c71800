"""Django's database sessions, read with SQL made once per process (SESSION_ENGINE).

Every signed-in request reads its session first; the ORM building that one-table select cost
several times running it (bench/checkin_profile.py). What is stored, and how, is Django's own:
only the read is prepared (backcare/lib/rows.py)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django.contrib.sessions.backends.db import SessionStore as DatabaseStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from backcare.lib.rows import Prepared

_LIVE = Prepared(
    lambda key, now: Session.objects.filter(session_key=key, expire_date__gt=now)[:1],
    "stand-in-session-key",
    datetime(2000, 1, 2, 3, 4, 5, tzinfo=UTC),
)


class SessionStore(DatabaseStore):
    def _get_session_from_db(self) -> Any:
        found = _LIVE.first(self.session_key, timezone.now())
        if found is None:
            self._session_key = None  # as Django's store does: a new session if one is saved
        return found
