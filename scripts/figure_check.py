"""Check exercise pose data and print each figure's text alternative.

    .venv/bin/python scripts/figure_check.py [EXERCISE ...]

Exit code 1 when any pose has a problem (contacts, floor or props, joint ranges, lengths).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from backcare.domain.figures.describe import describe
from backcare.domain.figures.poses import flexion, place, pose_sets, problems
from backcare.domain.figures.render import animated_svg


def main(ids: list[str]) -> int:
    poses = pose_sets()
    bad = 0
    for exercise in ids or sorted(poses):
        pose = poses[exercise]
        found = problems(pose)
        size = len(animated_svg(pose, exercise).encode())
        print(f"== {exercise}: {'OK' if not found else f'{len(found)} problem(s)'}, {size} bytes")
        for line in found:
            print("   ", line)
        for frame in pose.frames:
            points = place(frame)
            shown = {k: f"({v[0]:.0f},{v[1]:.0f})" for k, v in points.items()}
            joints = {k: f"{v:.0f}" for k, v in flexion(frame.angles).items()}
            print(f"   {frame.label}: {shown}")
            print(f"   {frame.label} joints: {joints}")
        print("   text:", describe(pose))
        bad += bool(found)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
