"""Durability under faults: nothing acknowledged is lost, doubled or e-mailed twice.

    python scripts/fault.py --short   # `make test`: 2 SIGKILLs on SQLite, 1 PostgreSQL restart
    python scripts/fault.py --full    # `make bench`: 8 SIGKILLs, then 2 PostgreSQL restarts
    python scripts/fault.py --short --only sqlite   # one phase (sqlite or postgres)

Each phase makes a fresh data directory, seeds a clinic (practitioners, patients with plans and
tokens), and starts gunicorn and the task worker as `make run` does, each in its own process
group. Client threads then check in through the API with an Idempotency-Key (after a lost answer
the same key is sent again, as a phone would) and book free slots, while the driver kills the
server's and the worker's process groups with SIGKILL at random moments and starts them again,
and makes every reminder due at once so reminders go out during the run. Afterwards every 2xx
answer is compared with the database and the sent-email folder (scripts/fault_world.py).

The PostgreSQL phase runs on a throwaway cluster of its own on port 54391 (pg_createcluster, as
root), never the shared one: it stops PostgreSQL mid-load and starts it again. Every answer
given while it is down must be a 503 (not a 500), and the app must serve again by itself.
Without pg_createcluster --short skips that phase and --full counts it a miss.

A worker killed after writing an e-mail but before clearing its claim tries that e-mail again
after the restart (a window of about a millisecond), with the same Message-ID, which the outbox
has already (backcare/lib/mail.py). Any e-mail in the outbox twice is reported as `sent_twice`
and makes the run a miss. Exits 1 on any miss.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "scripts")]
PYTHON = sys.executable
BIN = Path(PYTHON).parent
CLUSTER = ("15", "backcare_fault")
PG_PORT = 54391


@dataclass(frozen=True)
class Plan:
    """One phase: how long the load runs, and the faults in it."""

    name: str
    seconds: float
    kills: int
    pg_restarts: int = 0
    threads: int = 4
    patients: int = 48
    practitioners: int = 8

    @property
    def database(self) -> str:
        return "postgres" if self.pg_restarts else "sqlite"


SHORT = [
    Plan("sqlite-kills", seconds=24, kills=2),
    Plan("postgres-restart", seconds=24, kills=1, pg_restarts=1),
]
FULL = [
    Plan("sqlite-kills", seconds=90, kills=8),
    Plan("postgres-restart", seconds=45, kills=2, pg_restarts=2),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def environment(data: Path, database_url: str, port: int) -> dict[str, str]:
    env = {
        **os.environ,
        "BACKCARE_DATA_DIR": str(data),
        "DJANGO_SETTINGS_MODULE": "backcare.settings",
        "LOG_LEVEL": "WARNING",
        "BACKCARE_API_REQUESTS_PER_ADDRESS": "1000000",
        "BACKCARE_API_REQUESTS_PER_TOKEN": "1000000",
        "PYTHONPATH": str(ROOT),
        "BIND": f"127.0.0.1:{port}",
    }
    for name in ("DATABASE_URL", "BACKCARE_TEST_NOW", "EMAIL_BACKEND", "BACKCARE_TASKS"):
        env.pop(name, None)
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


class Processes:
    """gunicorn and the task worker, started as the Makefile's run target starts them, each the
    leader of its own process group so one SIGKILL takes the master and all its workers."""

    def __init__(self, env: dict[str, str], port: int, logs: Path) -> None:
        self.env, self.port, self.logs = env, port, logs
        self.running: dict[str, subprocess.Popen[bytes]] = {}

    def command(self, name: str) -> list[str]:
        if name == "server":
            return [str(BIN / "gunicorn"), "backcare.wsgi", "-c", "python:backcare.gunicorn_conf",
                    "--preload", "--bind", f"127.0.0.1:{self.port}", "--workers", "2"]  # fmt: skip
        return [PYTHON, "manage.py", "task_worker"]

    def start(self, name: str) -> None:
        log = (self.logs / f"{name}.log").open("ab")
        self.running[name] = subprocess.Popen(  # noqa: S603 (our own commands)
            self.command(name), cwd=ROOT, env=self.env, stdout=log, stderr=log,
            start_new_session=True,
        )  # fmt: skip

    def kill(self, name: str) -> None:
        proc = self.running.pop(name)
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        _reap_group(proc.pid)

    def stop(self) -> None:
        for name in list(self.running):
            proc = self.running.pop(name)
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
            _reap_group(proc.pid)


def _reap_group(pgid: int) -> None:
    """Wait until no process of the killed group is left (gunicorn's workers die with it)."""
    for _ in range(100):
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.05)


