"""How logins are throttled (django-axes, in the database, so every server process agrees)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

# Longer than any user name can be (150), short enough for axes's own column (255).
USERNAME_MAX = 150


def axes_username(request: HttpRequest, credentials: dict[str, Any] | None) -> str | None:
    """The user name a login tried, as axes records it, cut to the longest a name can be: axes
    stores it as given, and PostgreSQL refuses a longer value (a 500 for a 5,000-letter name)."""
    source = credentials if credentials else getattr(request, "POST", {})
    name = source.get("username")
    return name[:USERNAME_MAX] if isinstance(name, str) else None
