"""What counts as getting better: one meaningful-change rule, used everywhere "improving" is judged.

Pain on the 0-10 scale improves meaningfully when it falls by 2 points or by 30 % (Ostelo 2008, the
minimal important change for back pain). Spasm episodes improve meaningfully when they fall by at
least one a day or by 30 %: backcare's own threshold, on the same proportional rule, as no study
gives one for spasm counts. The progress summary, the re-check and the clinic's attention rules all
call these functions, so they can never disagree.
"""

from __future__ import annotations

PAIN_POINTS = 2.0
EPISODES_PER_DAY = 1.0
RATIO = 0.30
_EPSILON = 1e-9  # 6 -> 4.2 is exactly 30 %, whatever the floating point says


def _fell(before: float, after: float, points: float) -> bool:
    fall = before - after
    if fall <= 0:
        return False
    return fall + _EPSILON >= points or (before > 0 and fall / before + _EPSILON >= RATIO)


def pain_improved(before: float, after: float) -> bool:
    """Pain down at least 2 points, or at least 30 %."""
    return _fell(before, after, PAIN_POINTS)


def episodes_improved(before: float, after: float) -> bool:
    """Spasm episodes a day down at least 1, or at least 30 %."""
    return _fell(before, after, EPISODES_PER_DAY)


def improving(
    before_pain: float, after_pain: float, before_episodes: float, after_episodes: float
) -> bool:
    """Either pain or spasm episodes have fallen meaningfully."""
    return pain_improved(before_pain, after_pain) or episodes_improved(
        before_episodes, after_episodes
    )
