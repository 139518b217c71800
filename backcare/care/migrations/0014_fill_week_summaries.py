"""Fill the weekly summaries for the plans that existed before them.

The rule is copied here (weeks of seven of the patient's days counted from the day the episode
began; each week holds its days' pain and spasm episodes) rather than imported, so this
migration keeps working whatever the code becomes.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import migrations


def fill(apps, schema_editor):
    Plan = apps.get_model("care", "Plan")
    CheckIn = apps.get_model("care", "CheckIn")
    WeekSummary = apps.get_model("care", "WeekSummary")
    for plan in Plan.objects.only("pk", "patient_id", "episode_started_on").iterator():
        start = plan.episode_started_on
        weeks: dict = {}
        rows = CheckIn.objects.filter(patient_id=plan.patient_id, date__gte=start).values_list(
            "date", "pain_now", "spasm_episodes", "exercises_done"
        )
        for on, pain, spasms, done in rows:
            offset = (on - start).days
            begin = start + timedelta(days=7 * (offset // 7))
            week = weeks.setdefault(
                begin, {"pains": [None] * 7, "spasms": [None] * 7, "exercised": 0}
            )
            week["pains"][offset % 7] = pain
            week["spasms"][offset % 7] = spasms
            week["exercised"] += bool(done)
        WeekSummary.objects.bulk_create(
            [
                WeekSummary(
                    patient_id=plan.patient_id,
                    plan_id=plan.pk,
                    starts_on=begin,
                    days_checked_in=sum(p is not None for p in w["pains"]),
                    pain_total=sum(p for p in w["pains"] if p is not None),
                    spasm_total=sum(n for n in w["spasms"] if n is not None),
                    exercise_days=w["exercised"],
                    pains=w["pains"],
                    spasms=w["spasms"],
                )
                for begin, w in weeks.items()
            ],
            batch_size=500,
        )


def empty(apps, schema_editor):
    apps.get_model("care", "WeekSummary").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("care", "0013_add_week_summary")]

    operations = [migrations.RunPython(fill, empty)]
