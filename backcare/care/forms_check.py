"""The check, one Django form per step. Each form turns its answers into a slice of the
Assessment JSON (`fragment`) and back into initial values (`initial_from`), so the session holds
only JSON and Back shows what was answered.

The questions are backcare's own plain words. Every warning sign must be answered yes or no:
an unanswered sign is an error, never "no".
"""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms

from backcare.domain import content
from backcare.domain.questionnaires import STARTBACK_ATTRIBUTION
from backcare.domain.triage import INFLAMMATORY_AGE_LIMIT, INFLAMMATORY_ONSET_DAYS, questions

YES_NO = [("yes", "Yes"), ("no", "No")]
YES_NO_UNSURE = [("yes", "Yes"), ("no", "No"), ("", "Not sure")]
AGREE = [("agree", "Agree"), ("disagree", "Disagree")]

Section = tuple[str, tuple[str, ...]]


def _yes(value: str) -> bool:
    return value in ("yes", "agree")


def _choice_of(value: bool | None, yes: str = "yes", no: str = "no") -> str | None:
    if value is None:
        return None
    return yes if value else no


def _number(
    label: str, low: int, high: int, *, required: bool = True, hint: str = ""
) -> forms.IntegerField:
    messages = {
        "required": f"Enter a whole number from {low} to {high}.",
        "invalid": f"Enter a whole number from {low} to {high}, using digits.",
        "min_value": f"Enter a number from {low} to {high}.",
        "max_value": f"Enter a number from {low} to {high}.",
    }
    return forms.IntegerField(
        label=label,
        min_value=low,
        max_value=high,
        required=required,
        help_text=hint,
        error_messages=messages,
    )


def _radios(
    label: str,
    choices: list[tuple[str, str]],
    *,
    required: bool = True,
    hint: str = "",
    missing: str = "Choose one answer.",
) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=choices,
        widget=forms.RadioSelect,
        required=required,
        empty_value=None,
        help_text=hint,
        error_messages={
            "required": missing,
            "invalid_choice": "Choose one of the answers shown.",
        },
    )


class CheckStep(forms.Form):
    """A step of the check: its slug, heading, intro and how its answers map to the Assessment."""

    slug: ClassVar[str]
    title: ClassVar[str]
    short: ClassVar[str]
    intro: ClassVar[str] = ""
    sections: ClassVar[tuple[Section, ...]] = ()

    def __init__(self, *args: Any, earlier: dict[str, Any] | None = None, **kwargs: Any) -> None:
        """`earlier`: the answers of the steps before this one, merged (some questions depend on
        them)."""
        super().__init__(*args, **kwargs)
        self.earlier = earlier or {}

    def fragment(self) -> dict[str, Any]:
        raise NotImplementedError

    @classmethod
    def initial_from(cls, fragment: dict[str, Any]) -> dict[str, Any]:
        raise NotImplementedError

    def grouped(self) -> list[tuple[str, list[forms.BoundField]]]:
        sections = self.all_sections() or (("", tuple(self.fields)),)
        return [(heading, [self[name] for name in names]) for heading, names in sections]

    def all_sections(self) -> tuple[Section, ...]:
        return self.sections


class AboutYouForm(CheckStep):
    slug = "about-you"
    short = "About you"
    title = "About you"
    intro = "Two quick questions so the advice fits you."

    age = _number("How old are you?", 0, 120, hint="In years.")
    sex = _radios(
        "What is your sex?",
        [("female", "Female"), ("male", "Male"), ("other", "Other"), ("", "Prefer not to say")],
        required=False,
        hint="This is optional.",
    )

    def fragment(self) -> dict[str, Any]:
        return {"age": self.cleaned_data["age"], "sex": self.cleaned_data["sex"]}

    @classmethod
    def initial_from(cls, fragment: dict[str, Any]) -> dict[str, Any]:
        return {"age": fragment.get("age"), "sex": fragment.get("sex") or ""}


