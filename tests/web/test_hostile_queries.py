"""No query string or form field makes any page fail: every URL in backcare/urls.py, resolved
with sample path arguments, gets hostile values in the parameters its view reads and in some it
does not, anonymously and logged in as a person with a plan. A 4xx is a fine answer; a 5xx
never is."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from backcare.accounts.models import User
from backcare.care import handout
from backcare.care.actions import do_check_in
from backcare.care.forms_check import STEPS
from backcare.care.views.progress import CHARTS
from backcare.domain import catalogue
from backcare.domain.checkin import CheckIn as CheckInValue
from tests.web.people import People, clinic_for, staff_login, today_of

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]

# Each value is percent-encoded into the query string or sent as a form field as it is.
HOSTILE = [
    "²",  # a superscript two: "²".isdigit() is true, and int("²") fails
    "١٢",  # Arabic-Indic and full-width digits: int() accepts them
    "１２",
    "99999999999999999999999999999999",
    "-1",
    "1e309",
    "",
    "\x00",
    "x" * 5000,
    "<script>alert(1)</script>'; DROP TABLE accounts_user; --../../etc/passwd%",
    "https://attacker.example/",
]

# Query strings that are broken as a whole, not just in one value.
RAW_QUERIES = [
    "hold=%ff%fe&q=%c0%af",  # not UTF-8
    "hold=1&hold=%C2%B2&q=a&q=b&next=/&next=//attacker.example",  # repeated keys
    "&&&==&=",
    "hold",
    "%00=%00",
    "a=1&" * 1200,  # more fields than Django parses
]

# Parameters some view reads (the code and Django's own views), and some no view reads.
READ = ["hold", "q", "restart", "next", "check", "invite", "location", "physio", "edit", "page"]
READ += ["day", "postcode", "practitioner", "reason", "type", "appointment"]  # booking
READ += ["weeks"]  # the Progress tables: ?weeks=all
UNREAD = ["id", "format", "o", "p", "e", "_changelist_filters", "²", "\x00"]

# Form fields of every form in the app, for the POSTs.
FIELDS = [
    "username",
    "body",
    "email",
    "password",
    "password1",
    "password2",
    "old_password",
    "new_password1",
    "new_password2",
    "timezone",
    "pain_now",
    "spasm_episodes",
    "exercises_done",
    "pain_during_exercise",
    "pain_next_morning",
    "new_warning_signs",
    "kind",
    "action",
    "skip",
    "start",
    "location",
    "type",
    "practitioner",
    "reason",
    "weekday",  # the waitlist form
    "window_start",
    "window_end",
]


def routes() -> Iterator[tuple[str, URLPattern]]:
    """(name for reverse(), pattern) for every named URL, included ones too."""

    def walk(patterns: list[Any], namespace: str) -> Iterator[tuple[str, URLPattern]]:
        for p in patterns:
            if isinstance(p, URLResolver) and p.namespace == "api-v1":
                continue  # the JSON API has its own matrix: tests/api/test_permission_matrix.py
            if isinstance(p, URLResolver):
                inner = f"{namespace}{p.namespace}:" if p.namespace else namespace
                yield from walk(p.url_patterns, inner)
            elif p.name:
                yield f"{namespace}{p.name}", p

    yield from walk(get_resolver().url_patterns, "")


def views() -> Iterator[tuple[str, URLPattern]]:
    """One route for each view: the admin serves the same few views for every model (and every
    one of them sends a visitor who is not staff to its login), so one model's stands for all."""
    seen = set()
    for name, pattern in routes():
        if pattern.lookup_str not in seen:
            seen.add(pattern.lookup_str)
            yield name, pattern


def samples(user: User | None) -> dict[str, list[str]]:
    """Sample values for each path argument: real ones, so the views do their full work."""
    assessment = user.patient.assessments.first() if user else None
    check_in = user.patient.check_ins.first() if user else None
    appointment = user.patient.appointments.first() if user else None
    note = user.patient.treatment_notes.first() if user else None
    return {
        "step": [s.slug for s in STEPS],
        "assessment_id": [str(assessment.pk if assessment else 1)],
        "check_in_id": [str(check_in.pk if check_in else 1)],
        "patient_id": [str(user.patient.pk if user else 1)],
        "note_id": [str(note.pk if note else 1)],
        "pk": ["1"],  # the admin's pages for second-factor devices
        "chart": sorted(CHARTS),
        "exercise_id": ["bird_dog", "walking"],
        "topic_id": [next(iter(catalogue.topics()))],
        "uidb64": ["MQ"],
        "token": ["set-password", "abc-123"],
        "app_label": ["accounts"],
        "object_id": ["1"],
        "id": ["1"],
        "content_type_id": ["1"],
        "url": ["nothing-here/"],
        "invite_id": ["1"],
        "staff_id": ["1"],
        "endpoint_id": ["1"],
        "slug": ["quay", "nowhere"],
        "appointment_id": [str(appointment.pk if appointment else 1)],
        "token_id": ["1"],
    }


def urls(user: User | None) -> list[str]:
    return [url for _, url in urls_for(user)]


