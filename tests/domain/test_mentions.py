from __future__ import annotations

import pytest

from backcare.domain.assessment import WARNING_SIGNS
from backcare.domain.mentions import PHRASES, mentions


@pytest.mark.parametrize(
    ("text", "signs"),
    [
        ("My bottom feels numb, like a saddle area thing", ("saddle_anaesthesia",)),
        ("I wet myself this morning", ("bladder_or_bowel_change",)),
        ("I can't pee properly since yesterday", ("difficulty_passing_urine",)),
        ("Pins and needles in both legs now", ("bilateral_leg_symptoms",)),
        ("My left leg gave way on the stairs", ("progressive_leg_weakness",)),
        ("I have chest pain when I breathe", ("chest_pain",)),
        ("Had a fever last night", ("fever",)),
        ("CHEST PAIN and a Fever", ("chest_pain", "fever")),
        ("I have no numbness and no fever", ()),
        ("I don't have any chest pain", ()),
        ("Without any bladder trouble, thankfully", ()),
        ("No fever, but my chest hurts", ("chest_pain",)),
        ("No pain today. I have a fever though", ("fever",)),
        ("The stretches went well, thank you", ()),
        ("my legs feel fine", ()),
        ("I’m not feverish", ()),
    ],
)
def test_it_finds_the_warning_signs_a_message_mentions(text: str, signs: tuple[str, ...]) -> None:
    assert mentions(text) == signs


def test_a_negation_far_before_the_phrase_does_not_hide_it() -> None:
    assert mentions("No, I did the exercises and then I noticed a fever") == ("fever",)


def test_every_sign_is_a_warning_sign_of_the_check() -> None:
    assert set(PHRASES) <= set(WARNING_SIGNS)


def test_a_word_inside_another_word_does_not_count() -> None:
    assert mentions("unbowelled") == ()
