"""The check-in form's copies share their fixed choice lists (forms_checkin._SharedChoices), so
one form's list must never show in another's: each person sees their own exercises."""

from __future__ import annotations

from backcare.care.forms_checkin import CheckInForm
from backcare.domain import catalogue


def test_each_form_offers_only_its_own_prescribed_exercises() -> None:
    first = CheckInForm(None, prescribed=["walking", "pelvic_tilt"])
    second = CheckInForm(None, prescribed=["knee_to_chest"])
    names = catalogue.exercises()
    assert first.fields["exercises_done"].choices == [
        ("walking", names["walking"].name),
        ("pelvic_tilt", names["pelvic_tilt"].name),
    ]
    assert second.fields["exercises_done"].choices == [
        ("knee_to_chest", names["knee_to_chest"].name)
    ]
    assert 'value="knee_to_chest"' in str(second["exercises_done"])
    assert 'value="knee_to_chest"' not in str(first["exercises_done"])
    assert not CheckInForm.base_fields["exercises_done"].choices  # the class's own is untouched


def test_a_posted_form_is_cleaned_as_before() -> None:
    form = CheckInForm(
        {"pain_now": "3", "spasm_episodes": "2", "exercises_done": ["walking"],
         "pain_during_exercise": "2", "new_warning_signs": ["none"]},
        prescribed=["walking"],
    )  # fmt: skip
    assert form.is_valid(), form.errors
    assert form.cleaned_data["pain_now"] == 3
    assert form.cleaned_data["exercises_done"] == ["walking"]
    assert form.cleaned_data["new_warning_signs"] == []
    assert form.cleaned_data["sleep"] is None
