"""Content is data: every claim has a source that exists, and every link points somewhere real."""

from __future__ import annotations

import pytest

from backcare.domain import content
from backcare.domain.assessment import WARNING_SIGNS
from backcare.domain.triage import Level, level_advice, reason, safety_net, triage
from tests.domain.people import assessment, startback

TRIAGE = content.read("triage")


def test_every_source_has_a_short_label_a_citation_and_a_kind() -> None:
    for source in content.sources().values():
        assert source.short and source.citation
        assert source.kind in {
            "seed",
            "guideline",
            "review",
            "trial",
            "questionnaire",
            "leaflet",
            "product",
        }


@pytest.mark.parametrize("code", sorted(TRIAGE["flags"]))
def test_every_flag_has_a_tier_text_and_known_sources(code: str) -> None:
    flag = reason(code)
    assert flag.text
    assert flag.source_ids
    assert set(flag.source_ids) <= set(content.sources())


@pytest.mark.parametrize("level", list(Level))
def test_every_level_has_an_action_with_sources(level: Level) -> None:
    title, action = level_advice(level)
    assert title and action.text and action.source
    for advice in safety_net(level):
        assert advice.source


def test_the_flags_the_policy_can_raise_are_exactly_the_flags_in_the_content() -> None:
    every_sign = dict.fromkeys(WARNING_SIGNS, True)
    raised: set[str] = set()
    people = (
        {"age": 10, "mechanism": "fall", "startback": startback(agree=4)},
        {"age": 70, "mechanism": "road_collision", "startback": startback(distress_agree=4)},
    )
    for who in people:
        a = assessment(onset_days=400, pain_now=10, **who, **every_sign)
        raised |= {r.code for r in triage(a).reasons}
    raised |= {r.code for r in triage(assessment(age=30, onset_days=400)).reasons}
    assert raised == set(TRIAGE["flags"])


def test_every_warning_sign_is_worded_for_the_check_and_the_check_in() -> None:
    from backcare.domain.triage import questions

    worded = questions()
    assert list(worded) == list(WARNING_SIGNS)
    for sign, q in worded.items():
        assert q.ask.endswith("?"), sign
        assert q.noticed and not q.noticed.endswith("?"), sign