MECHANISMS = [
    ("lifting", "Lifting something"),
    ("twisting", "Twisting or turning"),
    ("bending", "Bending over"),
    ("sport", "Sport or exercise"),
    ("fall", "A fall"),
    ("road_collision", "A road accident"),
    ("sitting", "Sitting for a long time"),
    ("sleeping", "Sleeping, or getting out of bed"),
    ("none", "Nothing I can think of"),
    ("other", "Something else"),
]
SYMPTOMS = [
    ("tightness", "Tightness"),
    ("cramping", "Cramping"),
    ("twitching", "Twitching or jumping of the muscle"),
    ("knots_and_stiffness", "Knots and stiffness"),
    ("dull_ache_on_movement", "A dull ache when you move"),
    ("sharp_pain", "Sharp pain"),
    ("hard_to_stand_straight", "It is hard to stand up straight"),
]


class ThisEpisodeForm(CheckStep):
    slug = "this-episode"
    short = "This episode"
    title = "Your back pain now"
    intro = "Tell us about this bout of back pain."

    onset_days = _number(
        "How many days ago did it start?",
        0,
        36500,
        hint="Enter 0 if it started today and 1 if it started yesterday. A rough guess is fine.",
    )
    mechanism = _radios(
        "What were you doing when it started?",
        MECHANISMS,
        hint="Choose the closest.",
        missing="Choose what you were doing when it started, or 'Nothing I can think of'.",
    )
    pain_now = _number(
        "How bad is the pain right now?",
        0,
        10,
        hint="0 means no pain, 10 means the worst pain you can imagine.",
    )
    spasm_episodes_per_day = _number(
        "How many times a day does your back go into spasm?",
        0,
        500,
        hint="A rough count for a typical day. Enter 0 if it is one constant ache.",
    )
    symptoms = forms.MultipleChoiceField(
        label="What does it feel like?",
        choices=SYMPTOMS,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Tick all that apply, or none.",
        error_messages={"invalid_choice": "Choose only from the answers shown."},
    )

    def fragment(self) -> dict[str, Any]:
        data = self.cleaned_data
        keys = ("onset_days", "mechanism", "pain_now", "spasm_episodes_per_day")
        return {
            **{k: data[k] for k in keys},
            "symptoms": list(dict.fromkeys(data["symptoms"])) or None,
        }

    @classmethod
    def initial_from(cls, fragment: dict[str, Any]) -> dict[str, Any]:
        return {**fragment, "symptoms": fragment.get("symptoms") or []}


# The wording is reviewed content (content/triage.toml, [questions]), shared with the check-in.
WARNING_QUESTIONS: dict[str, tuple[str, str]] = {
    sign: (q.ask, q.hint) for sign, q in questions().items()
}


INFLAMMATORY_QUESTIONS: dict[str, str] = content.read("triage")["inflammatory_questions"]


