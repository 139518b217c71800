"""A live backcare with the API's test people, for schemathesis and the docs' curl examples.

    python scripts/api_live.py fuzz [--examples N]   # schemathesis as anonymous, patient, staff
    python scripts/api_live.py serve                 # print BASE and tokens, serve until Ctrl-C

Each run makes a fresh SQLite database in a temporary directory, with the people of
tests/api/world.py (Maya, her physiotherapist Priya, ...) and their tokens, then starts gunicorn
on a free port. The API's rate limits are raised so the fuzzer measures the API, not the limit.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
BIN = Path(PYTHON).parent
CHECKS = ",".join(
    (
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_headers_conformance",
        "response_schema_conformance",
    )
)


def free_port() -> int:
    """A free port: the first free one of BACKCARE_LIVE_PORTS ("8700-8749") when set, so runs
    on a shared machine stay inside their own range; else any the system gives."""
    first, _, last = os.environ.get("BACKCARE_LIVE_PORTS", "").partition("-")
    candidates = range(int(first), int(last or first) + 1) if first else [0]
    for port in candidates:
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return int(s.getsockname()[1])
    raise SystemExit(f"no free port in BACKCARE_LIVE_PORTS={first}-{last}")


def environment(data: Path) -> dict[str, str]:
    env = {
        **os.environ,
        "BACKCARE_DATA_DIR": str(data),
        "DJANGO_SETTINGS_MODULE": "backcare.settings",
        "LOG_LEVEL": "ERROR",
        "BACKCARE_API_REQUESTS_PER_ADDRESS": "1000000",
        "BACKCARE_API_REQUESTS_PER_TOKEN": "1000000",
        "PYTHONPATH": str(ROOT),
    }
    env.pop("DATABASE_URL", None)
    env.pop("BACKCARE_TEST_NOW", None)
    return env


SEED = """
import json, django
django.setup()
from tests.api.world import build
w = build()
print(json.dumps({"tokens": w.tokens, "read_only": w.read_only,
    "patient_id": w.maya.patient.pk, "location": w.c.location.pk,
    "appointment_type": w.follow_up.pk, "appointment": w.appointment.pk,
    "check_in": w.check_in.pk, "note": w.note.pk}))
"""


@contextmanager
def live() -> Iterator[tuple[str, dict[str, object]]]:
    """(base URL, the seeded people's tokens and ids) while a server runs."""
    with tempfile.TemporaryDirectory(prefix="backcare-api-") as tmp:
        env = environment(Path(tmp))
        _static(Path(tmp), env)
        subprocess.run(  # noqa: S603 (our own commands)
            [PYTHON, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True,
            capture_output=True,
        )  # fmt: skip
        seeded = subprocess.run(  # noqa: S603 (our own commands)
            [PYTHON, "-c", SEED], cwd=ROOT, env=env, check=True, capture_output=True, text=True
        )
        people = json.loads(seeded.stdout.strip().splitlines()[-1])
        port = free_port()
        server = subprocess.Popen(  # noqa: S603 (our own commands)
            [str(BIN / "gunicorn"), "backcare.wsgi", "--bind", f"127.0.0.1:{port}",
             "--workers", "2", "--threads", "1"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=None,
        )  # fmt: skip
        base = f"http://127.0.0.1:{port}"
        try:
            _wait(base)
            yield base, people
        finally:
            server.terminate()
            server.wait(timeout=10)


STATIC = ROOT / "var" / "api-live-static"


def _static(data: Path, env: dict[str, str]) -> None:
    """The collected static files (the site's error pages need them), collected once into
    var/ and shared by every run while no static source is newer: collecting takes 20 s."""
    manifest = STATIC / "staticfiles.json"
    sources = [p.stat().st_mtime for p in (ROOT / "backcare" / "static").rglob("*") if p.is_file()]
    if not manifest.exists() or max(sources, default=0) > manifest.stat().st_mtime:
        collect = {**env, "BACKCARE_DATA_DIR": str(STATIC.parent / "api-live-collect")}
        STATIC.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(  # noqa: S603 (our own commands)
            [PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=collect,
            check=True, capture_output=True,
        )  # fmt: skip
        built = STATIC.parent / "api-live-collect" / "static"
        if STATIC.exists():
            shutil.rmtree(STATIC)
        built.rename(STATIC)
    (data / "static").symlink_to(STATIC, target_is_directory=True)


def _wait(base: str) -> None:
    for _ in range(200):
        try:
            urllib.request.urlopen(base + "/healthz", timeout=2)  # noqa: S310
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"{base} did not start")


def fuzz(base: str, people: dict[str, object], *, examples: int, phases: str) -> int:
    """schemathesis as each caller; the number of runs that found a failure."""
    tokens = people["tokens"]
    if not isinstance(tokens, dict):
        raise SystemExit("the seeded people have no tokens")
    callers = {"anonymous": None, "patient": tokens["patient"], "staff": tokens["physio"]}
    # Real ids and places, so generated cases reach the actions instead of meeting 404s.
    config = Path(tempfile.mkdtemp(prefix="backcare-fuzz-")) / "schemathesis.toml"
    config.write_text(
        "[parameters]\n"
        + "".join(
            f'"{key}" = {people[name]}\n'
            for key, name in (
                ("path.patient_id", "patient_id"),
                ("path.appointment_id", "appointment"),
                ("path.check_in_id", "check_in"),
                ("path.note_id", "note"),
                ("query.location", "location"),
                ("query.appointment_type", "appointment_type"),
            )
        )
    )
    failed = 0
    for who, token in callers.items():
        command = [
            str(BIN / "schemathesis"), "--config-file", str(config), "run",
            f"{base}/api/v1/openapi.json",
            "--checks", CHECKS, "--max-examples", str(examples), "--phases", phases,
            # One worker: two threads share schemathesis's schema caches, and once in a while
            # one of them fails inside schemathesis itself (a KeyError in its generator).
            "--seed", "11", "--workers", "1", "--suppress-health-check", "all",
            "--no-shrink", "--request-timeout", "30",
        ]  # fmt: skip
        if token is not None:
            command += ["--header", f"Authorization: Bearer {token}"]
        print(f"schemathesis as {who}", flush=True)
        done = subprocess.run(command, cwd=ROOT, check=False)  # noqa: S603 (our own commands)
        failed += done.returncode != 0
    return failed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=("fuzz", "serve"))
    parser.add_argument("--examples", type=int, default=40, help="cases per operation")
    parser.add_argument("--phases", default="examples,coverage,fuzzing")
    args = parser.parse_args()
    with live() as (base, people):
        if args.what == "serve":
            print(json.dumps({"BASE": base, **people}), flush=True)
            try:
                while True:
                    time.sleep(3600)
            except KeyboardInterrupt:
                return
        sys.exit(1 if fuzz(base, people, examples=args.examples, phases=args.phases) else 0)


if __name__ == "__main__":
    main()