def urls_for(user: User | None) -> list[tuple[str, str]]:
    """(route name, URL) for each view, with `user`'s own records in the path arguments."""
    known = samples(user)
    out = []
    for name, pattern in views():
        args = list(pattern.pattern.regex.groupindex)
        if not args:
            out.append((name, reverse(name)))
            continue
        for i in range(max(len(known[a]) for a in args)):
            kwargs = {a: known[a][min(i, len(known[a]) - 1)] for a in args}
            out.append((name, reverse(name, kwargs=kwargs)))
    return out


def query(params: list[str], value: str) -> str:
    return "&".join(f"{quote(p, safe='')}={quote(value, safe='')}" for p in params)


# Each hostile value in every parameter at once: no view reads more than one, so none hides
# another's failure.
QUERIES = [query(READ + UNREAD, v) for v in HOSTILE] + RAW_QUERIES


def failures(
    client: Client, url: str, login: User | None, relogin: Callable[[], None] | None = None
) -> list[str]:
    found = []
    for qs in QUERIES:
        found += _failure(client, "get", url, qs)
    for value in HOSTILE:
        if relogin is not None:
            relogin()  # a POST to log out, or to delete, must not end the run
        elif login is not None:
            client.force_login(login)
        form = {f: value for f in FIELDS}
        found += _failure(client, "post", url, query(READ, value), form)
        if getattr(client, "last_status", None) == 405:
            break  # the view takes no POST
    return found


def _failure(
    client: Client, method: str, url: str, qs: str, form: dict[str, str] | None = None
) -> list[str]:
    shown = f"{method.upper()} {url}?{qs[:80]!r}"
    client.last_status = None  # type: ignore[attr-defined]
    try:
        if method == "get":
            response = client.get(url, QUERY_STRING=qs)
        else:
            response = client.post(url, form or {}, QUERY_STRING=qs)
    except Exception as exc:
        return [f"{shown}: {type(exc).__name__}: {str(exc)[:200]}"]
    client.last_status = response.status_code  # type: ignore[attr-defined]
    return [f"{shown}: {response.status_code}"] if response.status_code >= 500 else []


def logged_in_with_a_check_in(team: People) -> User:
    value = CheckInValue.model_validate(
        {"date": today_of(team.maya), "pain_now": 3, "spasm_episodes": 1, "new_warning_signs": []}
    )
    do_check_in(team.maya, team.maya.patient, value, now=timezone.now())
    return team.maya


@pytest.fixture(autouse=True)
def _no_pdf_drawing(monkeypatch: pytest.MonkeyPatch) -> None:
    """The handout is built as usual but not drawn: drawing never sees the request, and drawing
    it for every hostile value took 20 s."""
    monkeypatch.setattr(handout, "render_pdf", lambda data: b"%PDF-1.7 not drawn in this test")


def test_no_query_string_or_form_field_is_a_server_error_for_anyone(team: People) -> None:
    found: list[str] = []
    for url in urls(None):
        found += failures(Client(), url, None)
    assert not found, "\n".join(found)


def test_no_query_string_or_form_field_is_a_server_error_for_a_person_with_a_plan(
    team: People,
) -> None:
    maya = logged_in_with_a_check_in(team)
    client = Client()
    found: list[str] = []
    for url in urls(maya):
        found += failures(client, url, maya)
    assert not found, "\n".join(found)


def test_no_query_string_or_form_field_is_a_server_error_for_a_physio(team: People) -> None:
    """The clinic side, as Maya's physiotherapist with her second factor done."""
    maya = logged_in_with_a_check_in(team)
    priya = clinic_for(maya).priya
    client = Client()

    def relogin() -> None:
        staff_login(client, priya)

    relogin()
    found: list[str] = []
    for url in [u for u in urls(maya) if u.startswith("/clinic/")]:
        found += failures(client, url, None, relogin)
    assert not found, "\n".join(found)


def test_every_path_argument_has_a_sample() -> None:
    known = samples(None)
    missing = {
        arg
        for _, pattern in routes()
        for arg in pattern.pattern.regex.groupindex
        if arg not in known
    }
    assert not missing, f"add sample values for {sorted(missing)}"


def test_every_query_parameter_the_code_reads_is_fuzzed() -> None:
    reads = set()
    for source in (ROOT / "backcare").rglob("*.py"):
        reads |= set(re.findall(r'request\.GET\.get\(\s*"([^"]+)"', source.read_text()))
    assert reads, "the search for request.GET reads found nothing"
    assert reads <= set(READ), f"add these to READ: {sorted(reads - set(READ))}"


def test_a_nul_character_in_a_form_field_is_refused_by_name_and_nothing_is_saved(
    team: People,
) -> None:
    """PostgreSQL cannot store a NUL, so one that reached a query was a 500 there (SQLite kept
    it). Refused before any view runs, naming the field; the check-in is not written."""
    from backcare.care.models import CheckIn

    maya = logged_in_with_a_check_in(team)
    client = Client()
    client.force_login(maya)
    before = CheckIn.objects.count()
    response = client.post(reverse("check_in"), {"pain_now": "3", "notes": "fine\x00"})
    assert response.status_code == 400
    assert "notes: must not contain a NUL character" in response.content.decode()
    assert CheckIn.objects.count() == before
    response = client.get(reverse("today") + "?day=%00")
    assert response.status_code == 400
    assert "day: must not contain a NUL character" in response.content.decode()
