"""backcare's settings for a server a test starts (gunicorn in its own process): the real ones,
with static files served as they are, so the test need not run collectstatic first."""

from __future__ import annotations

from backcare.settings import *  # noqa: F403
from backcare.settings import STORAGES

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
