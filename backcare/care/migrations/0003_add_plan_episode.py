from django.db import migrations, models


def fill(apps, schema_editor):
    """Existing plans: each is its own episode, checked on the day it began."""
    Plan = apps.get_model("care", "Plan")
    for plan in Plan.objects.all().iterator():
        answers = plan.base_state["assessment"]
        plan.checked_on = plan.created_on
        plan.episode_started_on = plan.created_on
        plan.episode_pain = answers["pain_now"]
        plan.episode_spasms = answers["spasm_episodes_per_day"]
        plan.save(
            update_fields=["checked_on", "episode_started_on", "episode_pain", "episode_spasms"]
        )


class Migration(migrations.Migration):
    dependencies = [("care", "0002_add_thermal_application")]

    operations = [
        migrations.AddField(
            model_name="plan",
            name="checked_on",
            field=models.DateField(null=True),
        ),
        migrations.AddField(
            model_name="plan",
            name="episode_started_on",
            field=models.DateField(null=True),
        ),
        migrations.AddField(
            model_name="plan",
            name="episode_pain",
            field=models.PositiveSmallIntegerField(null=True),
        ),
        migrations.AddField(
            model_name="plan",
            name="episode_spasms",
            field=models.PositiveIntegerField(null=True),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="plan",
            name="checked_on",
            field=models.DateField(help_text="The day of the latest check behind this plan."),
        ),
        migrations.AlterField(
            model_name="plan",
            name="episode_started_on",
            field=models.DateField(help_text="The day this episode's first plan began."),
        ),
        migrations.AlterField(
            model_name="plan",
            name="episode_pain",
            field=models.PositiveSmallIntegerField(help_text="Pain at the episode's first check."),
        ),
        migrations.AlterField(
            model_name="plan",
            name="episode_spasms",
            field=models.PositiveIntegerField(
                help_text="Spasm episodes a day at the episode's first check."
            ),
        ),
    ]
