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
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from datetime import date, timedelta  # noqa: E402

from backcare.domain.assessment import WARNING_SIGNS, Assessment  # noqa: E402
from backcare.domain.checkin import CheckIn  # noqa: E402
from backcare.domain.plan import plan  # noqa: E402
from backcare.domain.progress import progress  # noqa: E402
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


def bench_plan() -> float:
    rng = random.Random(3)
    assessments = [Assessment.model_validate(random_assessment(rng)) for _ in range(500)]
    today = date(2026, 11, 21)

    def batch() -> int:
        for a in assessments:
            plan(a, today=today)
        return len(assessments)

    return per_second(batch)


TYPICAL = {"during": ([1, 2, 3, 4, 5, 6, 7], [25, 30, 25, 8, 7, 3, 2]), "morning_up": 0.10}
FLARING = {"during": ([1, 2, 3, 4, 6], [1, 2, 2, 1, 1]), "morning_up": 0.25}


def ninety_days(
    rng: random.Random, exercises: list[str], start: date, course: dict[str, Any]
) -> list[CheckIn]:
    """90 days of check-ins: pain easing with ups and downs, exercise on about 4 days in 5."""
    values, weights = course["during"]
    out = []
    for n in range(90):
        pain = max(0, min(10, 6 - n // 12 + rng.choice([-1, 0, 0, 1])))
        did = rng.random() < 0.8
        up = rng.random() < course["morning_up"]
        out.append(
            CheckIn.model_validate(
                {
                    "date": start + timedelta(days=n),
                    "pain_now": pain,
                    "spasm_episodes": max(0, 4 - n // 15 + rng.choice([-1, 0, 1])),
                    "exercises_done": [{"exercise": e, "sets": 1} for e in exercises]
                    if did
                    else [],
                    "pain_during_exercise": rng.choices(values, weights)[0] if did else None,
                    "pain_next_morning": min(10, pain + 1) if up else max(0, pain - 1),
                    "new_warning_signs": [],
                }
            )
        )
    return out


def bench_progress(course: dict[str, Any]) -> float:
    rng = random.Random(4)
    start = date(2026, 8, 1)
    cases = []
    for _ in range(50):
        data = random_assessment(rng)
        data.update(dict.fromkeys(WARNING_SIGNS, False), pain_now=5, onset_days=3)
        data.pop("startback", None)
        state = plan(Assessment.model_validate(data), today=start).state
        exercises = [p.exercise for p in state.prescriptions]
        cases.append((state, ninety_days(rng, exercises, start, course)))
    today = start + timedelta(days=89)

    def batch() -> int:
        for state, ins in cases:
            progress(state, ins, today=today)
        return len(cases)

    return per_second(batch)


def bench_figures() -> float:
    """Seconds to render every exercise's figures: the animated one and each still frame."""
    from backcare.domain.figures.poses import pose_sets
    from backcare.domain.figures.render import animated_svg, static_svg

    poses = pose_sets()
    start = time.perf_counter()
    for exercise, pose in poses.items():
        animated_svg(pose, exercise, hold_seconds=5)
        for i in range(len(pose.frames)):
            static_svg(pose, i, exercise)
    return time.perf_counter() - start


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
        report("full plan generation (1 core)", bench_plan(), "plans/s", 5_000, True),
        report("render every exercise figure", bench_figures() * 1000, "ms", 1_000, False),
        report(
            "progression, 90 days of a typical course",
            bench_progress(TYPICAL),
            "progressions/s",
            2_000,
            True,
        ),
    ]
    # Someone who flares on ~40% of days changes dose far more often: reported, with no target.
    flaring = bench_progress(FLARING)
    print(f"{'progression, 90 days flaring on ~40% of days':<48} {flaring:>10,.0f} progressions/s")
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
