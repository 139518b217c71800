"""`make run` says where backcare really is, and the server log is not flooded by WeasyPrint."""

from __future__ import annotations

import logging
import subprocess
from pathlib import Path
from types import SimpleNamespace

import pytest
from weasyprint import HTML

from backcare.gunicorn_conf import served_at, when_ready

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    ("listener", "shown"),
    [
        ("http://127.0.0.1:8000", "http://127.0.0.1:8000"),
        ("http://192.0.2.5:9001", "http://192.0.2.5:9001"),
        ("http://0.0.0.0:9001", "http://0.0.0.0:9001 (every address of this machine; here: "),
        ("http://[::]:9001", "http://[::]:9001 (every address"),
        ("unix:/run/backcare.sock", "unix:/run/backcare.sock"),
    ],
)
def test_the_address_shown_is_the_bound_one(listener: str, shown: str) -> None:
    assert served_at(listener).startswith(shown)


def test_gunicorn_prints_each_bound_address_once_ready(capsys: pytest.CaptureFixture[str]) -> None:
    when_ready(SimpleNamespace(LISTENERS=["http://0.0.0.0:41234", "unix:/tmp/b.sock"]))
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("backcare: http://0.0.0.0:41234 ")
    assert "http://127.0.0.1:41234" in out[0] and "demo / backcare-demo" in out[0]
    assert out[1].startswith("backcare: unix:/tmp/b.sock ")


def test_make_run_serves_the_bind_it_was_given_and_prints_no_fixed_address() -> None:
    done = subprocess.run(
        ["make", "-n", "run", "BIND=0.0.0.0:9001"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    gunicorn = next(line for line in done.stdout.splitlines() if "gunicorn backcare.wsgi" in line)
    assert "--bind 0.0.0.0:9001" in gunicorn and "-c python:backcare.gunicorn_conf" in gunicorn
    assert "127.0.0.1:8000" not in done.stdout


def test_drawing_a_pdf_logs_no_progress_lines(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO):
        HTML(string="<p>a handout</p>").write_pdf()
    assert not [r for r in caplog.records if r.name.startswith("weasyprint.progress")]
    assert logging.getLogger("weasyprint.progress").isEnabledFor(logging.WARNING)
