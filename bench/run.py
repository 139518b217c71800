"""backcare benchmarks: `make bench`. Prints each figure beside its target; exits 1 if one misses.

Figures are recorded in docs/performance.md with the machine and command that produced them.
"""

from __future__ import annotations

import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from backcare.domain.assessment import WARNING_SIGNS, Assessment  # noqa: E402
from backcare.domain.triage import triage  # noqa: E402
from backcare.domain.validation import parse_json  # noqa: E402

MECHANISMS = ["lifting", "twisting", "bending", "sport", "fall", "sitting", "none", "other"]
BOTHER = ["not_at_all", "slightly", "moderately", "very_much", "extremely"]


def random_assessment(rng: random.Random) -> dict[str, object]:
    data: dict[str, object] = {
        "age": rng.randint(16, 90),
        "sex": rng.choice(["female", "male", "other", None]),
        "onset_days": rng.randint(0, 30),
        "mechanism": rng.choice(MECHANISMS),
        "pain_now": rng.randint(0, 10),
        "spasm_episodes_per_day": rng.randint(0, 10),
    }
    # Mostly no warning signs, as in real use, with a few flags sprinkled in.
    data.update({sign: rng.random() < 0.03 for sign in WARNING_SIGNS})
    if rng.random() < 0.5:
        data["startback"] = {
            **{f"q{i}": rng.random() < 0.3 for i in range(1, 9)},
            "q9": rng.choice(BOTHER),
        }
    return data


def per_second(fn: Callable[[], int], seconds: float = 3.0) -> float:
    """Calls fn (which does a batch and returns its size) for about `seconds`; items per second."""
    fn()  # warm caches and content
    done, start = 0, time.perf_counter()
    while (elapsed := time.perf_counter() - start) < seconds:
        done += fn()
    return done / elapsed


def bench_triage() -> float:
    rng = random.Random(2)
    texts = [json.dumps(random_assessment(rng)) for _ in range(2000)]

    def batch() -> int:
        for text in texts:
            triage(parse_json(Assessment, text))
        return len(texts)

    return per_second(batch)


def bench_cold_start(runs: int = 15) -> float:
    entry = ROOT / ".venv" / "bin" / "backcare"
    command = [str(entry)] if entry.exists() else [sys.executable, "-m", "backcare.cli"]
    sample = json.dumps(random_assessment(random.Random(1)))
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        handle.write(sample)
    times = []
    try:
        for _ in range(runs):
            start = time.perf_counter()
            subprocess.run([*command, "triage", handle.name], capture_output=True, check=True)
            times.append(time.perf_counter() - start)
    finally:
        os.unlink(handle.name)
    return statistics.median(times) * 1000


def report(name: str, value: float, unit: str, target: float, higher_is_better: bool) -> bool:
    ok = value >= target if higher_is_better else value <= target
    sign = ">=" if higher_is_better else "<="
    verdict = "ok" if ok else "MISS"
    print(f"{name:<48} {value:>10,.0f} {unit:<16} target {sign} {target:,.0f}  {verdict}")
    return ok


def main() -> int:
    print(
        f"machine: {platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    results = [
        report(
            "triage incl. JSON validation (1 core)", bench_triage(), "assessments/s", 20_000, True
        ),
        report("`backcare triage FILE` cold start (median)", bench_cold_start(), "ms", 300, False),
    ]
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
