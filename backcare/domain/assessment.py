"""The assessment: a person's answers about this episode.

Its JSON shape is the public contract of the CLI and, later, the API.

Every warning-sign boolean is required: an unanswered warning sign must never count as "no".
"""

from __future__ import annotations

from typing import Annotated, Literal, get_args

from pydantic import BaseModel, Field

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

WarningSign = Literal[
    "saddle_anaesthesia",
    "bladder_or_bowel_change",
    "bilateral_leg_symptoms",
    "progressive_leg_weakness",
    "leg_numbness_or_tingling",
    "pain_radiates_below_knee",
    "fever",
    "history_of_cancer",
    "unexplained_weight_loss",
    "significant_trauma",
    "osteoporosis_or_long_term_steroids",
    "iv_drug_use_or_immunosuppressed",
    "night_pain_unrelenting",
    "morning_stiffness_over_30min",
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
    water_glasses_per_day: Annotated[int, Field(ge=0, le=40)] | None = None
    heavy_lifting_at_work: bool | None = None
    twisting_sports: bool | None = None
    high_heels_often: bool | None = None
    hamstrings_feel_tight: bool | None = None
    previous_episodes: Annotated[int, Field(ge=0, le=100)] | None = None


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
    bilateral_leg_symptoms: bool
    progressive_leg_weakness: bool
    leg_numbness_or_tingling: bool
    pain_radiates_below_knee: bool
    fever: bool
    history_of_cancer: bool
    unexplained_weight_loss: bool
    significant_trauma: bool
    osteoporosis_or_long_term_steroids: bool
    iv_drug_use_or_immunosuppressed: bool
    night_pain_unrelenting: bool
    morning_stiffness_over_30min: bool
    recurring_same_place: bool
    worsening: bool

    startback: StartBackAnswers | None = None
    symptoms: Annotated[list[Symptom], Field(max_length=7)] | None = None
    lifestyle: Lifestyle | None = None
