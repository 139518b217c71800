"""Every benchmark of `make bench`, each in its own process, all run even when one misses.

    python bench/all.py [--only NAME ...] [--port-base 8100] [--skip-postgres]

Each part prints its figures beside their targets and exits non-zero when one misses (or when
it breaks). This runner does not stop at the first: it runs every part, then prints one line
per part (ok, MISS or BROKEN, with the lines the part marked as missed and how long it took)
and exits 1 naming every part that did not pass. Each part that serves HTTP gets a port of its
own, `--port-base` plus ten times its place in the list (BENCH_PORT), so nothing else on the
machine needs to be stopped first. The PostgreSQL part runs against DATABASE_URL_PG (default:
the local cluster's database `bench_history`, created when missing) and is skipped with
`--skip-postgres` or when no server answers.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PG_URL = os.environ.get("DATABASE_URL_PG", "postgres://postgres@127.0.0.1:5432/bench_history")


@dataclass(frozen=True)
class Part:
    name: str
    argv: tuple[str, ...]
    env: dict[str, str] = field(default_factory=dict)


PARTS = (
    Part("core", ("bench/run.py",)),
    Part("web", ("bench/web.py", "all")),
    Part("queue", ("bench/clinic.py", "queue")),
    Part("checkin-history", ("bench/checkin.py",)),
    Part("ceiling-sqlite", ("bench/history.py",)),
    Part("ceiling-postgres", ("bench/history.py",), {"DATABASE_URL": PG_URL}),
    Part("free-slots", ("bench/booking.py",)),
    Part("booking-post", ("bench/booking_web.py",)),
    Part("fhir", ("bench/fhir_bundle.py",)),
    Part("api-today", ("bench/api_today.py",)),
    Part("fault", ("scripts/fault.py", "--full")),
)


@dataclass
class Outcome:
    part: Part
    code: int
    seconds: float
    missed: list[str]

    @property
    def verdict(self) -> str:
        if self.code == 0:
            return "ok"
        return "MISS" if self.missed else "BROKEN"


def _marked(line: str) -> bool:
    """A line in which a part says a target was missed."""
    return "MISS" in line or line.startswith("Traceback")


def run(part: Part, port: int) -> Outcome:
    """Run one part, passing its output through as it comes, and keep what it marked missed."""
    print(f"\n=== {part.name}: {' '.join(part.argv)} (port {port})", flush=True)
    env = {**os.environ, "LOG_LEVEL": "WARNING", "BENCH_PORT": str(port), **part.env}
    started = time.monotonic()
    missed = []
    with subprocess.Popen(
        [PYTHON, *part.argv], cwd=ROOT, env=env, text=True,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    ) as process:  # fmt: skip
        assert process.stdout is not None
        for line in process.stdout:
            print(line, end="", flush=True)
            if _marked(line):
                missed.append(line.strip())
        code = process.wait()
    return Outcome(part, code, time.monotonic() - started, missed)


def _postgres_ready() -> bool:
    """Whether PG_URL's server answers; creates its database when only that is missing."""
    base, _, name = PG_URL.rpartition("/")
    try:
        import psycopg
    except ImportError:
        return False
    try:
        with psycopg.connect(f"{base}/postgres", autocommit=True, connect_timeout=3) as db:
            found = db.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
            if found is None:
                db.execute(f'CREATE DATABASE "{name}"')
    except psycopg.Error as exc:
        print(f"PostgreSQL at {base} does not answer ({exc}): its part is skipped")
        return False
    return True


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", choices=[p.name for p in PARTS], default=None)
    parser.add_argument("--port-base", type=int, default=int(os.environ.get("BENCH_PORT", 8100)))
    parser.add_argument("--skip-postgres", action="store_true")
    args = parser.parse_args(argv)
    chosen = [p for p in PARTS if args.only is None or p.name in args.only]
    outcomes = []
    for place, part in enumerate(chosen):
        if "DATABASE_URL" in part.env and (args.skip_postgres or not _postgres_ready()):
            print(f"\n=== {part.name}: skipped (no PostgreSQL)")
            continue
        outcomes.append(run(part, args.port_base + 10 * place))
    print("\n=== make bench: every part")
    for o in outcomes:
        print(f"  {o.part.name:<18} {o.verdict:<6} {o.seconds:6.0f} s")
        for line in o.missed:
            print(f"      {line}")
    failed = [o.part.name for o in outcomes if o.code != 0]
    if failed:
        print(f"make bench: {len(failed)} of {len(outcomes)} parts missed: {', '.join(failed)}")
        return 1
    print(f"make bench: all {len(outcomes)} parts met their targets")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
