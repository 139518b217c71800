"""The error statuses every operation may answer, each a problem (schemas.ProblemOut)."""

from __future__ import annotations

from backcare.api.schemas import ProblemOut

ERRORS = {status: ProblemOut for status in (400, 401, 403, 404, 409, 413, 422, 429)}

# Ids beyond this cannot be a row's (and SQLite cannot even compare them): a 422, not a 500.
MAX_ID = 2**53
