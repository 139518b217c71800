"""The assessment: a person's answers about this episode.

Its JSON shape is the public contract of the CLI and, later, the API.

Every warning-sign boolean is required: an unanswered warning sign must never count as "no".
"""

from __future__ import annotations

from typing import Annotated, Literal, get_args

from pydantic import BaseModel, Field, ValidationInfo, field_validator

from backcare.domain.validation import STRICT

Mechanism = Literal[
    "lifting",
    "twisting",
    "bending",
    "sport",
    "fall",
    "road_collision",
    "sitting",
    "sleeping",
    "none",
    "other",
]
Bothersome = Literal["not_at_all", "slightly", "moderately", "very_much", "extremely"]
Symptom = Literal[
    "twitching",
    "tightness",
    "dull_ache_on_movement",
    "cramping",
    "knots_and_stiffness",
    "sharp_pain",
    "hard_to_stand_straight",
]

Score10 = Annotated[int, Field(ge=0, le=10)]

# Every yes/no warning sign, in the order the check asks them. The same names are what a daily
# check-in reports in `new_warning_signs`.
WarningSign = Literal[
    "saddle_anaesthesia",
    "bladder_or_bowel_change",
    "difficulty_passing_urine",
    "new_sexual_dysfunction",
    "bilateral_leg_symptoms",
    "progressive_leg_weakness",
    "chest_pain",
    "significant_trauma",
    "leg_numbness_or_tingling",
    "pain_radiates_below_knee",
    "fever",
    "recent_infection",
    "history_of_cancer",
    "unexplained_weight_loss",
    "osteoporosis_or_long_term_steroids",
    "iv_drug_use_or_immunosuppressed",
    "pregnant_or_recent_birth",
    "recent_spinal_surgery_or_injection",
    "night_pain_unrelenting",
    "pain_worse_coughing_sneezing",
    "back_lump_or_changed_shape",
    "upper_back_pain",
    "recurring_same_place",
    "worsening",
]
WARNING_SIGNS: tuple[str, ...] = get_args(WarningSign)


class StartBackAnswers(BaseModel):
    """Keele STarT Back: items 1-8 agree (true) / disagree (false); item 9 bothersomeness."""

    model_config = STRICT

    q1: bool
    q2: bool
    q3: bool
    q4: bool
    q5: bool
    q6: bool
    q7: bool
    q8: bool
    q9: Bothersome


class Lifestyle(BaseModel):
    """Optional answers that point to contributing causes; unanswered means unknown."""

    model_config = STRICT

    desk_hours_per_day: Annotated[int, Field(ge=0, le=24)] | None = None
    active_days_per_week: Annotated[int, Field(ge=0, le=7)] | None = None
    stress: Score10 | None = None
    heavy_lifting_at_work: bool | None = None
    twisting_sports: bool | None = None
    high_heels_often: bool | None = None
    hamstrings_feel_tight: bool | None = None
    previous_episodes: Annotated[int, Field(ge=0, le=100)] | None = None


class InflammatoryFeatures(BaseModel):
    """NICE NG65's features of axial spondyloarthritis, asked when back pain began before 45 and
    has lasted more than 3 months. The eighth feature, pain that began before 35, is worked out
    from the age and the onset."""

    model_config = STRICT

    wakes_second_half_of_night: bool
    buttock_pain: bool
    eases_with_movement: bool
    eases_with_anti_inflammatories: bool  # within 48 hours of an NSAID
    relative_with_spondyloarthritis: bool  # a parent, brother, sister or child
    arthritis_enthesitis_or_psoriasis: bool  # now or in the past


class Assessment(BaseModel):
    model_config = STRICT

    age: Annotated[int, Field(ge=0, le=120)]
    sex: Literal["female", "male", "other"] | None = None
    onset_days: Annotated[int, Field(ge=0)]
    mechanism: Mechanism
    pain_now: Score10
    spasm_episodes_per_day: Annotated[int, Field(ge=0)]

    saddle_anaesthesia: bool
    bladder_or_bowel_change: bool
    difficulty_passing_urine: bool
    new_sexual_dysfunction: bool
    bilateral_leg_symptoms: bool
    progressive_leg_weakness: bool
    chest_pain: bool
    significant_trauma: bool
    leg_numbness_or_tingling: bool
    pain_radiates_below_knee: bool
    fever: bool
    recent_infection: bool
    history_of_cancer: bool
    unexplained_weight_loss: bool
    osteoporosis_or_long_term_steroids: bool
    iv_drug_use_or_immunosuppressed: bool
    pregnant_or_recent_birth: bool
    recent_spinal_surgery_or_injection: bool
    night_pain_unrelenting: bool
    pain_worse_coughing_sneezing: bool
    back_lump_or_changed_shape: bool
    upper_back_pain: bool
    recurring_same_place: bool
    worsening: bool

    inflammatory: InflammatoryFeatures | None = None
    startback: StartBackAnswers | None = None
    # NICE NG59 1.1.2 asks for STarT Back at every new episode: the check asks it by default, and
    # a person who chooses to skip it says so here, so a physiotherapist can see it was offered.
    startback_skipped: bool = False
    symptoms: Annotated[list[Symptom], Field(max_length=7)] | None = None
    lifestyle: Lifestyle | None = None

    @field_validator("startback_skipped")
    @classmethod
    def _skip_or_answer(cls, skipped: bool, info: ValidationInfo) -> bool:
        if skipped and info.data.get("startback") is not None:
            raise ValueError("must be false when the startback answers are given")
        return skipped

    @property
    def onset_age(self) -> int:
        """The age at which this episode began (NG65 counts from there, not from today)."""
        return max(0, self.age - self.onset_days * 100 // 36525)
