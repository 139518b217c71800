"""What the care side announces for others to act on (the clinic's webhooks), without knowing
who listens: `care` sits below `clinic` and imports nothing of it.

`warning_sign_reported` is sent inside the transaction that records the sign, so a listener's
rows (a webhook delivery and its task) commit or roll back with it. Arguments: `patient`, `signs`
(warning-sign codes), `source` ("check_in", "check" or "message"), `at` (the instant)."""

from __future__ import annotations

from django.dispatch import Signal

warning_sign_reported = Signal()
