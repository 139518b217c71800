"""The session store reads what Django's database store reads (accounts/sessions.py), on SQLite
and PostgreSQL alike: a live session's data, nothing from an expired or unknown one."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore as DjangoStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from backcare.accounts.sessions import SessionStore

pytestmark = pytest.mark.django_db


def test_it_is_the_site_s_session_engine() -> None:
    assert settings.SESSION_ENGINE == "backcare.accounts.sessions"


def test_a_live_session_reads_as_django_s_store_reads_it() -> None:
    made = SessionStore()
    made.update({"_auth_user_id": "7", "region": "AU"})
    made.save()
    assert SessionStore(made.session_key).load() == DjangoStore(made.session_key).load()
    assert SessionStore(made.session_key).load() == {"_auth_user_id": "7", "region": "AU"}


def test_an_expired_or_unknown_session_reads_as_empty_and_is_not_reused() -> None:
    made = SessionStore()
    made["region"] = "UK"
    made.save()
    Session.objects.filter(pk=made.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    for key in (made.session_key, "no-such-session-key-at-all"):
        store = SessionStore(key)
        assert store.load() == {}
        assert store.session_key is None  # saving it makes a new key, never this one