def wait_until_up(base: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(base + "/healthz", timeout=2)  # noqa: S310 (loopback)
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"{base} did not start")


@dataclass
class Answer:
    at: float  # when sent (monotonic)
    done: float  # when answered or failed
    status: int  # 0: no answer (connection refused, reset, timed out)
    body: Any = None


def call(base: str, token: str, method: str, path: str, body: Any, **headers: str) -> Answer:
    sent = time.monotonic()
    request = urllib.request.Request(  # noqa: S310 (loopback)
        base + path, method=method, data=json.dumps(body).encode() if body is not None else None,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json",
                 **headers},
    )  # fmt: skip
    try:
        with urllib.request.urlopen(request, timeout=20) as r:  # noqa: S310 (loopback)
            return Answer(sent, time.monotonic(), r.status, json.loads(r.read() or b"null"))
    except urllib.error.HTTPError as e:
        text = e.read().decode(errors="replace")
        return Answer(sent, time.monotonic(), e.code, text[:500])
    except (OSError, ValueError, http.client.HTTPException):  # refused, reset, timed out, cut off
        return Answer(sent, time.monotonic(), 0)


@dataclass
class Load:
    """The client threads' shared record of what they were told."""

    base: str
    tokens: dict[int, str]
    location: int
    kind: int
    slots: list[tuple[int, str]]
    stop: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)
    answers: list[Answer] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    retries: int = 0

    def note(self, answer: Answer, what: str) -> None:
        with self.lock:
            self.answers.append(answer)
            if answer.status >= 500 and answer.status != 503:
                self.errors.append(f"{what}: {answer.status} {answer.body}")


GIVE_UP_SECONDS = 60.0


def check_in(load: Load, seen: Any, patient: int, pain: int) -> None:
    """One check-in with its own key, sent again with the same key after a lost answer or a 503
    until it is acknowledged (or a minute has gone)."""
    key = uuid.uuid4().hex
    body = {"pain_now": pain, "spasm_episodes": 1, "new_warning_signs": []}
    started = time.monotonic()
    while True:
        answer = call(load.base, load.tokens[patient], "POST", "/api/v1/me/check-ins", body,
                      **{"Idempotency-Key": key})  # fmt: skip
        load.note(answer, "check-in")
        if 200 <= answer.status < 300:
            day = answer.body["check_in"]["date"]
            with load.lock:
                seen.check_ins[key] = (patient, day, pain)
                seen.last_pain[patient, day] = pain
                seen.unsure_check_in.discard((patient, day))
            return
        if answer.status not in (0, 503) or time.monotonic() - started > GIVE_UP_SECONDS:
            with load.lock:
                load.errors.append(f"check-in given up: {answer.status} {answer.body}")
                seen.unsure_check_in.update(k for k in seen.last_pain if k[0] == patient)
            return
        with load.lock:
            load.retries += 1
        time.sleep(0.2)


def book(load: Load, seen: Any, patient: int, slot: tuple[int, str]) -> None:
    """One booking of a free slot, sent once: a lost answer leaves it unknown (the checks allow
    those to be rows or not); a 503 must have saved nothing."""
    practitioner, start = slot
    body = {"location": load.location, "appointment_type": load.kind,
            "practitioner": practitioner, "start": start}  # fmt: skip
    answer = call(load.base, load.tokens[patient], "POST", "/api/v1/me/appointments", body)
    load.note(answer, "booking")
    with load.lock:
        if 200 <= answer.status < 300:
            seen.bookings[int(answer.body["id"])] = (patient, practitioner, start)
        elif answer.status == 0:
            seen.unsure_bookings += 1
        elif answer.status in (409, 503):
            seen.refused_bookings.append((patient, practitioner, start))
            if answer.status == 409:
                load.errors.append(f"booking of a free slot refused: {answer.body}")
        else:
            load.errors.append(f"booking: {answer.status} {answer.body}")


