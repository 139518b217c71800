"""Named assessments for tests: a typical self-care case, built by overriding a few answers."""

from __future__ import annotations

from typing import Any

from backcare.domain.assessment import WARNING_SIGNS, Assessment


def answers(**overrides: Any) -> dict[str, Any]:
    """Maya, 38, hurt her back lifting a box two days ago: no warning signs. She skipped the
    STarT Back questions unless a test gives her answers to them.

    This is the one place that lists an assessment's defaults: every warning sign answered no."""
    base: dict[str, Any] = {
        "age": 38,
        "sex": "female",
        "onset_days": 2,
        "mechanism": "lifting",
        "pain_now": 5,
        "spasm_episodes_per_day": 3,
    }
    base.update(dict.fromkeys(WARNING_SIGNS, False))
    base["startback_skipped"] = overrides.get("startback") is None
    base.update(overrides)
    return base


def assessment(**overrides: Any) -> Assessment:
    return Assessment.model_validate(answers(**overrides))


def startback(agree: int = 0, distress_agree: int = 0, q9: str = "slightly") -> dict[str, Any]:
    """STarT Back answers with `agree` of items 1-4 and `distress_agree` of items 5-8 agreed."""
    items = {f"q{i}": i - 1 < agree for i in range(1, 5)}
    items |= {f"q{i}": i - 5 < distress_agree for i in range(5, 9)}
    return {**items, "q9": q9}
