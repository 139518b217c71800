"""Reading a JSON body: decoded, and free of NUL characters (PostgreSQL cannot keep one)."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest

from backcare.api.problems import Problem


def _no_nul(value: Any, where: str) -> None:
    """PostgreSQL cannot keep a NUL character, and no person types one: refuse it by name."""
    if isinstance(value, str) and "\x00" in value:
        message = "must not contain a NUL character"
        raise Problem(
            422, f"{where or 'body'}: {message}", errors=[{"field": where, "message": message}]
        )
    if isinstance(value, dict):
        for k, v in value.items():
            _no_nul(str(k), where)
            _no_nul(v, f"{where}.{k}" if where else str(k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            _no_nul(v, f"{where}[{i}]")


def json_body(request: HttpRequest) -> Any:
    """The request's JSON body, decoded and free of NUL characters, or a 400 problem."""
    try:
        data = json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError):
        raise Problem(400, "The body must be JSON (Content-Type: application/json).") from None
    _no_nul(data, "")
    return data