def client(load: Load, seen: Any, thread: int, threads: int, rng: random.Random) -> None:
    try:
        _client(load, seen, thread, threads, rng)
    except Exception as exc:  # a thread that died would quietly send less: a miss
        with load.lock:
            load.errors.append(f"client thread {thread} failed: {exc!r}")


def _client(load: Load, seen: Any, thread: int, threads: int, rng: random.Random) -> None:
    """Alternate check-ins and bookings for this thread's own patients until told to stop.
    Slot k goes to patient k mod N (N >= practitioners, so nobody is booked twice at once)."""
    patients = sorted(load.tokens)
    mine = [k for k in range(len(load.slots)) if k % len(patients) % threads == thread]
    for n, k in enumerate(mine):
        if load.stop.is_set():
            return
        patient = patients[k % len(patients)]
        check_in(load, seen, patient, pain=rng.randint(0, 10))
        if load.stop.is_set():
            return
        book(load, seen, patient, load.slots[k])
        if n % 4 == 3:
            time.sleep(0.05)  # leave the worker some of the two cores


def move_clock_while(load: Load, log: list[str]) -> None:
    import fault_world
    from django.db import DatabaseError, close_old_connections
    from django.utils import timezone

    while not load.stop.wait(0.5):
        try:
            fault_world.move_clock(timezone.now())
        except DatabaseError as exc:  # locked, or PostgreSQL down: the next turn tries again
            log.append(f"clock: {exc}")
            close_old_connections()


def pg_ctl(action: str) -> None:
    extra = ["-m", "fast"] if action == "stop" else []
    subprocess.run(["pg_ctlcluster", *CLUSTER, action, *extra], check=True, capture_output=True)  # noqa: S603, S607


def run_faults(plan: Plan, procs: Processes, load: Load, rng: random.Random) -> dict[str, Any]:
    """The kills and restarts, spread over the run at random moments; the outage windows."""
    events: list[tuple[float, str]] = []
    faults = ["kill"] * plan.kills + ["pg"] * plan.pg_restarts
    rng.shuffle(faults)
    targets = ["both", "worker", "server"]
    start = time.monotonic()
    span = plan.seconds / (len(faults) + 1)
    outages: list[tuple[float, float]] = []
    for n, fault in enumerate(faults):
        moment = start + span * (n + 1) + rng.uniform(-span / 3, span / 3)
        time.sleep(max(0.0, moment - time.monotonic()))
        if fault == "kill":
            which = targets[n % 3] if n < 3 else rng.choice(targets)
            names = ["server", "worker"] if which == "both" else [which]
            for name in names:
                procs.kill(name)
            events.append((time.monotonic() - start, f"SIGKILL {which}"))
            time.sleep(rng.uniform(0, 0.5))
            for name in names:
                procs.start(name)
        else:
            pg_ctl("stop")
            down = time.monotonic()
            events.append((down - start, "PostgreSQL stopped"))
            time.sleep(rng.uniform(2.0, 4.0))
            up = time.monotonic()
            outages.append((down, up))
            pg_ctl("start")
            events.append((time.monotonic() - start, "PostgreSQL started"))
    time.sleep(max(0.0, start + plan.seconds - time.monotonic()))
    return {"events": events, "outages": outages}


def outage_report(load: Load, outages: list[tuple[float, float]]) -> dict[str, Any]:
    """Answers given wholly while PostgreSQL was down, and how soon after each start a write
    was acknowledged again."""
    during = Counter(
        a.status for a in load.answers for down, up in outages if down <= a.at and a.done <= up
    )
    recovered = []
    for _, up in outages:
        ok = [a.done - up for a in load.answers if a.done > up and 200 <= a.status < 300]
        recovered.append(round(min(ok), 2) if ok else None)
    return {"statuses_during_outage": dict(during), "seconds_to_first_2xx_after_start": recovered}