class WarningSignsForm(CheckStep):
    slug = "warning-signs"
    short = "Warning signs"
    title = "Signs that need a doctor"
    intro = (
        "These questions check for the rare causes of back pain that need a doctor. Answer "
        "every one. If you are not sure, answer yes: it is safer to be checked."
    )
    sections = (
        (
            "Nerves, bladder and bowel",
            (
                "saddle_anaesthesia",
                "bladder_or_bowel_change",
                "difficulty_passing_urine",
                "new_sexual_dysfunction",
                "bilateral_leg_symptoms",
                "progressive_leg_weakness",
                "leg_numbness_or_tingling",
                "pain_radiates_below_knee",
            ),
        ),
        ("Chest and injury", ("chest_pain", "significant_trauma")),
        (
            "Your health",
            (
                "fever",
                "recent_infection",
                "history_of_cancer",
                "unexplained_weight_loss",
                "osteoporosis_or_long_term_steroids",
                "iv_drug_use_or_immunosuppressed",
                "pregnant_or_recent_birth",
                "recent_spinal_surgery_or_injection",
            ),
        ),
        (
            "The pain itself",
            (
                "night_pain_unrelenting",
                "pain_worse_coughing_sneezing",
                "back_lump_or_changed_shape",
                "upper_back_pain",
                "recurring_same_place",
                "worsening",
            ),
        ),
    )
    inflammatory_section = "Pain that has lasted more than 3 months"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, (question, hint) in WARNING_QUESTIONS.items():
            self.fields[name] = _radios(
                question, YES_NO, hint=hint, missing="Answer yes or no to this question."
            )
        if self.asks_inflammatory:
            for name, question in INFLAMMATORY_QUESTIONS.items():
                self.fields[name] = _radios(
                    question, YES_NO, missing="Answer yes or no to this question."
                )

    @property
    def asks_inflammatory(self) -> bool:
        """NICE NG65's questions, for back pain that began before 45 and has lasted 3 months."""
        onset, age = self.earlier.get("onset_days"), self.earlier.get("age")
        if not isinstance(onset, int) or not isinstance(age, int):
            return False
        began_at = age - onset * 100 // 36525
        return onset > INFLAMMATORY_ONSET_DAYS and began_at < INFLAMMATORY_AGE_LIMIT

    def all_sections(self) -> tuple[Section, ...]:
        if not self.asks_inflammatory:
            return self.sections
        return (*self.sections, (self.inflammatory_section, tuple(INFLAMMATORY_QUESTIONS)))

    def fragment(self) -> dict[str, Any]:
        out: dict[str, Any] = {name: _yes(self.cleaned_data[name]) for name in WARNING_QUESTIONS}
        out["inflammatory"] = (
            {name: _yes(self.cleaned_data[name]) for name in INFLAMMATORY_QUESTIONS}
            if self.asks_inflammatory
            else None
        )
        return out

    @classmethod
    def initial_from(cls, fragment: dict[str, Any]) -> dict[str, Any]:
        initial = {name: _choice_of(fragment.get(name)) for name in WARNING_QUESTIONS}
        features = fragment.get("inflammatory") or {}
        initial |= {name: _choice_of(features.get(name)) for name in INFLAMMATORY_QUESTIONS}
        return initial


STARTBACK_ITEMS: dict[str, str] = {
    "q1": "Your back pain has spread down one or both legs at some point.",
    "q2": "You have had pain in your shoulder or neck as well.",
    "q3": "Because of your back, you have only walked short distances.",
    "q4": "Because of your back, you have been slower than usual getting dressed.",
    "q5": "You feel it is not really safe for you to be active with your back as it is.",
    "q6": "Worrying thoughts have been on your mind a lot of the time.",
    "q7": "You feel your back pain is terrible and will never get better.",
    "q8": "You have not been enjoying the things you usually enjoy.",
}
BOTHERSOME = [
    ("not_at_all", "Not at all"),
    ("slightly", "Slightly"),
    ("moderately", "Moderately"),
    ("very_much", "Very much"),
    ("extremely", "Extremely"),
]
ANSWER_ALL = "Answer this question too, or skip all of these questions."
ANSWER_OR_SKIP = "Answer this question, or choose \u201cSkip these questions\u201d."


