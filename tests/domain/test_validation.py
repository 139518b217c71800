"""Strict input: wrong types, out-of-range values, unknown and missing fields, readable messages."""

from __future__ import annotations

import json
from typing import Any

import pytest

from backcare.domain.assessment import Assessment
from backcare.domain.validation import InputError, parse_json
from tests.domain.people import answers, startback


def problems(data: Any) -> list[str]:
    with pytest.raises(InputError) as info:
        parse_json(Assessment, json.dumps(data))
    return info.value.problems


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"pain_now": 11}, "pain_now: must be an integer from 0 to 10"),
        ({"pain_now": -1}, "pain_now: must be an integer from 0 to 10"),
        ({"pain_now": 5.5}, "pain_now: must be an integer from 0 to 10"),
        ({"pain_now": "5"}, "pain_now: must be an integer from 0 to 10"),
        ({"pain_now": True}, "pain_now: must be an integer from 0 to 10"),
        ({"age": 121}, "age: must be an integer from 0 to 120"),
        ({"onset_days": -1}, "onset_days: must be an integer of 0 or more"),
        ({"fever": "yes"}, "fever: must be true or false"),
        ({"fever": 1}, "fever: must be true or false"),
        ({"fever": None}, "fever: must be true or false"),
        ({"sex": "f"}, 'sex: must be one of "female", "male", "other" or null'),
        ({"mechanism": "jumping"}, "mechanism: must be one of"),
        (
            {"saddle_anesthesia": False},
            "saddle_anesthesia: unknown field (did you mean saddle_anaesthesia?)",
        ),
        ({"startback": {**startback(), "q9": "a lot"}}, "startback.q9: must be one of"),
        ({"startback": {"q1": True}}, "startback.q2: is required and must be true or false"),
        ({"lifestyle": {"stress": 12}}, "lifestyle.stress: must be an integer from 0 to 10"),
        ({"symptoms": ["itching"]}, "symptoms[0]: must be one of"),
    ],
)
def test_bad_values_name_the_field_and_what_is_allowed(
    overrides: dict[str, Any], message: str
) -> None:
    assert any(p.startswith(message) for p in problems(answers(**overrides))), problems(
        answers(**overrides)
    )


def test_an_unanswered_warning_sign_is_an_error_not_a_no() -> None:
    data = answers()
    del data["bladder_or_bowel_change"]
    assert problems(data) == ["bladder_or_bowel_change: is required and must be true or false"]


def test_not_json() -> None:
    with pytest.raises(InputError) as info:
        parse_json(Assessment, "{not json")
    assert info.value.problems[0].startswith("input: is not valid JSON")


@pytest.mark.parametrize("payload", ["[]", "42", '"text"', "null"])
def test_not_an_object(payload: str) -> None:
    with pytest.raises(InputError) as info:
        parse_json(Assessment, payload)
    assert info.value.problems == ["input: must be a JSON object"]


def test_valid_input_parses() -> None:
    a = parse_json(Assessment, json.dumps(answers(startback=startback(agree=2))))
    assert a.pain_now == 5 and a.startback is not None