def phase(plan: Plan, port: int, database_url: str, seed: int) -> dict[str, Any]:
    """One phase in this process: Django set up on a fresh data directory (and database)."""
    data = Path(tempfile.mkdtemp(prefix=f"backcare-fault-{plan.name}-"))
    env = environment(data, database_url, port)
    os.environ.clear()
    os.environ.update(env)
    import django

    django.setup()
    import fault_world
    from api_live import _static
    from django.core.management import call_command
    from django.utils import timezone

    call_command("migrate", verbosity=0, interactive=False)
    _static(data, env)
    world = fault_world.seed(
        patients=plan.patients, practitioners=plan.practitioners, slots=plan.patients * 40
    )
    from django.db import connections

    connections.close_all()
    procs = Processes(env, port, data)
    base = f"http://127.0.0.1:{port}"
    load = Load(base, world.tokens, world.location, world.kind, world.slots)
    seen = fault_world.Acknowledged()
    rng = random.Random(seed)  # noqa: S311 (fault timing, not secrets)
    clock_log: list[str] = []
    try:
        procs.start("worker")
        procs.start("server")
        wait_until_up(base)
        threads = [
            threading.Thread(
                target=client,
                args=(load, seen, t, plan.threads, random.Random(seed + t)),  # noqa: S311
            )
            for t in range(plan.threads)
        ] + [threading.Thread(target=move_clock_while, args=(load, clock_log))]
        began = time.monotonic()
        for t in threads:
            t.start()
        faults = run_faults(plan, procs, load, rng)
        load.stop.set()
        for t in threads:
            t.join()
        loaded = time.monotonic() - began
        drained = _drain(fault_world)
    finally:
        load.stop.set()
        procs.stop()
    result = fault_world.verify(seen, data / "sent-email")
    statuses = Counter(a.status for a in load.answers)
    result["misses"] += load.errors[:10]
    if len(load.errors) > 10:
        result["misses"].append(f"... and {len(load.errors) - 10} more errors")
    if result["sent_twice"]:
        result["misses"].append(
            f"{len(result['sent_twice'])} e-mail(s) sent twice: {result['sent_twice']}"
        )
    if not drained:
        result["misses"].append(f"{fault_world.unsent(timezone.now())} message(s) never sent")
    if faults["outages"]:
        report = outage_report(load, faults["outages"])
        result["outage"] = report
        bad = {s: n for s, n in report["statuses_during_outage"].items() if s != 503}
        if bad:
            result["misses"].append(f"answers other than 503 while PostgreSQL was down: {bad}")
        if None in report["seconds_to_first_2xx_after_start"]:
            result["misses"].append("no write acknowledged after PostgreSQL came back")
    result["figures"] |= {
        "requests": len(load.answers),
        "statuses": dict(sorted(statuses.items())),
        "check_in_retries": load.retries,
        "seconds": round(loaded, 1),
    }
    result["figures"]["tasks_recovered_after_kill"] = _recovered(data / "worker.log")
    result["figures"]["e_mails_a_retry_found_delivered"] = _already_delivered(data / "worker.log")
    result["events"] = [f"{t:5.1f}s {what}" for t, what in faults["events"]]
    result["data"] = str(data)
    return result


def _recovered(log: Path) -> int:
    """How many tasks a restarted worker took back from the one killed (backcare.tasks)."""
    found = re.findall(r"(\d+) task\(s\) of a dead worker made ready", log.read_text())
    return sum(int(n) for n in found)


def _already_delivered(log: Path) -> int:
    """How many e-mails a retry found in the outbox already (backcare/lib/mail.py): the kills
    that fell between sending and recording it."""
    return len(re.findall(r"was delivered by an earlier try", log.read_text()))


def _drain(fault_world: Any, seconds: float = 90) -> bool:
    """Let the worker catch up: every reminder due now and every message sent."""
    from django.utils import timezone

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        now = timezone.now()
        fault_world.move_clock(now)
        if fault_world.unsent(now) == 0:
            return True
        time.sleep(0.5)
    return False