class StartBackForm(CheckStep):
    slug = "how-it-affects-you"
    short = "How it affects you"
    title = "How your back affects you"
    intro = (
        "Think about the last 2 weeks. Do you agree or disagree with each of these? Your answers "
        "help work out how much support you need to recover, so please answer all nine. If you "
        "would rather not, you can skip them: your physiotherapist will see that you did."
    )
    attribution = STARTBACK_ATTRIBUTION

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, statement in STARTBACK_ITEMS.items():
            self.fields[name] = _radios(statement, AGREE, required=False)
        self.fields["q9"] = _radios(
            "Overall, how much has your back pain bothered you in the last 2 weeks?",
            BOTHERSOME,
            required=False,
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        answered = [name for name in self.fields if data.get(name) is not None]
        invalid = [name for name in self.fields if name in self.errors]
        if not invalid:
            for name in self.fields:
                if name not in answered:
                    self.add_error(name, ANSWER_ALL if answered else ANSWER_OR_SKIP)
        return data

    SKIPPED: ClassVar[dict[str, Any]] = {"startback": None, "startback_skipped": True}

    def fragment(self) -> dict[str, Any]:
        data = self.cleaned_data
        answers: dict[str, Any] = {name: _yes(data[name]) for name in STARTBACK_ITEMS}
        return {"startback": {**answers, "q9": data["q9"]}, "startback_skipped": False}

    @classmethod
    def initial_from(cls, fragment: dict[str, Any]) -> dict[str, Any]:
        answers = fragment.get("startback") or {}
        initial: dict[str, Any] = {
            name: _choice_of(answers.get(name), "agree", "disagree") for name in STARTBACK_ITEMS
        }
        return {**initial, "q9": answers.get("q9")}


LIFESTYLE_NUMBERS = ("desk_hours_per_day", "active_days_per_week", "stress")
LIFESTYLE_YES_NO = (
    "heavy_lifting_at_work",
    "twisting_sports",
    "high_heels_often",
    "hamstrings_feel_tight",
)


class LifestyleForm(CheckStep):
    slug = "lifestyle"
    short = "Your everyday life"
    title = "Your everyday life"
    intro = (
        "These optional questions help us spot what may have set your back off, so the plan can "
        "include what helps. Leave out anything you prefer not to answer."
    )
    sections = (
        (
            "Your day",
            (
                "desk_hours_per_day",
                "active_days_per_week",
                "stress",
                "previous_episodes",
            ),
        ),
        ("Your work and habits", LIFESTYLE_YES_NO),
    )

    desk_hours_per_day = _number(
        "About how many hours a day do you sit at a desk or screen?", 0, 24, required=False
    )
    active_days_per_week = _number(
        "On how many days a week are you active for at least 30 minutes?",
        0,
        7,
        required=False,
        hint="For example a brisk walk, cycling, sport or heavy gardening.",
    )
    stress = _number(
        "How stressed have you felt lately?",
        0,
        10,
        required=False,
        hint="0 means not at all, 10 means the most stressed you can imagine.",
    )
    previous_episodes = _number(
        "How many times has your back gone into spasm like this before?",
        0,
        100,
        required=False,
        hint="Enter 0 if this is the first time.",
    )
    heavy_lifting_at_work = _radios(
        "Does your work involve heavy lifting?", YES_NO_UNSURE, required=False
    )
    twisting_sports = _radios(
        "Do you play a sport with a lot of twisting?",
        YES_NO_UNSURE,
        required=False,
        hint="For example golf, tennis, football or dancing.",
    )
    high_heels_often = _radios("Do you often wear high heels?", YES_NO_UNSURE, required=False)
    hamstrings_feel_tight = _radios(
        "Do the backs of your thighs often feel tight?", YES_NO_UNSURE, required=False
    )

    def fragment(self) -> dict[str, Any]:
        data = self.cleaned_data
        life: dict[str, Any] = {}
        for name in (*LIFESTYLE_NUMBERS, "previous_episodes"):
            if data.get(name) is not None:
                life[name] = data[name]
        for name in LIFESTYLE_YES_NO:
            if data.get(name) is not None:
                life[name] = _yes(data[name])
        return {"lifestyle": life or None}

    @classmethod
    def initial_from(cls, fragment: dict[str, Any]) -> dict[str, Any]:
        life = fragment.get("lifestyle") or {}
        initial = {name: value for name, value in life.items() if name not in LIFESTYLE_YES_NO}
        for name in LIFESTYLE_YES_NO:
            initial[name] = _choice_of(life.get(name)) or ""
        return initial


STEPS: tuple[type[CheckStep], ...] = (
    AboutYouForm,
    ThisEpisodeForm,
    WarningSignsForm,
    StartBackForm,
    LifestyleForm,
)
