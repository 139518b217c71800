"""Contributing causes: which of the person's answers point to what may have set the spasm off, and
to what may help.

Each is an education topic (content/education.toml) and comes with the answers that led to it, so
the person sees why it was suggested. Topics of kind "cause" (overuse, lifting, a twist, stress, an
injury) may have set it off; the others (changing position, strength, stretching, shoes) are not
proven causes and are offered only as things that may help (`Cause.may_help`). The thresholds are
backcare product rules drawn from the clinic articles, not guideline numbers; docs/care-plan.md
lists them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from backcare.domain import catalogue
from backcare.domain.assessment import Assessment, Lifestyle

LONG_DESK_HOURS = 6
FEW_ACTIVE_DAYS = 2
HIGH_STRESS = 7
OLDER_AGE = 50
REPEATED_EPISODES = 2


@dataclass(frozen=True, slots=True)
class Cause:
    topic: str
    title: str
    because: tuple[str, ...]
    habits: tuple[str, ...]
    related_topics: tuple[str, ...]
    exercises: tuple[str, ...]
    source_ids: tuple[str, ...]
    may_help: bool = False  # not a proven cause: shown as something that may help


Rule = Callable[[Assessment, Lifestyle], list[str]]


def _posture(a: Assessment, life: Lifestyle) -> list[str]:
    out = []
    if life.desk_hours_per_day is not None and life.desk_hours_per_day >= LONG_DESK_HOURS:
        out.append(f"you sit at a desk for about {life.desk_hours_per_day} hours a day")
    if a.mechanism == "sitting":
        out.append("the spasm began while you were sitting")
    return out


def _inactivity(a: Assessment, life: Lifestyle) -> list[str]:
    days = life.active_days_per_week
    if days is not None and days <= FEW_ACTIVE_DAYS:
        return [f"you are active on {days} day{'s' if days != 1 else ''} a week"]
    return []


def _overuse(a: Assessment, life: Lifestyle) -> list[str]:
    starts = {"bending": "bending", "sport": "playing sport", "lifting": "lifting"}
    return [f"the spasm began while {starts[a.mechanism]}"] if a.mechanism in starts else []


def _heavy_lifting(a: Assessment, life: Lifestyle) -> list[str]:
    return ["your work involves heavy lifting"] if life.heavy_lifting_at_work else []


def _twisting(a: Assessment, life: Lifestyle) -> list[str]:
    out = ["you play a sport with a lot of twisting"] if life.twisting_sports else []
    if a.mechanism == "twisting":
        out.append("the spasm began with a twist")
    return out


def _stress(a: Assessment, life: Lifestyle) -> list[str]:
    out = []
    if life.stress is not None and life.stress >= HIGH_STRESS:
        out.append(f"you rated your stress {life.stress} out of 10")
    if a.startback is not None and a.startback.q6:
        out.append("worrying thoughts have been on your mind a lot")
    return out


def _weak_core(a: Assessment, life: Lifestyle) -> list[str]:
    if life.previous_episodes is not None and life.previous_episodes >= REPEATED_EPISODES:
        return [f"you have had {life.previous_episodes} earlier episodes"]
    return []


def _hamstrings(a: Assessment, life: Lifestyle) -> list[str]:
    return ["the backs of your thighs feel tight"] if life.hamstrings_feel_tight else []


def _age(a: Assessment, life: Lifestyle) -> list[str]:
    return [f"you are {a.age}"] if a.age >= OLDER_AGE else []


def _injury(a: Assessment, life: Lifestyle) -> list[str]:
    starts = {"fall": "a fall", "road_collision": "a road collision"}
    return [f"the pain began after {starts[a.mechanism]}"] if a.mechanism in starts else []


def _footwear(a: Assessment, life: Lifestyle) -> list[str]:
    return ["you often wear high heels"] if life.high_heels_often else []


RULES: tuple[tuple[str, Rule], ...] = (
    ("posture", _posture),
    ("inactivity", _inactivity),
    ("overuse_strain", _overuse),
    ("heavy_lifting", _heavy_lifting),
    ("twisting_sports", _twisting),
    ("stress_anxiety", _stress),
    ("weak_core", _weak_core),
    ("tight_hamstrings", _hamstrings),
    ("age", _age),
    ("injury", _injury),
    ("prevent_footwear", _footwear),
)


def contributing_causes(a: Assessment) -> tuple[Cause, ...]:
    life = a.lifestyle or Lifestyle()
    topics = catalogue.topics()
    found = []
    for topic_id, rule in RULES:
        because = rule(a, life)
        if because:
            topic = topics[topic_id]
            found.append(
                Cause(
                    topic=topic_id,
                    title=topic.title,
                    because=tuple(because),
                    habits=tuple(topic.habits),
                    related_topics=tuple(topic.related),
                    exercises=tuple(topic.exercises),
                    source_ids=tuple(topic.sources),
                    may_help=topic.kind != "cause",
                )
            )
    return tuple(found)