def create_cluster() -> str:
    """The throwaway PostgreSQL cluster on its own port, with an empty database; its URL."""
    drop_cluster()
    create = ["pg_createcluster", *CLUSTER, "-p", str(PG_PORT), "--start", "--", "--auth=trust"]
    subprocess.run(create, check=True, capture_output=True)  # noqa: S603 (Debian's postgresql-common)
    import psycopg

    admin = f"postgres://postgres@127.0.0.1:{PG_PORT}/postgres"
    for _ in range(100):
        try:
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute("CREATE DATABASE backcare_fault")
            break
        except psycopg.OperationalError:
            time.sleep(0.2)
    return f"postgres://postgres@127.0.0.1:{PG_PORT}/backcare_fault"


def can_make_cluster() -> bool:
    return shutil.which("pg_createcluster") is not None and os.geteuid() == 0


def drop_cluster() -> None:
    subprocess.run(["pg_dropcluster", "--stop", *CLUSTER], check=False, capture_output=True)  # noqa: S603, S607


def run_phase_process(plan: Plan, port: int, database_url: str, seed: int) -> dict[str, Any]:
    """Each phase in a process of its own: Django's settings are read once per process."""
    done = subprocess.run(  # noqa: S603 (our own script)
        [PYTHON, __file__, "--phase", plan.name, "--port", str(port), "--seed", str(seed),
         "--plan", json.dumps(plan.__dict__), "--database-url", database_url],
        capture_output=True, text=True, cwd=ROOT, check=False,
    )  # fmt: skip
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        return {"misses": [f"phase {plan.name} failed: {done.stderr[-3000:]}"], "figures": {}}
    return dict(json.loads(lines[-1]))


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--short", action="store_true", help="make test: SQLite, 2 kills")
    size.add_argument("--full", action="store_true", help="make bench: more kills, PostgreSQL")
    parser.add_argument("--only", choices=["sqlite", "postgres"], help="run one phase only")
    parser.add_argument(
        "--port", type=int, default=int(os.environ.get("FAULT_PORT", 8750)),
        help="the first phase's port, the next phase's one more (0: any free port)",
    )  # fmt: skip
    parser.add_argument("--seed", type=int, default=int(time.time()))
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    parser.add_argument("--plan", help=argparse.SUPPRESS)
    parser.add_argument("--database-url", default="", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.phase:
        result = phase(Plan(**json.loads(args.plan)), args.port, args.database_url, args.seed)
        print(json.dumps(result, default=str))
        return 0
    plans = [p for p in (FULL if args.full else SHORT) if args.only in (None, p.database)]
    misses = []
    for n, plan in enumerate(plans):
        if plan.database == "postgres" and not can_make_cluster():
            why = "needs pg_createcluster (postgresql-common) and root"
            print(f"fault {plan.name}: skipped: {why}")
            if args.full:
                misses.append(f"{plan.name}: not run: {why}")
            continue
        url = create_cluster() if plan.database == "postgres" else ""
        port = args.port + n if args.port else free_port()
        try:
            result = run_phase_process(plan, port, url, args.seed + n)
        finally:
            if url:
                drop_cluster()
        _print(plan, result, args.seed + n)
        misses += [f"{plan.name}: {m}" for m in result["misses"]]
        if not result["misses"] and result.get("data"):
            shutil.rmtree(result["data"], ignore_errors=True)  # kept when it has a miss to show
        elif result.get("data"):
            print(f"  logs, database and e-mail kept in {result['data']}")
    print("fault: " + ("ok" if not misses else "MISS: " + "; ".join(misses)))
    return 1 if misses else 0


def _print(plan: Plan, result: dict[str, Any], seed: int) -> None:
    print(f"fault {plan.name} (seed {seed}): {json.dumps(result.get('figures'))}")
    for event in result.get("events", []):
        print(f"  {event}")
    if result.get("outage"):
        print(f"  outage: {json.dumps(result['outage'])}")
    if result.get("sent_twice"):
        print(f"  e-mails sent twice: {result['sent_twice']}")
    for miss in result["misses"]:
        print(f"  MISS {miss}")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
