"""Safety text reads plainly for a frightened person: short bullets at US grade 7 or below.

The grade is Flesch-Kincaid (textstat), which counts words per sentence and syllables per word.
"""

from __future__ import annotations

import re

import pytest
import textstat

from backcare.domain import content
from tests.domain.safety_text import actions, bullets

MAX_WORDS = 15
MAX_GRADE = 7.0
NUMBERS = re.compile(r"\b(999|911|112|111)\b")

BULLETS = list(bullets())
ACTIONS = list(actions())


def words(text: str) -> int:
    return len(text.split())


@pytest.mark.parametrize(("where", "text"), BULLETS, ids=[w for w, _ in BULLETS])
def test_every_safety_bullet_is_short_and_plain(where: str, text: str) -> None:
    assert words(text) <= MAX_WORDS, f"{where}: {words(text)} words"
    assert textstat.flesch_kincaid_grade(text) <= MAX_GRADE, where


@pytest.mark.parametrize(("where", "text"), ACTIONS, ids=[w for w, _ in ACTIONS])
def test_every_level_action_is_short_sentences_at_grade_7(where: str, text: str) -> None:
    for sentence in re.split(r"(?<=[.!?])\s+", text):
        assert words(sentence) <= MAX_WORDS, f"{where}: {sentence!r}"
    assert textstat.flesch_kincaid_grade(text) <= MAX_GRADE, where


def test_the_check_is_not_fooled_by_long_hard_text() -> None:
    hard = (
        "Progressive bilateral neurological deficit necessitates immediate multidisciplinary "
        "evaluation by appropriately qualified spinal specialists."
    )
    assert textstat.flesch_kincaid_grade(hard) > MAX_GRADE


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


@pytest.mark.parametrize("name", ["triage", "first_aid", "exercises", "education", "programme"])
def test_no_content_string_names_a_phone_number(name: str) -> None:
    """The pages show the person's own emergency number; content never hard-codes one."""
    found = [s for s in _strings(content.read(name)) if NUMBERS.search(s)]
    assert found == []
