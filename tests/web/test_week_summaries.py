"""Progress reads weekly summaries; its charts and words are the same as when it read every
check-in. Random histories (late and edited check-ins, days before the episode, a second plan
in the same episode) are charted both ways and compared, and the stored weeks match weeks made
from scratch."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any
from xml.etree import ElementTree

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from backcare.care import charts
from backcare.care.actions import do_check_in, do_save_assessment, do_start_plan
from backcare.care.models import CheckIn, Plan, WeekSummary
from backcare.care.queries import plan_today
from backcare.care.views.progress import CHARTS, progress_context
from backcare.care.weeks import fill_weeks
from backcare.domain.checkin import CheckIn as CheckInValue
from tests.domain.people import assessment
from tests.web.people import person, today_of

pytestmark = pytest.mark.django_db


def value(on: date, rng: random.Random) -> CheckInValue:
    done = rng.random() < 0.7
    return CheckInValue.model_validate(
        {
            "date": on,
            "pain_now": rng.randint(0, 10),
            "spasm_episodes": rng.randint(0, 12),
            "exercises_done": [{"exercise": "walking", "sets": 1}] if done else [],
            "pain_during_exercise": 2 if done else None,
            "new_warning_signs": [],
        }
    )


def moved_back(plan: Plan, day: date) -> Plan:
    """The plan (and its episode) began on `day`, so there is room for a history."""
    for field in ("base_state", "state"):
        data = getattr(plan, field)
        data["created_on"] = day.isoformat()
        data["phase_started_on"] = day.isoformat()
    Plan.objects.filter(pk=plan.pk).update(
        created_on=day, episode_started_on=day, base_state=plan.base_state, state=plan.state
    )
    plan.refresh_from_db()
    return plan


def history(seed: int) -> tuple[Any, Plan]:
    """A person with a random course: days skipped, days written late and out of order, days
    edited, a check-in from before the episode, and sometimes a new plan in the same episode."""
    rng = random.Random(seed)  # noqa: S311 - test data
    user, plan = person(f"p{seed}", onset_days=4, pain_now=rng.randint(3, 8))
    today = today_of(user)
    length = rng.choice([1, 3, 9, 20, 40])
    start = today - timedelta(days=length - 1)
    plan = moved_back(plan, start)
    now = timezone.now()
    CheckIn.objects.create(  # before the episode: never on Progress
        patient=user.patient, date=start - timedelta(days=2), pain_now=9, spasm_episodes=9,
        created_at=now,
    )  # fmt: skip
    days = [start + timedelta(days=n) for n in range(length) if rng.random() < 0.8]
    rng.shuffle(days)
    days += rng.sample(days, k=len(days) // 4)  # edited: written a second time
    for n, on in enumerate(days):
        if n == len(days) // 2 and rng.random() < 0.5:
            record = do_save_assessment(user, user.patient, assessment(pain_now=5), now=now)
            plan = do_start_plan(user, user.patient, record, today=today, now=now, episode=plan)
        do_check_in(user, user.patient, value(on, rng), now=now)
    plan.refresh_from_db()
    return user, plan


def reference(patient: Any, plan: Plan, today: date) -> dict[str, str]:
    """The charts and words as Progress made them from every check-in, before summaries."""
    start = plan.episode_started_on
    rows = list(
        CheckIn.objects.filter(patient=patient, date__gte=start, date__lte=today)
        .order_by("date")
        .values_list("date", "pain_now", "spasm_episodes", "exercises_done")
    )
    days, pains, episodes = [r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows]
    end = charts.axis_end(start, today)
    weeks = [start + timedelta(days=7 * i) for i in range((today - start).days // 7 + 1)]
    counts = [0] * len(weeks)
    for on, *_, done in rows:
        counts[(on - start).days // 7] += bool(done)
    return {
        "pain": charts.pain_chart(days, pains, baseline=plan.episode_pain, start=start, end=end),
        "spasms": charts.episodes_chart(
            days, episodes, baseline=plan.episode_spasms, start=start, end=end
        ),
        "exercise": charts.exercise_days_chart(weeks, counts, today=today),
        "pain words": charts.pain_words(
            days, pains, baseline=plan.episode_pain, start=start, end=end
        ),
        "spasms words": charts.episodes_words(days, episodes, baseline=plan.episode_spasms),
        "exercise words": charts.exercise_days_words(weeks, counts, today=today),
    }


def without_ids(svg: str) -> str:
    root = ElementTree.fromstring(svg)
    chart_id = root.get("id", "")
    return ElementTree.tostring(root, encoding="unicode").replace(chart_id, "")


def stored(plan: Plan) -> list[tuple[Any, ...]]:
    return list(
        WeekSummary.objects.filter(plan=plan)
        .order_by("starts_on")
        .values_list("starts_on", "days_checked_in", "pain_total", "spasm_total",
                     "exercise_days", "pains", "spasms")
    )  # fmt: skip


@pytest.mark.parametrize("seed", range(8))
def test_progress_from_summaries_shows_what_it_showed_from_every_check_in(seed: int) -> None:
    user, plan = history(seed)
    patient = user.patient
    today = plan_today(plan, patient, timezone.now())
    before = reference(patient, plan, today)
    for slug in ("pain", "spasms", "exercise"):
        assert without_ids(CHARTS[slug](patient, plan, today)) == without_ids(before[slug]), slug
    sections = {s["slug"]: s for s in progress_context(patient, plan, today)["sections"]}
    if CheckIn.objects.filter(patient=patient, date__gte=plan.episode_started_on).exists():
        for slug in ("pain", "spasms", "exercise"):
            assert sections[slug]["alt"] == before[f"{slug} words"], slug


@pytest.mark.parametrize("seed", range(8))
def test_the_stored_weeks_are_the_weeks_made_from_scratch(seed: int) -> None:
    _, plan = history(seed)
    kept = stored(plan)
    fill_weeks(plan)
    assert stored(plan) == kept


def test_a_week_says_its_days_totals_and_means() -> None:
    user, plan = person("maya", onset_days=4, pain_now=6)
    plan = moved_back(plan, today_of(user) - timedelta(days=9))
    rng = random.Random(1)  # noqa: S311 - test data
    now = timezone.now()
    for n in (0, 2, 3):
        do_check_in(user, user.patient, value(plan.created_on + timedelta(days=n), rng), now=now)
    (week, *_) = WeekSummary.objects.filter(plan=plan).order_by("starts_on")
    rows = CheckIn.objects.filter(patient=user.patient).order_by("date")
    assert week.starts_on == plan.created_on and week.days_checked_in == 3
    assert week.pain_total == sum(c.pain_now for c in rows)
    assert week.pains[1] is None and week.pains[0] == rows[0].pain_now


def test_the_page_reads_one_row_a_week_not_every_check_in() -> None:
    user, plan = person("maya", onset_days=4, pain_now=6)
    plan = moved_back(plan, today_of(user) - timedelta(days=69))
    now = timezone.now()
    CheckIn.objects.bulk_create(
        CheckIn(patient=user.patient, date=plan.created_on + timedelta(days=n), pain_now=3,
                spasm_episodes=1, created_at=now)
        for n in range(70)
    )  # fmt: skip
    fill_weeks(plan)
    today = plan_today(plan, user.patient, now)
    with CaptureQueriesContext(connection) as queries:
        progress_context(user.patient, plan, today)
    week_reads = [q["sql"] for q in queries.captured_queries if "weeksummary" in q["sql"]]
    assert len(week_reads) == 1
    assert not [q for q in queries.captured_queries if '"care_checkin"' in q["sql"]]
