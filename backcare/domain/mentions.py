"""Does a patient's message seem to mention a warning sign? Pure, plain-language phrase matching.

The phrases are the everyday words people use for the signs the check asks about (cauda equina
signs, chest pain, fever, a weakening leg). A phrase preceded by a simple negation in the same
clause ("no numbness", "I don't have a fever", "without any chest pain") does not count.

Limits, on purpose: this is a safety net, not understanding. It errs towards showing the advice
(a false alarm costs a glance; a miss could cost a nerve). It does not understand double
negation, questions ("could numbness mean...?" counts), past events, spelling mistakes or other
languages. The signs and their sources are the triage content's own (content/triage.toml flags).
"""

from __future__ import annotations

import re
from functools import cache

PHRASES: dict[str, tuple[str, ...]] = {
    "saddle_anaesthesia": (
        "saddle", "numb between my legs", "numbness between my legs", "numb bottom",
        "numb bum", "numb groin", "numbness in my groin", "numbness around my bottom",
        "numb genitals", "numb inner thigh", "numbness in my inner thigh",
        "can't feel my bottom", "cannot feel my bottom",
    ),
    "bladder_or_bowel_change": (
        "bladder", "bowel", "wet myself", "wet the bed", "leaking pee", "leaking urine",
        "incontinen", "soiled myself", "can't hold my pee", "lost control of my pee",
        "can't feel when i need to go",
    ),
    "difficulty_passing_urine": (
        "can't pee", "cannot pee", "trouble peeing", "hard to pee", "can't urinate",
        "cannot urinate", "difficulty passing urine", "weak stream",
    ),
    "new_sexual_dysfunction": ("erection", "numb during sex", "no feeling during sex"),
    "bilateral_leg_symptoms": (
        "both legs", "both my legs", "both feet", "both of my legs",
    ),
    "progressive_leg_weakness": (
        "leg weakness", "leg is weak", "leg is getting weaker", "legs are weak",
        "leg gave way", "legs gave way", "leg giving way", "foot drop", "foot drags",
        "foot is dragging", "dragging my foot", "weak leg", "weaker leg",
    ),
    "chest_pain": ("chest pain", "pain in my chest", "chest hurts", "tight chest"),
    "fever": ("fever", "high temperature", "hot and shivery", "feverish", "the shivers"),
}  # fmt: skip

# "no", "not", "never", "without", and contractions, a few words before the phrase, in the
# same clause (a comma, full stop or "but" ends a negation's reach).
_NEGATION = re.compile(
    r"\b(no|not|never|without|nor|none|neither|don't|dont|didn't|didnt|haven't|havent|"
    r"hasn't|hasnt|isn't|isnt|aren't|arent|doesn't|doesnt|no longer)\b"
)
_CLAUSE_END = re.compile(r"[.,;:!?\n]|\bbut\b|\bhowever\b|\bthough\b")
_REACH = 4  # words between a negation and the phrase


def _normal(text: str) -> str:
    return re.sub(r"[ \t]+", " ", text.lower().replace("\u2019", "'"))


def _negated(before: str) -> bool:
    clause = _CLAUSE_END.split(before)[-1]
    words = clause.split()[-(_REACH + 1) :]
    return bool(_NEGATION.search(" ".join(words)))


@cache
def _patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    return tuple(
        (sign, re.compile(r"(?<![a-z])" + re.escape(p)))
        for sign, phrases in PHRASES.items()
        for p in phrases
    )


def mentions(text: str) -> tuple[str, ...]:
    """The warning signs `text` seems to mention (not negated), in PHRASES order, each once."""
    body = _normal(text)
    found: dict[str, None] = {}
    for sign, pattern in _patterns():
        if sign in found:
            continue
        for m in pattern.finditer(body):
            if not _negated(body[: m.start()]):
                found[sign] = None
                break
    return tuple(found)
