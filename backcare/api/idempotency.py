"""`Idempotency-Key` for writes a client may retry (a check-in sent from a phone that lost its
signal): the first answer is kept; the same key and the same body get that answer again; the
same key with another body is refused (422), since it cannot be the same request."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder

from backcare.api.models import IdempotentRequest
from backcare.api.problems import Problem


def _hash(body: Any) -> str:
    return hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()


def earlier(user: Any, operation: str, key: str, body: Any) -> tuple[int, Any] | None:
    found = IdempotentRequest.objects.filter(user=user, operation=operation, key=key).first()
    if found is None:
        return None
    if found.body_hash != _hash(body):
        raise Problem(
            422,
            "Idempotency-Key: this key was used with a different body; use a new key.",
            errors=[{"field": "Idempotency-Key", "message": "already used with another body"}],
            slug="idempotency-key-reused",
        )
    return found.status, found.response


def remember(
    user: Any, operation: str, key: str, body: Any, status: int, answer: Any, *, now: datetime
) -> None:
    IdempotentRequest.objects.create(
        user=user,
        operation=operation,
        key=key,
        body_hash=_hash(body),
        status=status,
        response=json.loads(json.dumps(answer, cls=DjangoJSONEncoder)),
        created_at=now,
    )
