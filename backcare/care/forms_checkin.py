"""The daily check-in form: short, every warning sign asked, nothing assumed."""

from __future__ import annotations

import copy
from typing import Any

from django import forms

from backcare.domain import catalogue
from backcare.domain.assessment import WARNING_SIGNS
from backcare.domain.triage import questions

PAIN = [(str(n), str(n)) for n in range(11)]

NEW_SIGN_QUESTIONS = {sign: q.noticed for sign, q in questions().items()}  # content/triage.toml
NONE = "none"


class _SharedChoices:
    """A choice widget whose copy shares its choices. Django deep-copies every field and widget
    for each form, and re-normalises each widget's choices as it copies them: for this form's
    fixed lists of strings that was three quarters of building it (0.3 of 0.4 ms), on every
    check-in. Nothing changes a choice list in place; a new list is assigned (as
    `exercises_done`'s is), which replaces the copy's own."""

    attrs: dict[str, Any]

    def __deepcopy__(self, memo: dict[int, Any]) -> Any:
        obj = copy.copy(self)
        obj.attrs = self.attrs.copy()
        memo[id(self)] = obj
        return obj


class RadioSelect(_SharedChoices, forms.RadioSelect):
    pass


class CheckboxSelectMultiple(_SharedChoices, forms.CheckboxSelectMultiple):
    pass


class _SharedFieldChoices:
    """A choice field whose copy shares its choices (see _SharedChoices): Field's own copy,
    without ChoiceField's deep copy of the list."""

    def __deepcopy__(self, memo: dict[int, Any]) -> Any:
        return forms.Field.__deepcopy__(self, memo)  # type: ignore[arg-type]


class TypedChoiceField(_SharedFieldChoices, forms.TypedChoiceField):
    pass


class MultipleChoiceField(_SharedFieldChoices, forms.MultipleChoiceField):
    pass


class CheckInForm(forms.Form):
    pain_now = TypedChoiceField(
        label="How bad is your back pain right now?",
        help_text="0 is no pain, 10 is the worst pain you can imagine.",
        choices=PAIN,
        coerce=int,
        widget=RadioSelect,
    )
    spasm_episodes = forms.IntegerField(
        label="How many spasm episodes have you had in the last 24 hours?",
        help_text="A spasm episode is a sudden tightening or locking of your back muscles. "
        "Count each one once.",
        min_value=0,
        max_value=200,
    )
    exercises_done = MultipleChoiceField(
        label="Which exercises did you do today?",
        required=False,
        widget=CheckboxSelectMultiple,
    )
    pain_during_exercise = TypedChoiceField(
        label="How bad was the pain during the exercises, at its worst?",
        help_text="Leave blank if you did not exercise.",
        choices=[("", "I did not exercise"), *PAIN],
        coerce=int,
        empty_value=None,
        required=False,
        widget=RadioSelect,
    )
    pain_next_morning = TypedChoiceField(
        label="How bad was your pain this morning, after your last exercise session?",
        choices=[("", "Not sure, or no session yesterday"), *PAIN],
        coerce=int,
        empty_value=None,
        required=False,
        widget=RadioSelect,
    )
    sleep = TypedChoiceField(
        label="How did your back let you sleep last night?",
        choices=[
            ("well", "I slept well"),
            ("woke_sometimes", "It woke me once or twice"),
            ("badly", "It kept me awake, or woke me many times"),
            ("", "I would rather not say"),
        ],
        empty_value=None,
        required=False,
        widget=RadioSelect,
    )
    new_warning_signs = MultipleChoiceField(
        label="Since your last check-in, have you noticed any of these for the first time?",
        help_text="Tick every one that applies, or tick \u201cNone of these\u201d.",
        choices=[*((s, NEW_SIGN_QUESTIONS[s]) for s in WARNING_SIGNS), (NONE, "None of these")],
        widget=CheckboxSelectMultiple,
        error_messages={
            "required": "Tick the signs you have noticed, or \u201cNone of these\u201d."
        },
    )

    def __init__(self, *args: Any, prescribed: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        names = catalogue.exercises()
        field = self.fields["exercises_done"]
        if not isinstance(field, forms.MultipleChoiceField):
            raise TypeError("exercises_done must be a multiple choice field")
        field.choices = [(e, names[e].name) for e in prescribed]

    def clean_new_warning_signs(self) -> list[str]:
        chosen: list[str] = self.cleaned_data["new_warning_signs"]
        if NONE in chosen and len(chosen) > 1:
            raise forms.ValidationError(
                "You ticked \u201cNone of these\u201d and a warning sign: untick one of them."
            )
        return [s for s in chosen if s != NONE]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("exercises_done") and data.get("pain_during_exercise") is None:
            self.add_error(
                "pain_during_exercise",
                "You ticked exercises: say how bad the pain was during them.",
            )
        return data
