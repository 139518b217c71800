"""Password logins, with the session's user read together with their patient or staff record."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from backcare.lib.rows import Prepared

PATH = "backcare.accounts.backends.UserWithRecordBackend"

# Every page reads this (a session's user): its SQL is made once per process (lib/rows.py).
_WITH_RECORD = Prepared(
    lambda pk: (
        get_user_model()._default_manager.select_related("patient", "staff").filter(pk=pk)[:1]
    ),
    -7,  # a stand-in id
)


class UserWithRecordBackend(ModelBackend):
    """Django's ModelBackend, but a session's user comes with their patient record and staff
    role in the same query: every page needs one of them (the time zone middleware, the guards),
    and reading them apart was two round trips on every request. The relations are named, not
    imported: `care` and `clinic` sit above `accounts`."""

    def get_user(self, user_id: Any) -> Any:
        try:
            pk = int(user_id)
        except (TypeError, ValueError):
            return None
        user = _WITH_RECORD.first(pk)
        return user if user is not None and self.user_can_authenticate(user) else None
