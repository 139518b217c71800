"""The demo account is shared sample data: everyone trying backcare logs in with it, so nobody may
delete it, rename it, or change its password or e-mail address. Each attempt, on the site or in
the admin, is refused with one of these messages and changes nothing."""

from __future__ import annotations

_SHARED = "The demo account is shared sample data that everyone trying backcare logs in with, so"

CANNOT_DELETE = f"{_SHARED} it cannot be deleted. Nothing has been deleted."
CANNOT_CHANGE_PASSWORD = f"{_SHARED} its password cannot be changed. It stays backcare-demo."
CANNOT_RESET_PASSWORD = (
    f"{_SHARED} its password cannot be reset. Log in as demo with the password backcare-demo."
)
CANNOT_CHANGE_EMAIL = f"{_SHARED} its e-mail address cannot be changed."
CANNOT_RENAME = f"{_SHARED} its user name cannot be changed."
